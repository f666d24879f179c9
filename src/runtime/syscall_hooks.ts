/**
 * How the syscall programs attach. The raw sys_enter/sys_exit tracepoints run tracee's program
 * for every syscall of every process, selected or not; the per-syscall tracepoints
 * (syscalls:sys_enter_<name>, sys_exit_<name>) run it only for the syscalls attached. A small
 * selection (-e execve, -e openat,connect, the default set) attaches per syscall, so the syscalls
 * it does not trace pay only the kernel's own tracepoint check; a large one (above
 * PER_SYSCALL_MAX hooks) keeps the two raw tracepoints, one program each. Both run the same code
 * (bpf/tracee.bpf.c on_sys_enter/on_sys_exit): same events, arguments, filters and counts.
 *
 * A syscall this kernel does not build (no tracepoint, e.g. init_module without module support)
 * can only fail with ENOSYS: selected through a set (the default set, `syscalls`) it is left out,
 * with the other events this kernel cannot trace; named by itself, it makes the run use the raw
 * tracepoints, which see its calls.
 */
import type { EventDef } from "../events/event_def.ts";
import { eventByName } from "../events/table.ts";
import { tracepointOf } from "../events/syscall_tracepoints.ts";
import type { DroppedEvent } from "./probe_plan.ts";

/**
 * Most syscall hooks (enter + exit) attached one by one. bench/hooks.ts (2026-12-01): up to 256
 * hooks per syscall beats the raw tracepoints (an unselected getppid storm keeps 94-110% of its
 * untraced rate against 79-87%; start-up equal, ~1.0 s); at 355 it still wins on the storm but
 * start-up grows by 0.4 s and the mixed workload ran faster on the raw tracepoints. Each hook also
 * holds a perf event descriptor, and a container's nofile limit is often 1024: above 256, the
 * raw tracepoints.
 */
export const PER_SYSCALL_MAX = 256;

/** The outcome of planning the syscall hooks. */
export interface SyscallHooks {
  readonly mode: "per-syscall" | "raw";
  /** Tracepoint names (sys_enter_<name>) of the syscalls hooked at entry, per-syscall mode. */
  readonly enter: readonly string[];
  /** The same at exit. */
  readonly exit: readonly string[];
  /** Why the raw tracepoints are used (or "" in per-syscall mode). */
  readonly why: string;
  /** Syscall events left out (selected through a set): this kernel does not build them. */
  readonly dropped: readonly DroppedEvent[];
}

/** Where an event needs syscall hooks: its own syscall, and the syscalls it is derived from. */
function needs(e: EventDef, probes: ReadonlySet<string>): { enter: string[]; exit: string[] } {
  const enter: string[] = [];
  const exit: string[] = [];
  if (e.syscall) {
    if (probes.has("sys_enter")) enter.push(e.name);
    if (probes.has("sys_exit")) exit.push(e.name);
    return { enter, exit };
  }
  for (const name of e.syscalls ?? []) {
    if (probes.has("sys_enter")) enter.push(name);
    if (probes.has("sys_exit")) exit.push(name);
  }
  return { enter, exit };
}

/**
 * Plans the hooks of the live events (each with the probes it resolved to). `exists` tells
 * whether a tracepoint exists (undefined: tracefs cannot tell, so the raw tracepoints are used).
 */
export function planSyscallHooks(
  live: ReadonlyMap<EventDef, ReadonlySet<string>>,
  /** Whether the user named the event by itself (not through a set or a glob). */
  named: (e: EventDef) => boolean,
  exists: ((tracepoint: string) => boolean | undefined) | undefined,
  max = PER_SYSCALL_MAX,
): SyscallHooks {
  const enter = new Set<string>();
  const exit = new Set<string>();
  const dropped: DroppedEvent[] = [];
  let why = "";
  const have = (point: "enter" | "exit", name: string) =>
    exists?.(`sys_${point}_${tracepointOf(name)}`);
  for (const [e, probes] of live) {
    const n = needs(e, probes);
    const points = [
      ...n.enter.map((s) => ["enter", s] as const),
      ...n.exit.map((s) => ["exit", s] as const),
    ];
    const missing = points.filter(([p, s]) => have(p, s) !== true);
    if (exists === undefined || missing.some(([p, s]) => have(p, s) === undefined)) {
      why ||= "tracefs cannot tell which syscall tracepoints exist";
    } else if (e.syscall && missing.length > 0) {
      if (!named(e)) {
        dropped.push({
          event: e,
          reason:
            `this kernel does not build ${e.name} (it has no tracepoint): calls can only fail with ENOSYS`,
        });
        continue;
      }
      why ||= `${e.name} has no tracepoint on this kernel (only the raw tracepoints see it)`;
    }
    // a derived event's syscall without a tracepoint can never succeed here: nothing to hook
    for (const [p, s] of points) {
      if (missing.some(([mp, ms]) => mp === p && ms === s)) continue;
      (p === "enter" ? enter : exit).add(s);
    }
  }
  if (!why && enter.size + exit.size > max) {
    why = `${enter.size + exit.size} syscall hooks, more than ${max}`;
  }
  const sorted = (s: Set<string>) =>
    [...s].sort((a, b) => eventByName(a)!.id - eventByName(b)!.id).map(tracepointOf);
  // the raw tracepoints see every syscall, built or not: nothing is left out then
  return why
    ? { mode: "raw", enter: [], exit: [], why, dropped: [] }
    : { mode: "per-syscall", enter: sorted(enter), exit: sorted(exit), why: "", dropped };
}
