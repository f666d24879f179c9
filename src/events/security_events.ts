import { ArgKind as K } from "./arg_kind.ts";
import type { EventDef, Param } from "./event_def.ts";
import type { ProbeDef, ProbeType } from "./probes.ts";

/**
 * Tracee's security events. Upstream takes them from kprobes and BPF LSM hooks; tracee builds
 * those it can from hooks every kernel has (bpf/derived.bpf.h): the exits of the syscalls that
 * do the work, and the sched tracepoints. The rest still need kprobes or BPF LSM: they are in the
 * catalogue (listed, selectable), and where the kernel lacks the feature, selecting one logs one
 * warning naming it and the rest runs.
 */

const str = (name: string): Param => ({ type: "const char*", name, kind: K.STR });
const kstr = (name: string): Param => ({ type: "const char*", name, kind: K.KSTR });
const atPath = (name: string): Param => ({ type: "const char*", name, kind: K.AT_PATH });
const int = (name: string): Param => ({ type: "int", name, kind: K.S32 });
const u64 = (name: string, type = "unsigned long"): Param => ({ type, name, kind: K.U64 });
const dev = (): Param => ({ type: "dev_t", name: "dev", kind: K.U32 });
const sockaddr = (name: string): Param => ({ type: "struct sockaddr*", name, kind: K.SOCKADDR });

/** Ids of the security events; bpf/events.gen.h names them EVENT_<NAME>. */
export const SecurityEventId = {
  SECURITY_FILE_OPEN: 1100,
  SECURITY_BPRM_CHECK: 1101,
  SECURITY_SOCKET_CONNECT: 1102,
  SECURITY_SOCKET_BIND: 1103,
  SECURITY_SB_MOUNT: 1104,
  SECURITY_INODE_UNLINK: 1105,
  SECURITY_BPF: 1106,
  SECURITY_KERNEL_READ_FILE: 1107,
  SECURITY_FILE_MPROTECT: 1108,
  CAP_CAPABLE: 1109,
  COMMIT_CREDS: 1110,
  SWITCH_TASK_NS: 1111,
  VFS_WRITE: 1112,
  CALL_USERMODEHELPER: 1113,
  DO_INIT_MODULE: 1114,
  SECURITY_INODE_RENAME: 1115,
  SOCKET_DUP: 1116,
  MAGIC_WRITE: 1117,
  MEM_PROT_ALERT: 1118,
  HOOKED_SYSCALL: 1119,
  HOOKED_PROC_FOPS: 1120,
  HOOKED_SEQ_OPS: 1121,
} as const;

const E = SecurityEventId;

/** A security event built from syscall exits (and, where named, other tracepoints). */
function derived(
  id: number,
  name: string,
  sets: readonly string[],
  syscalls: readonly string[],
  params: readonly Param[],
  more: {
    probes?: readonly string[];
    optionalProbes?: readonly string[];
    kernelPathFilter?: string;
  } = {},
): EventDef {
  return {
    id,
    name,
    sets,
    params,
    probes: ["sys_exit", ...(more.probes ?? [])],
    ...(more.optionalProbes ? { optionalProbes: more.optionalProbes } : {}),
    ...(more.kernelPathFilter ? { kernelPathFilter: more.kernelPathFilter } : {}),
    syscalls,
    syscall: false,
    emit: "exit",
  };
}

