import { ArgKind as K } from "./arg_kind.ts";
import type { EventDef, Param } from "./event_def.ts";
import type { ProbeDef, ProbeType } from "./probes.ts";

/**
 * Tracee events built on kprobes and BPF LSM hooks. They are part of the catalogue (so they can
 * be listed and selected), but their probes need kernel features tracee checks at start: where
 * those are missing, selecting one logs one warning naming what is missing, and the rest runs.
 */
interface HookEvent {
  readonly id: number;
  readonly name: string;
  readonly hook: string;
  readonly type: ProbeType;
  readonly sets: readonly string[];
  readonly params: readonly Param[];
}

const str = (name: string): Param => ({ type: "const char*", name, kind: K.STR });
const int = (name: string): Param => ({ type: "int", name, kind: K.S32 });
const u64 = (name: string, type = "unsigned long"): Param => ({ type, name, kind: K.U64 });

const HOOK_EVENTS: readonly HookEvent[] = [
  {
    id: 1100,
    name: "security_file_open",
    hook: "security_file_open",
    type: "kprobe",
    sets: ["lsm_hooks", "fs", "fs_file_ops", "default"],
    params: [
      str("pathname"),
      int("flags"),
      u64("dev", "dev_t"),
      u64("inode"),
      u64("ctime"),
      str("syscall_pathname"),
    ],
  },
  {
    id: 1101,
    name: "security_bprm_check",
    hook: "security_bprm_check",
    type: "kprobe",
    sets: ["lsm_hooks", "proc", "proc_life", "default"],
    params: [str("pathname"), u64("dev", "dev_t"), u64("inode")],
  },
  {
    id: 1102,
    name: "security_socket_connect",
    hook: "security_socket_connect",
    type: "kprobe",
    sets: ["lsm_hooks", "net", "net_sock", "default"],
    params: [int("sockfd"), int("type"), {
      type: "struct sockaddr*",
      name: "remote_addr",
      kind: K.SOCKADDR,
    }],
  },
  {
    id: 1103,
    name: "security_socket_bind",
    hook: "security_socket_bind",
    type: "kprobe",
    sets: ["lsm_hooks", "net", "net_sock", "default"],
    params: [int("sockfd"), { type: "struct sockaddr*", name: "local_addr", kind: K.SOCKADDR }],
  },
  {
    id: 1104,
    name: "security_sb_mount",
    hook: "security_sb_mount",
    type: "kprobe",
    sets: ["lsm_hooks", "fs", "default"],
    params: [str("dev_name"), str("path"), str("type"), u64("flags")],
  },
  {
    id: 1105,
    name: "security_inode_unlink",
    hook: "security_inode_unlink",
    type: "kprobe",
    sets: ["lsm_hooks", "fs", "fs_link_ops", "default"],
    params: [str("pathname"), u64("inode"), u64("dev", "dev_t"), u64("ctime")],
  },
  {
    id: 1106,
    name: "security_bpf",
    hook: "security_bpf",
    type: "kprobe",
    sets: ["lsm_hooks", "default"],
    params: [int("cmd")],
  },
  {
    id: 1107,
    name: "security_kernel_read_file",
    hook: "security_kernel_read_file",
    type: "kprobe",
    sets: ["lsm_hooks", "default"],
    params: [str("pathname"), u64("dev", "dev_t"), u64("inode"), int("type"), u64("ctime")],
  },
  {
    id: 1108,
    name: "security_file_mprotect",
    hook: "security_file_mprotect",
    type: "lsm",
    sets: ["lsm_hooks", "proc", "proc_mem", "default"],
    params: [str("pathname"), int("prot"), u64("ctime"), int("prev_prot")],
  },
  {
    id: 1109,
    name: "cap_capable",
    hook: "cap_capable",
    type: "kprobe",
    sets: ["default"],
    params: [int("cap")],
  },
  {
    id: 1110,
    name: "commit_creds",
    hook: "commit_creds",
    type: "kprobe",
    sets: ["default"],
    params: [u64("old_cred", "slim_cred_t"), u64("new_cred", "slim_cred_t")],
  },
  {
    id: 1111,
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
    id: 1112,
    name: "vfs_write",
    hook: "vfs_write",
    type: "kprobe",
    sets: ["fs", "fs_read_write"],
    params: [
      str("pathname"),
      u64("dev", "dev_t"),
      u64("inode"),
      u64("count", "size_t"),
      u64("pos", "off_t"),
    ],
  },
  {
    id: 1113,
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
    id: 1114,
    name: "do_init_module",
    hook: "do_init_module",
    type: "kprobe",
    sets: ["system", "system_module", "default"],
    params: [str("name"), str("version"), str("src_version")],
  },
];

/** The probes of the hook events (their programs are not in tracee's eBPF objects yet). */
export const hookProbes: readonly ProbeDef[] = HOOK_EVENTS.map((e) => ({
  name: `${e.type}_${e.hook}`,
  program: `tracee_${e.type}_${e.hook}`,
  type: e.type,
  target: e.hook,
}));

/** The hook events as events table rows. */
export const securityEvents: readonly EventDef[] = HOOK_EVENTS.map((e) => ({
  id: e.id,
  name: e.name,
  sets: e.sets,
  params: e.params,
  probes: [`${e.type}_${e.hook}`],
  syscall: false,
  emit: "exit",
}));
