/**
 * Events made in the test, for signature logic the kernel cannot be made to show here (kprobe
 * events, a module load): an event of the events table with the given arguments, from a process
 * of the test's choosing. Everything not given is 0 or empty.
 */
import type { ArgValue, TraceeEvent } from "../../src/decode/event.ts";
import { type EventCatalog, kernelCatalog } from "../../src/events/catalog.ts";

/** What a synthetic event may set besides its arguments. */
export type EventFields = Partial<
  Pick<
    TraceeEvent,
    | "processId"
    | "hostProcessId"
    | "processName"
    | "mountNamespace"
    | "policiesLo"
    | "policiesHi"
    | "returnValue"
  >
>;

/** An event `name` of `catalog` with `args` (typed as its table row types them). */
export function syntheticEvent(
  name: string,
  args: Record<string, ArgValue> = {},
  fields: EventFields = {},
  catalog: EventCatalog = kernelCatalog,
): TraceeEvent {
  const def = catalog.byName(name);
  if (!def) throw new Error(`no event ${name}`);
  return {
    def,
    tsHi: 0,
    tsLo: 0,
    threadStartTime: 0,
    processStartTime: 0,
    processorId: 0,
    processId: fields.processId ?? 1000,
    threadId: fields.processId ?? 1000,
    parentProcessId: 1,
    hostProcessId: fields.hostProcessId ?? fields.processId ?? 1000,
    hostThreadId: fields.hostProcessId ?? fields.processId ?? 1000,
    hostParentProcessId: 1,
    userId: 0,
    mountNamespace: fields.mountNamespace ?? 4026531841,
    pidNamespace: 4026531836,
    utsNamespace: 4026531838,
    processName: fields.processName ?? "test",
    cgroupId: 0,
    eventId: def.id,
    returnValue: fields.returnValue ?? 0,
    policiesLo: fields.policiesLo ?? 1,
    policiesHi: fields.policiesHi ?? 0,
    syscall: -1,
    flags: 0,
    args: Object.entries(args).map(([n, value]) => ({
      name: n,
      type: def.params.find((p) => p.name === n)?.type ?? "unknown",
      value,
    })),
  };
}