/** The security events tracee derives in the kernel, on any kernel. */
const DERIVED_EVENTS: readonly EventDef[] = [
  derived(
    E.SECURITY_FILE_OPEN,
    "security_file_open",
    ["lsm_hooks", "fs", "fs_file_ops"],
    ["open", "openat", "openat2", "creat"],
    [
      kstr("pathname"),
      int("flags"),
      dev(),
      u64("inode"),
      u64("ctime"),
      str("syscall_pathname"),
    ],
    // the binary an exec opened comes from the exec hook
    { probes: ["sched_process_exec"], kernelPathFilter: "pathname" },
  ),
  {
    id: E.SECURITY_BPRM_CHECK,
    name: "security_bprm_check",
    sets: ["lsm_hooks", "proc", "proc_life"],
    params: [
      kstr("pathname"),
      dev(),
      u64("inode"),
      { type: "const char*const*", name: "argv", kind: K.STR_REGION },
      { type: "const char*const*", name: "envp", kind: K.STR_REGION },
    ],
    // execve's entry keeps the name the exec replaces; the exec hook builds the event
    probes: ["sys_enter", "sched_process_exec"],
    syscalls: ["execve", "execveat"],
    syscall: false,
    emit: "exit",
  },
  derived(
    E.SECURITY_INODE_RENAME,
    "security_inode_rename",
    ["lsm_hooks", "fs", "fs_file_ops"],
    ["rename", "renameat", "renameat2"],
    [atPath("old_path"), atPath("new_path")],
  ),
  derived(
    E.SECURITY_INODE_UNLINK,
    "security_inode_unlink",
    ["default", "lsm_hooks", "fs", "fs_file_ops"],
    ["unlink", "unlinkat"],
    [atPath("pathname"), u64("inode"), dev(), u64("ctime", "u64")],
    { optionalProbes: ["ext4_unlink_enter"] },
  ),
  derived(
    E.SECURITY_SB_MOUNT,
    "security_sb_mount",
    ["default", "lsm_hooks", "fs"],
    ["mount"],
    [str("dev_name"), atPath("path"), str("type"), u64("flags")],
  ),
  derived(
    E.SECURITY_SOCKET_CONNECT,
    "security_socket_connect",
    ["default", "lsm_hooks", "net", "net_sock"],
    ["connect"],
    [int("sockfd"), int("type"), sockaddr("remote_addr")],
  ),
  derived(
    E.SECURITY_SOCKET_BIND,
    "security_socket_bind",
    ["default", "lsm_hooks", "net", "net_sock"],
    ["bind"],
    [int("sockfd"), sockaddr("local_addr")],
  ),
  derived(
    E.SOCKET_DUP,
    "socket_dup",
    ["net", "net_sock"],
    ["dup", "dup2", "dup3", "fcntl"],
    [int("oldfd"), int("newfd"), sockaddr("remote_addr")],
  ),
  derived(
    E.MAGIC_WRITE,
    "magic_write",
    ["fs", "fs_read_write"],
    ["write", "pwrite64", "writev", "pwritev", "pwritev2"],
    [kstr("pathname"), { type: "bytes", name: "bytes", kind: K.BUF }, dev(), u64("inode")],
    { kernelPathFilter: "pathname" },
  ),
  derived(
    E.MEM_PROT_ALERT,
    "mem_prot_alert",
    ["proc", "proc_mem"],
    ["mmap", "mprotect", "pkey_mprotect"],
    [
      { type: "u32", name: "alert", kind: K.U32 },
      { type: "void*", name: "addr", kind: K.PTR },
      u64("len", "size_t"),
      int("prot"),
      int("prev_prot"),
      kstr("pathname"),
      dev(),
      u64("inode"),
      u64("ctime", "u64"),
    ],
    // mprotect alerts need the region's protection before the call
    { optionalProbes: ["sys_enter_vma"] },
  ),
];

/** Security events that only kprobes or BPF LSM programs can produce. */
interface HookEvent {
  readonly id: number;
  readonly name: string;
  readonly hook: string;
  readonly type: ProbeType;
  readonly sets: readonly string[];
  readonly params: readonly Param[];
}

