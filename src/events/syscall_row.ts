import type { ArgKind } from "./arg_kind.ts";
import type { EmitPoint } from "./event_def.ts";

/** One generated syscall: [number, name, sets, params [C type, name, kind, aux?], emit?]. */
export type SyscallRow = readonly [
  number,
  string,
  readonly string[],
  readonly (
    | readonly [string, string, ArgKind]
    | readonly [string, string, ArgKind, number | "retval"]
  )[],
  EmitPoint?,
];
