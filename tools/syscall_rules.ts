/**
 * How tools/gen_events.ts turns a kernel syscall prototype into an events table row: Tracee's
 * argument names, the kernel encoding of each argument (ArgKind), the sets, the emit point.
 */
import { ArgKind } from "../src/events/arg_kind.ts";
import type { EmitPoint, Param } from "../src/events/event_def.ts";

/** [C type, name] as the kernel declares it. */
export type RawParam = readonly [string, string];

/** What the generator writes for one syscall. */
export interface CatalogueRow {
  readonly sets: string[];
  readonly params: Param[];
  readonly emit: EmitPoint;
}

// ---- names ---------------------------------------------------------------------------------

/** Kernel argument names → the names Tracee prints, for every syscall. */
const RENAME: Readonly<Record<string, string>> = {
  filename: "pathname",
  dfd: "dirfd",
  olddfd: "olddirfd",
  newdfd: "newdirfd",
  oldname: "oldpath",
  newname: "newpath",
  uservaddr: "addr",
  umyaddr: "addr",
  upeer_sockaddr: "addr",
  usockaddr: "addr",
  upeer_addrlen: "addrlen",
  usockaddr_len: "addrlen",
  addr_len: "addrlen",
  ubuf: "buf",
  buff: "buf",
  fildes: "pipefd",
  usockvec: "sv",
  error_code: "status",
  stat_addr: "wstatus",
  ru: "rusage",
  upid: "pid",
  flag: "flags",
};

/** Per-syscall names where Tracee differs from the kernel beyond RENAME. */
const RENAME_IN: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  socket: { family: "domain" },
  socketpair: { family: "domain" },
  mmap: { len: "length", off: "offset" },
  munmap: { len: "length" },
  mprotect: { start: "addr" },
  clone: {
    clone_flags: "flags",
    newsp: "stack",
    parent_tidptr: "parent_tid",
    child_tidptr: "child_tid",
  },
  rt_sigaction: { sig: "signum", oact: "oldact" },
  chdir: { pathname: "path" },
  chroot: { pathname: "path" },
  mount: { dev_name: "source", dir_name: "target", type: "filesystemtype", flags: "mountflags" },
  umount2: { name: "target" },
  memfd_create: { uname: "name" },
  init_module: { umod: "module_image", uargs: "param_values" },
  finit_module: { uargs: "param_values" },
  delete_module: { name_user: "name" },
  execveat: { fd: "dirfd" },
  setns: { flags: "nstype" },
  unshare: { unshare_flags: "flags" },
  pkey_mprotect: { start: "addr" },
};

/** Syscalls whose `fd` is a socket (Tracee names it sockfd). */
const SOCKET_FD = new Set([
  "bind",
  "listen",
  "accept",
  "accept4",
  "connect",
  "getsockname",
  "getpeername",
  "setsockopt",
  "getsockopt",
  "shutdown",
  "sendto",
  "recvfrom",
  "sendmsg",
  "recvmsg",
  "sendmmsg",
  "recvmmsg",
]);

function traceeName(syscall: string, kernelName: string): string {
  const renamed = RENAME[kernelName] ?? kernelName;
  if (renamed === "fd" && SOCKET_FD.has(syscall)) return "sockfd";
  return RENAME_IN[syscall]?.[renamed] ?? RENAME_IN[syscall]?.[kernelName] ?? renamed;
}

/** `const char *const *` → `const char*const*`; umode_t shows as mode_t, as Tracee prints it. */
function normalizeType(type: string): string {
  const t = type.replace(/__user\s*/g, "").replace(/\s*\*\s*/g, "*").replace(/\s+/g, " ").trim();
  return t === "umode_t" ? "mode_t" : t;
}

// ---- kinds ---------------------------------------------------------------------------------

const S32_TYPES = new Set([
  "int",
  "pid_t",
  "key_t",
  "mqd_t",
  "timer_t",
  "clockid_t",
  "rwf_t",
  "key_serial_t",
]);
const U32_TYPES = new Set([
  "unsigned int",
  "unsigned",
  "uid_t",
  "gid_t",
  "mode_t",
  "u32",
  "__u32",
  "qid_t",
  "old_uid_t",
  "old_gid_t",
]);
const S64_TYPES = new Set([
  "long",
  "off_t",
  "loff_t",
  "ssize_t",
  "__s64",
  "s64",
  "time_t",
  "__kernel_old_time_t",
]);
const U64_TYPES = new Set(["unsigned long", "size_t", "u64", "__u64", "aio_context_t"]);

/** Output buffers holding data the syscall read (length = return value). */
const READ_BUFFERS: Readonly<Record<string, string>> = {
  read: "buf",
  pread64: "buf",
  recvfrom: "buf",
  readlink: "buf",
  readlinkat: "buf",
  getrandom: "buf",
};

/** Input buffers of data written, with the argument holding their length. */
const WRITE_BUFFERS: Readonly<Record<string, [string, string]>> = {
  write: ["buf", "count"],
  pwrite64: ["buf", "count"],
  sendto: ["buf", "len"],
};

