import type { ArgKind } from "./arg_kind.ts";

/** One argument of an event: its C type (as printed in `type`), name and kernel encoding. */
export interface Param {
  readonly type: string;
  readonly name: string;
  readonly kind: ArgKind;
  /** For SOCKADDR/SOCKADDR_LENPTR/BUF: index of the argument holding the length, or "retval". */
  readonly aux?: number | "retval";
}

/** When a syscall event is emitted relative to the syscall. */
export type EmitPoint =
  /** At sys_exit, with the return value (most syscalls). */
  | "exit"
  /** At sys_enter: the syscall never returns (exit, exit_group). */
  | "enter"
  /** Arguments encoded at sys_enter, emitted at sys_exit: they are gone after success (execve). */
  | "enter-capture";

/** One row of the events table. */
export interface EventDef {
  /** Syscall events use the x86_64 syscall number; other events start at 1000. */
  readonly id: number;
  readonly name: string;
  readonly sets: readonly string[];
  readonly params: readonly Param[];
  /** Names of the probes (src/events/probes.ts) the event needs attached. */
  readonly probes: readonly string[];
  /**
   * Probes that add to the event where this kernel has them (e.g. a filesystem's own tracepoint);
   * without them the event still runs, with those arguments left 0.
   */
  readonly optionalProbes?: readonly string[];
  /**
   * For events the kernel derives at syscall exits (security_file_open from open/openat/…):
   * the syscalls whose exit builds the event, when it is served by the sys_exit probe.
   */
  readonly syscalls?: readonly string[];
  /**
   * The argument holding the path the kernel resolves before building the event: policies'
   * prefix filters on it (`data.pathname=/etc/*`) run in the kernel too (src/filters/path_filters.ts).
   */
  readonly kernelPathFilter?: string;
  readonly syscall: boolean;
  readonly emit: EmitPoint;
}
