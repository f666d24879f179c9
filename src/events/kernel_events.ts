import { ArgKind as K } from "./arg_kind.ts";
import type { EventDef } from "./event_def.ts";

/** Events that are not syscalls have ids from here up; syscall numbers stay below it. */
export const FIRST_KERNEL_EVENT_ID = 1000;

/** Ids of the events that are not syscalls; bpf/events.gen.h names them EVENT_<NAME>. */
export const KernelEventId = {
  SCHED_PROCESS_FORK: 1002,
  SCHED_PROCESS_EXEC: 1003,
  SCHED_PROCESS_EXIT: 1004,
  SCHED_SWITCH: 1005,
  TASK_RENAME: 1006,
  CGROUP_MKDIR: 1007,
  CGROUP_RMDIR: 1008,
  MODULE_LOAD: 1009,
  MODULE_FREE: 1010,
  SIGNAL_GENERATE: 1011,
  SIGNAL_DELIVER: 1012,
} as const;

/**
 * Events from kernel hooks other than syscall entry/exit. The order of `params` is the order in
 * which the eBPF program writes them (bpf/tracee.bpf.c).
 */
export const kernelEvents: readonly EventDef[] = [
  {
    id: KernelEventId.SCHED_PROCESS_FORK,
    name: "sched_process_fork",
    sets: ["proc", "proc_life", "default"],
    probes: ["sched_process_fork"],
    syscall: false,
    emit: "exit",
    params: [
      { type: "int", name: "parent_tid", kind: K.S32 },
      { type: "int", name: "parent_ns_tid", kind: K.S32 },
      { type: "int", name: "parent_pid", kind: K.S32 },
      { type: "int", name: "parent_ns_pid", kind: K.S32 },
      { type: "unsigned long", name: "parent_start_time", kind: K.U64 },
      { type: "int", name: "child_tid", kind: K.S32 },
      { type: "int", name: "child_ns_tid", kind: K.S32 },
      { type: "int", name: "child_pid", kind: K.S32 },
      { type: "int", name: "child_ns_pid", kind: K.S32 },
      { type: "unsigned long", name: "start_time", kind: K.U64 },
    ],
  },
  {
    id: KernelEventId.SCHED_PROCESS_EXEC,
    name: "sched_process_exec",
    sets: ["proc", "proc_life", "default"],
    probes: ["sched_process_exec"],
    syscall: false,
    emit: "exit",
    params: [
      { type: "const char*", name: "cmdpath", kind: K.KSTR },
      { type: "const char*", name: "pathname", kind: K.KSTR },
      { type: "dev_t", name: "dev", kind: K.U32 },
      { type: "unsigned long", name: "inode", kind: K.U64 },
      { type: "unsigned long", name: "ctime", kind: K.U64 },
      { type: "umode_t", name: "inode_mode", kind: K.U32 },
      { type: "const char*", name: "interp", kind: K.KSTR },
      { type: "umode_t", name: "stdin_type", kind: K.U32 },
      { type: "const char*", name: "stdin_path", kind: K.KSTR },
      { type: "bool", name: "invoked_from_kernel", kind: K.BOOL },
      { type: "const char**", name: "argv", kind: K.STR_REGION },
      { type: "const char**", name: "env", kind: K.STR_REGION },
    ],
  },
  {
    id: KernelEventId.SCHED_PROCESS_EXIT,
    name: "sched_process_exit",
    sets: ["proc", "proc_life", "default"],
    probes: ["sched_process_exit"],
    syscall: false,
    emit: "exit",
    params: [
      { type: "long", name: "exit_code", kind: K.S64 },
      { type: "int", name: "signal", kind: K.S32 },
      { type: "bool", name: "process_group_exit", kind: K.BOOL },
    ],
  },
  {
    id: KernelEventId.SCHED_SWITCH,
    name: "sched_switch",
    sets: ["proc"],
    probes: ["sched_switch_btf"],
    syscall: false,
    emit: "exit",
    params: [
      { type: "int", name: "cpu", kind: K.S32 },
      { type: "int", name: "prev_tid", kind: K.S32 },
      { type: "const char*", name: "prev_comm", kind: K.KSTR },
      { type: "int", name: "next_tid", kind: K.S32 },
      { type: "const char*", name: "next_comm", kind: K.KSTR },
    ],
  },
  {
    id: KernelEventId.TASK_RENAME,
    name: "task_rename",
    sets: ["proc"],
    probes: ["task_rename"],
    syscall: false,
    emit: "exit",
    params: [
      { type: "const char*", name: "old_name", kind: K.KSTR },
      { type: "const char*", name: "new_name", kind: K.KSTR },
    ],
  },
  cgroupEvent(KernelEventId.CGROUP_MKDIR, "cgroup_mkdir"),
  cgroupEvent(KernelEventId.CGROUP_RMDIR, "cgroup_rmdir"),
  {
    id: KernelEventId.MODULE_LOAD,
    name: "module_load",
    sets: ["system", "system_module", "default"],
    // the module tracepoint; on kernels without it, successful init_module/finit_module exits
    // (the module's file for finit_module; its name, version and srcversion need the tracepoint)
    probes: ["module_load"],
    syscalls: ["init_module", "finit_module"],
    syscall: false,
    emit: "exit",
    params: [
      { type: "const char*", name: "name", kind: K.KSTR },
      { type: "const char*", name: "version", kind: K.KSTR },
      { type: "const char*", name: "src_version", kind: K.KSTR },
      { type: "const char*", name: "pathname", kind: K.KSTR },
      { type: "dev_t", name: "dev", kind: K.U32 },
      { type: "unsigned long", name: "inode", kind: K.U64 },
      { type: "unsigned long", name: "ctime", kind: K.U64 },
    ],
  },
  {
    id: KernelEventId.MODULE_FREE,
    name: "module_free",
    sets: ["system", "system_module"],
    probes: ["module_free"],
    syscall: false,
    emit: "exit",
    params: [{ type: "const char*", name: "name", kind: K.KSTR }],
  },
  {
    id: KernelEventId.SIGNAL_GENERATE,
    name: "signal_generate",
    sets: ["signals"],
    probes: ["signal_generate"],
    syscall: false,
    emit: "exit",
    params: [
      { type: "int", name: "sig", kind: K.S32 },
      { type: "int", name: "sig_code", kind: K.S32 },
      { type: "int", name: "target_pid", kind: K.S32 },
      { type: "int", name: "group", kind: K.S32 },
      { type: "int", name: "result", kind: K.S32 },
    ],
  },
  {
    id: KernelEventId.SIGNAL_DELIVER,
    name: "signal_deliver",
    sets: ["signals"],
    probes: ["signal_deliver"],
    syscall: false,
    emit: "exit",
    params: [
      { type: "int", name: "sig", kind: K.S32 },
      { type: "int", name: "sig_code", kind: K.S32 },
      { type: "void*", name: "sa_handler", kind: K.PTR },
      { type: "unsigned long", name: "sa_flags", kind: K.U64 },
    ],
  },
];

function cgroupEvent(id: number, name: string): EventDef {
  return {
    id,
    name,
    sets: ["system", "containers"],
    probes: [name],
    syscall: false,
    emit: "exit",
    params: [
      { type: "u64", name: "cgroup_id", kind: K.U64 },
      { type: "const char*", name: "cgroup_path", kind: K.KSTR },
      { type: "u32", name: "hierarchy_id", kind: K.U32 },
    ],
  };
}