/** char* output arguments that hold a NUL-terminated string at exit. */
const OUTPUT_STRINGS: Readonly<Record<string, string>> = { getcwd: "buf" };

function scalarKind(type: string): ArgKind {
  if (type.includes("*")) return ArgKind.PTR;
  if (S32_TYPES.has(type)) return ArgKind.S32;
  if (U32_TYPES.has(type)) return ArgKind.U32;
  if (S64_TYPES.has(type)) return ArgKind.S64;
  if (U64_TYPES.has(type)) return ArgKind.U64;
  return ArgKind.U64;
}

/** Integer arguments that are memory addresses: shown as void* (hex), as Tracee does. */
const ADDRESS_NAME = new Set(["addr", "start", "brk", "new_addr", "old_addr"]);

/** File descriptor arguments (fd, dirfd, sockfd, oldfd, epfd, …): Tracee shows them as int. */
const FD_NAME = /^(fd|\w+fd)$/;

function kindOf(
  syscall: string,
  type: string,
  name: string,
  all: readonly (readonly [string, string])[],
): Param {
  const index = (n: string) => all.findIndex(([, pn]) => pn === n);
  if (FD_NAME.test(name) && !type.includes("*")) return { type: "int", name, kind: ArgKind.S32 };
  if (ADDRESS_NAME.has(name) && !type.includes("*")) {
    return { type: "void*", name, kind: ArgKind.PTR };
  }
  if (READ_BUFFERS[syscall] === name) return { type, name, kind: ArgKind.BUF, aux: "retval" };
  const wb = WRITE_BUFFERS[syscall];
  if (wb && wb[0] === name) return { type, name, kind: ArgKind.BUF, aux: index(wb[1]) };
  if (OUTPUT_STRINGS[syscall] === name) return { type, name, kind: ArgKind.STR };
  if (type === "const char*") return { type, name, kind: ArgKind.STR };
  if (type === "const char*const*") return { type, name, kind: ArgKind.STR_ARR };
  if (type === "struct sockaddr*") {
    const len = all.findIndex(([, pn], i) => i > index(name) && pn.includes("len"));
    if (len < 0) return { type, name, kind: ArgKind.PTR };
    const lenKind = all[len]![0].includes("*") ? ArgKind.SOCKADDR_LENPTR : ArgKind.SOCKADDR;
    return { type, name, kind: lenKind, aux: len };
  }
  if (type === "int*" && (name === "pipefd" || name === "sv")) {
    return { type: "int[2]", name, kind: ArgKind.INT_ARR2 };
  }
  if (type === "struct __kernel_timespec*" || type === "struct timespec*") {
    return { type: "struct timespec*", name, kind: ArgKind.TIMESPEC };
  }
  return { type, name, kind: scalarKind(type) };
}

// ---- sets ----------------------------------------------------------------------------------

