/**
 * Where the eBPF programs hook. Events name the probes they depend on; the tracer attaches only
 * the probes that the selected events need.
 */

/** Program types, by what they need from the running kernel. */
export type ProbeType =
  /** raw_tracepoint: needs neither kernel BTF nor kprobes. */
  | "raw_tracepoint"
  /** tracepoint: needs neither kernel BTF nor kprobes. */
  | "tracepoint"
  /** tp_btf: needs /sys/kernel/btf/vmlinux to resolve its attach target. */
  | "tp_btf"
  /** kprobe: needs CONFIG_KPROBES. */
  | "kprobe"
  /** lsm: needs BPF LSM enabled. */
  | "lsm";

/** A probe: one eBPF program and its hook. */
export interface ProbeDef {
  readonly name: string;
  /** Program (function) name in bpf/tracee.bpf.c. */
  readonly program: string;
  readonly type: ProbeType;
  /** Hook, as in the program's SEC() after the type. */
  readonly target: string;
  /** Probes that must be attached with this one (state cleanup, hand-over between hooks). */
  readonly requires?: readonly string[];
  /** Probe used instead when this one cannot run on the host (e.g. tp_btf without kernel BTF). */
  readonly fallback?: string;
  /**
   * Attached once per syscall, to the syscalls:sys_<point>_<name> tracepoints: of `syscalls`, or
   * (without it) of the syscalls the run needs at that point (src/runtime/syscall_hooks.ts).
   */
  readonly perSyscall?: { readonly point: "enter" | "exit"; readonly syscalls?: readonly string[] };
  /** The program needs the kernel's BTF to load (BTF-typed helpers). */
  readonly needsKernelBtf?: boolean;
}

import { hookProbes } from "./security_events.ts";

/** Every probe: the CO-RE and non-CO-RE objects' programs, and the hook events' probes. */
export const probes: readonly ProbeDef[] = [
  {
    name: "sys_enter",
    program: "tracee_sys_enter",
    type: "raw_tracepoint",
    target: "sys_enter",
    // exec hands a pending execve over when a non-leader thread execs; exit drops the pending
    // execve of a thread killed inside it.
    requires: ["sched_process_exit", "sched_process_exec"],
  },
  { name: "sys_exit", program: "tracee_sys_exit", type: "raw_tracepoint", target: "sys_exit" },
  {
    name: "sched_process_fork",
    program: "tracee_sched_process_fork",
    type: "raw_tracepoint",
    target: "sched_process_fork",
  },
  {
    name: "sched_process_exec",
    program: "tracee_sched_process_exec",
    type: "raw_tracepoint",
    target: "sched_process_exec",
  },
  {
    name: "sched_process_exit",
    program: "tracee_sched_process_exit",
    type: "raw_tracepoint",
    target: "sched_process_exit",
  },
  {
    name: "sched_switch_btf",
    program: "tracee_sched_switch_btf",
    type: "tp_btf",
    target: "sched_switch",
    fallback: "sched_switch",
  },
  {
    name: "sched_switch",
    program: "tracee_sched_switch",
    type: "raw_tracepoint",
    target: "sched_switch",
  },
  ...[
    "task_rename",
    "cgroup_mkdir",
    "cgroup_rmdir",
    "module_free",
    "signal_generate",
    "signal_deliver",
    "ext4_unlink_enter",
  ]
    .map((t): ProbeDef => ({ name: t, program: `tracee_${t}`, type: "raw_tracepoint", target: t })),
  {
    name: "module_load",
    program: "tracee_module_load",
    type: "raw_tracepoint",
    target: "module_load",
    // kernels without the module tracepoint: module_load from init_module/finit_module exits
    fallback: "sys_exit",
  },
  {
    name: "sys_enter_vma",
    program: "tracee_mprotect_enter",
    type: "tracepoint",
    target: "syscalls/sys_enter_mprotect",
    perSyscall: { point: "enter", syscalls: ["mprotect", "pkey_mprotect"] },
    needsKernelBtf: true,
  },
  // sys_enter/sys_exit for a few syscalls: the same work on just their tracepoints
  {
    name: "syscall_enter",
    program: "tracee_syscall_enter",
    type: "tracepoint",
    target: "syscalls/sys_enter_*",
    perSyscall: { point: "enter" },
  },
  {
    name: "syscall_exit",
    program: "tracee_syscall_exit",
    type: "tracepoint",
    target: "syscalls/sys_exit_*",
    perSyscall: { point: "exit" },
  },
  ...hookProbes,
];

/** The probe with this name, or undefined. */
export function probeByName(name: string): ProbeDef | undefined {
  return probes.find((p) => p.name === name);
}
