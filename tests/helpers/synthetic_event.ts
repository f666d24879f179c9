/**
 * Events made in the test, for signature logic the kernel cannot be made to show here (kprobe
 * events, a module load): an event of the events table with the given arguments, from a process
 * of the test's choosing. Everything not given is 0 or empty.
 */
import type { ArgValue, TraceeEvent } from "../../src/decode/event.ts";
import { type EventCatalog, kernelCatalog } from "../../src/events/catalog.ts";

/** What a synthetic event may set besides its kind and arguments. */
export type EventFields = Partial<Omit<TraceeEvent, "def" | "eventId" | "args">>;

/**
 * An event `name` of `catalog` with `args` (typed as its table row types them), from process
 * 1000 (threads and host ids follow the pid given) unless `fields` say otherwise.
 */
export function syntheticEvent(
  name: string,
  args: Record<string, ArgValue> = {},
  fields: EventFields = {},
  catalog: EventCatalog = kernelCatalog,
): TraceeEvent {
  const def = catalog.byName(name);
  if (!def) throw new Error(`no event ${name}`);
  const pid = fields.processId ?? 1000;
  const hostPid = fields.hostProcessId ?? pid;
  return {
    def,
    tsHi: 0,
    tsLo: 0,
    threadStartTime: 0,
    processStartTime: 0,
    processorId: 0,
    processId: pid,
    threadId: pid,
    parentProcessId: 1,
    hostProcessId: hostPid,
    hostThreadId: hostPid,
    hostParentProcessId: 1,
    userId: 0,
    mountNamespace: 4026531841,
    pidNamespace: 4026531836,
    utsNamespace: 4026531838,
    processName: "test",
    cgroupId: 0,
    containerKey: 0,
    container: undefined,
    eventId: def.id,
    returnValue: 0,
    policiesLo: 1,
    policiesHi: 0,
    syscall: -1,
    flags: 0,
    args: Object.entries(args).map(([n, value]) => ({
      name: n,
      type: def.params.find((p) => p.name === n)?.type ?? "unknown",
      value,
    })),
    ...fields,
  };
}