/** Sub-sets and the syscalls in them; a syscall also joins the parent set (before the _). */
const SETS: Readonly<Record<string, string>> = {
  fs_read_write:
    "read write pread64 pwrite64 readv writev preadv pwritev preadv2 pwritev2 sendfile splice tee vmsplice copy_file_range lseek",
  fs_file_ops:
    "open openat openat2 creat close close_range truncate ftruncate fallocate fadvise64 readahead open_by_handle_at name_to_handle_at mknod mknodat memfd_create memfd_secret",
  fs_dir_ops: "getdents getdents64 mkdir mkdirat rmdir chdir fchdir getcwd",
  fs_link_ops:
    "link linkat unlink unlinkat symlink symlinkat readlink readlinkat rename renameat renameat2",
  fs_file_attr:
    "stat fstat lstat newfstatat statx statfs fstatfs access faccessat faccessat2 chmod fchmod fchmodat fchmodat2 chown fchown lchown fchownat utime utimes utimensat futimesat setxattr lsetxattr fsetxattr getxattr lgetxattr fgetxattr listxattr llistxattr flistxattr removexattr lremovexattr fremovexattr setxattrat getxattrat listxattrat removexattrat umask file_getattr file_setattr",
  fs_fd_ops: "dup dup2 dup3 fcntl flock ioctl",
  fs_mux_io:
    "poll ppoll select pselect6 epoll_create epoll_create1 epoll_ctl epoll_wait epoll_pwait epoll_pwait2",
  fs_async_io:
    "io_setup io_destroy io_getevents io_submit io_cancel io_pgetevents io_uring_setup io_uring_enter io_uring_register",
  fs_sync: "sync syncfs fsync fdatasync sync_file_range msync",
  fs_monitor:
    "inotify_init inotify_init1 inotify_add_watch inotify_rm_watch fanotify_init fanotify_mark",
  fs_mount:
    "mount umount2 pivot_root chroot swapon swapoff fsopen fsconfig fsmount fspick move_mount open_tree open_tree_attr mount_setattr statmount listmount quotactl quotactl_fd sysfs ustat",
  net_sock:
    "socket socketpair bind listen accept accept4 connect getsockname getpeername setsockopt getsockopt shutdown",
  net_snd_rcv: "sendto recvfrom sendmsg recvmsg sendmmsg recvmmsg",
  proc_life: "execve execveat fork vfork clone clone3 exit exit_group wait4 waitid",
  proc_ids:
    "getpid getppid gettid getuid geteuid getgid getegid setuid setgid setreuid setregid setresuid getresuid setresgid getresgid setfsuid setfsgid getgroups setgroups getpgid setpgid getpgrp getsid setsid capget capset",
  proc_mem:
    "brk mmap munmap mprotect mremap madvise mlock munlock mlockall munlockall mlock2 mincore remap_file_pages process_vm_readv process_vm_writev pkey_mprotect pkey_alloc pkey_free membarrier userfaultfd mseal map_shadow_stack process_madvise process_mrelease cachestat",
  proc_sched:
    "sched_yield sched_setparam sched_getparam sched_setscheduler sched_getscheduler sched_get_priority_max sched_get_priority_min sched_rr_get_interval sched_setaffinity sched_getaffinity sched_setattr sched_getattr getpriority setpriority ioprio_set ioprio_get getcpu",
  proc_ctl:
    "ptrace prctl arch_prctl seccomp unshare setns personality getrlimit setrlimit prlimit64 getrusage times kcmp pidfd_open pidfd_getfd rseq set_tid_address modify_ldt iopl ioperm uprobe uretprobe get_thread_area set_thread_area",
  signals:
    "restart_syscall kill tkill tgkill rt_sigaction rt_sigprocmask rt_sigreturn rt_sigpending rt_sigtimedwait rt_sigqueueinfo rt_tgsigqueueinfo rt_sigsuspend sigaltstack signalfd signalfd4 pause pidfd_send_signal",
  ipc_pipe: "pipe pipe2",
  ipc_shm: "shmget shmat shmctl shmdt",
  ipc_sem: "semget semop semctl semtimedop",
  ipc_msgq:
    "msgget msgsnd msgrcv msgctl mq_open mq_unlink mq_timedsend mq_timedreceive mq_notify mq_getsetattr",
  ipc_futex:
    "futex futex_waitv futex_wake futex_wait futex_requeue set_robust_list get_robust_list",
  ipc_event: "eventfd eventfd2",
  time_timer:
    "alarm getitimer setitimer timer_create timer_settime timer_gettime timer_getoverrun timer_delete timerfd_create timerfd_settime timerfd_gettime",
  time_tod: "gettimeofday settimeofday time adjtimex",
  time_clock: "clock_settime clock_gettime clock_getres clock_nanosleep clock_adjtime nanosleep",
  system_module:
    "init_module finit_module delete_module create_module get_kernel_syms query_module",
  system_numa: "mbind set_mempolicy get_mempolicy migrate_pages move_pages set_mempolicy_home_node",
  system_keys: "add_key request_key keyctl",
  system_security:
    "bpf perf_event_open landlock_create_ruleset landlock_add_rule landlock_restrict_self lsm_get_self_attr lsm_set_self_attr lsm_list_modules",
  system_misc:
    "getrandom uselib reboot sethostname setdomainname syslog sysinfo uname kexec_load kexec_file_load acct lookup_dcookie vhangup _sysctl nfsservctl",
};

/** Syscalls a security engineer wants by default (with the process events). */
const DEFAULT = new Set(
  ("execve execveat ptrace init_module finit_module delete_module bpf memfd_create mount umount2 pivot_root chroot " +
    "unshare setns setuid setgid setreuid setregid setresuid setresgid connect accept accept4 bind process_vm_writev")
    .split(" "),
);

const SET_OF = new Map<string, string[]>();
for (const [set, names] of Object.entries(SETS)) {
  const parent = set.split("_")[0]!;
  for (const n of names.split(/\s+/)) {
    const sets = SET_OF.get(n) ?? [];
    if (!sets.includes(parent)) sets.push(parent);
    if (set !== parent) sets.push(set);
    SET_OF.set(n, sets);
  }
}

/** Sets of a syscall (after "syscalls"). */
export function setsOf(name: string): string[] {
  const sets = [...(SET_OF.get(name) ?? [])];
  if (DEFAULT.has(name)) sets.push("default");
  return sets;
}

// ---- rows ----------------------------------------------------------------------------------

const EMIT: Readonly<Record<string, EmitPoint>> = {
  exit: "enter",
  exit_group: "enter",
  execve: "enter-capture",
  execveat: "enter-capture",
};

/** The table row of syscall `name` with kernel arguments `raw`. */
export function catalogueRules(name: string, raw: readonly RawParam[]): CatalogueRow {
  const named = raw.map(([type, n]) => [normalizeType(type), traceeName(name, n)] as const);
  return {
    sets: setsOf(name),
    params: named.map(([type, n]) => kindOf(name, type, n, named)),
    emit: EMIT[name] ?? "exit",
  };
}
