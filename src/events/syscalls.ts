import type { EventDef, Param } from "./event_def.ts";
import { syscallRows } from "./syscalls.gen.ts";

/** The syscall probes every syscall event needs. */
const SYSCALL_PROBES = ["sys_enter", "sys_exit"] as const;

/** x86_64 syscall events: the generated rows (tools/gen_events.ts) as events table entries. */
export const syscallEvents: readonly EventDef[] = syscallRows.map((
  [id, name, sets, params, emit],
) => ({
  id,
  name,
  sets: ["syscalls", ...sets],
  params: params.map(([type, pname, kind, aux]): Param =>
    aux === undefined ? { type, name: pname, kind } : { type, name: pname, kind, aux }
  ),
  probes: SYSCALL_PROBES,
  syscall: true,
  emit: emit ?? "exit",
}));
