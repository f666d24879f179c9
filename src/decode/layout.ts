/**
 * Byte offsets of the kernel/user structs in bpf/types.h. tests/unit/layout_test.ts compiles
 * bpf/types.h and checks every offset and size here against it.
 */

/** struct event_context: the fixed head of every ring buffer record. */
export const EventContext = {
  size: 128,
  ts: 0,
  cgroup_id: 8,
  matched_policies: 16,
  retval: 24,
  start_time: 32,
  leader_start_time: 40,
  event_id: 48,
  pid: 52,
  tid: 56,
  ppid: 60,
  host_pid: 64,
  host_tid: 68,
  host_ppid: 72,
  uid: 76,
  mnt_ns: 80,
  pid_ns: 84,
  uts_ns: 88,
  payload_size: 92,
  cpu: 96,
  argnum: 98,
  flags: 99,
  syscall: 100,
  comm: 104,
  container: 120,
} as const;

/** Length of event_context.comm. */
export const TASK_COMM_LEN = 16;

/** event_context.flags bits. */
export const EventFlags = {
  TRUNCATED: 0x1,
  COMPAT: 0x2,
} as const;

/** struct event_config: value of the event_config map. */
export const EventConfig = {
  size: 24,
  policies: 0,
  kinds: 8,
  aux: 14,
  argnum: 20,
  flags: 21,
} as const;

/** event_config.flags bits and aux values. */
export const EventConfigFlags = {
  EMIT_AT_ENTER: 0x1,
  CAPTURE_AT_ENTER: 0x2,
  DERIVE: 0x4,
  INTERNAL: 0x8,
  PATH_FILTER: 0x10,
  AUX_NONE: 0xff,
  AUX_RETVAL: 0xfe,
} as const;

/** struct tracee_config: the .rodata knobs. */
export const TraceeConfig = {
  size: 8,
  self_tgid: 0,
  options: 4,
} as const;

/** tracee_config.options bits. */
export const TraceeOptions = {
  EXEC_ENV: 0x1,
} as const;

/** struct kernel_counters: per-CPU value of the counters map. */
export const KernelCounters = {
  size: 48,
  submitted: 0,
  lost_ring: 8,
  lost_stash: 16,
  filtered: 24,
  lost_stash_exit: 32,
  lost_stash_orphan: 40,
} as const;

/** enum scope_filter: index into filter_config.enabled / has_eq. */
export const ScopeFilter = {
  UID: 0,
  PID: 1,
  MNTNS: 2,
  PIDNS: 3,
  UTS: 4,
  COMM: 5,
  CGROUP: 6,
  BINARY: 7,
  TYPES: 8,
} as const;

/** MAX_RANGES: policies that may use uid (and pid) ranges. */
export const MAX_RANGES = 4;

/** struct filter_config: the one entry of the filter_config map. */
export const FilterConfig = {
  size: 384,
  enabled: 0,
  has_eq: 64,
  follow: 128,
  tree: 136,
  container: 144,
  not_container: 152,
  container_new: 160,
  any: 168,
  start_time: 176,
  container_ids: 184,
  uid_ranges: 192,
  pid_ranges: 288,
} as const;

/** struct range_slot. */
export const RangeSlot = { size: 24, policies: 0, lo: 8, hi: 16 } as const;

/** struct eq_neq: value of the equality filter maps. */
export const EqNeq = { size: 16, eq: 0, neq: 8 } as const;

/** struct proc_info: value of proc_infos (key: host tgid). */
export const ProcInfo = { size: 24, follow: 0, tree: 8, binary: 16 } as const;

/** PATH_FILTER_LEN, MAX_PATH_FILTERS. */
export const PATH_FILTER_LEN = 64;
export const MAX_PATH_FILTERS = 8;

/** struct path_prefix. */
export const PathPrefix = { size: 80, policies: 0, len: 8, exact: 12, prefix: 16 } as const;

/** struct path_filter: value of path_filters (key: event id). */
export const PathFilter = { size: 656, filtered: 0, count: 8, prefixes: 16 } as const;

/** CONTAINER_ID_LEN: hex digits of a container id. */
export const CONTAINER_ID_LEN = 64;

/** container_info.runtime values (RUNTIME_*), by the name tracee prints. */
export const ContainerRuntime = {
  unknown: 0,
  docker: 1,
  containerd: 2,
  crio: 3,
  podman: 4,
} as const;

/** container_info.flags bits. */
export const ContainerFlags = { EXISTING: 0x1 } as const;

/** struct container_info: value of container_ids (key: the container cgroup's kernfs id). */
export const ContainerInfo = {
  size: 88,
  id: 0,
  scope_eq: 64,
  scope_neq: 72,
  runtime: 80,
  flags: 84,
} as const;

/** MAX_CONTAINER_FILTERS: container=<id prefix> filters. */
export const MAX_CONTAINER_FILTERS = 16;

/** struct container_id_filter. */
export const ContainerIdFilter = { size: 88, eq: 0, neq: 8, len: 16, prefix: 24 } as const;

/** struct container_config: the one entry of container_config. */
export const ContainerConfig = {
  size: 1424,
  v1_subsys_mask: 0,
  count: 4,
  id_eq: 8,
  filters: 16,
} as const;