const HOOK_EVENTS: readonly HookEvent[] = [
  {
    id: E.SECURITY_BPF,
    name: "security_bpf",
    hook: "security_bpf",
    type: "kprobe",
    sets: ["lsm_hooks", "default"],
    params: [int("cmd")],
  },
  {
    id: E.SECURITY_KERNEL_READ_FILE,
    name: "security_kernel_read_file",
    hook: "security_kernel_read_file",
    type: "kprobe",
    sets: ["lsm_hooks", "default"],
    params: [str("pathname"), dev(), u64("inode"), int("type"), u64("ctime")],
  },
  {
    id: E.SECURITY_FILE_MPROTECT,
    name: "security_file_mprotect",
    hook: "security_file_mprotect",
    type: "lsm",
    sets: ["lsm_hooks", "proc", "proc_mem", "default"],
    params: [str("pathname"), int("prot"), u64("ctime"), int("prev_prot")],
  },
  {
    id: E.CAP_CAPABLE,
    name: "cap_capable",
    hook: "cap_capable",
    type: "kprobe",
    sets: ["default"],
    params: [int("cap")],
  },
  {
    id: E.COMMIT_CREDS,
    name: "commit_creds",
    hook: "commit_creds",
    type: "kprobe",
    sets: ["default"],
    params: [u64("old_cred", "slim_cred_t"), u64("new_cred", "slim_cred_t")],
  },
  {
    id: E.SWITCH_TASK_NS,
    name: "switch_task_ns",
    hook: "switch_task_namespaces",
    type: "kprobe",
    sets: ["default"],
    params: [
      int("pid"),
      u64("new_mnt", "u32"),
      u64("new_pid", "u32"),
      u64("new_uts", "u32"),
      u64("new_ipc", "u32"),
      u64("new_net", "u32"),
      u64("new_cgroup", "u32"),
    ],
  },
  {
    id: E.VFS_WRITE,
    name: "vfs_write",
    hook: "vfs_write",
    type: "kprobe",
    sets: ["fs", "fs_read_write"],
    params: [str("pathname"), dev(), u64("inode"), u64("count", "size_t"), u64("pos", "off_t")],
  },
  {
    id: E.CALL_USERMODEHELPER,
    name: "call_usermodehelper",
    hook: "call_usermodehelper",
    type: "kprobe",
    sets: ["default"],
    params: [str("pathname"), { type: "const char*const*", name: "argv", kind: K.STR_ARR }, {
      type: "const char*const*",
      name: "envp",
      kind: K.STR_ARR,
    }, int("wait")],
  },
  {
    id: E.HOOKED_SYSCALL,
    name: "hooked_syscall",
    hook: "syscall_table_check",
    type: "kprobe",
    sets: [],
    params: [str("syscall"), str("address"), str("function"), str("owner")],
  },
  {
    id: E.HOOKED_PROC_FOPS,
    name: "hooked_proc_fops",
    hook: "security_file_permission",
    type: "kprobe",
    sets: [],
    params: [str("hooked_fops_pointers")],
  },
  {
    id: E.HOOKED_SEQ_OPS,
    name: "hooked_seq_ops",
    hook: "print_net_seq_ops",
    type: "kprobe",
    sets: [],
    params: [str("hooked_seq_ops")],
  },
  {
    id: E.DO_INIT_MODULE,
    name: "do_init_module",
    hook: "do_init_module",
    type: "kprobe",
    sets: ["system", "system_module", "default"],
    params: [str("name"), str("version"), str("src_version")],
  },
];

/** The probes of the kprobe/LSM events (their programs are not in tracee's eBPF objects). */
export const hookProbes: readonly ProbeDef[] = HOOK_EVENTS.map((e) => ({
  name: `${e.type}_${e.hook}`,
  program: `tracee_${e.type}_${e.hook}`,
  type: e.type,
  target: e.hook,
}));

/** The security events as events table rows. */
export const securityEvents: readonly EventDef[] = [
  ...DERIVED_EVENTS,
  ...HOOK_EVENTS.map((e): EventDef => ({
    id: e.id,
    name: e.name,
    sets: e.sets,
    params: e.params,
    probes: [`${e.type}_${e.hook}`],
    syscall: false,
    emit: "exit",
  })),
].sort((a, b) => a.id - b.id);
