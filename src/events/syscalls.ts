import type { EmitPoint, EventDef, Param } from "./event_def.ts";
import { syscallRows } from "./syscalls.gen.ts";

/**
 * The probes a syscall event needs, by where it is emitted: most are emitted at sys_exit with
 * the arguments still in the saved registers; exit/exit_group at sys_enter (they never return);
 * execve/execveat are encoded at sys_enter and emitted at sys_exit.
 */
const PROBES_BY_EMIT: Readonly<Record<EmitPoint, readonly string[]>> = {
  "exit": ["sys_exit"],
  "enter": ["sys_enter"],
  "enter-capture": ["sys_enter", "sys_exit"],
};

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
  probes: PROBES_BY_EMIT[emit ?? "exit"],
  syscall: true,
  emit: emit ?? "exit",
}));
