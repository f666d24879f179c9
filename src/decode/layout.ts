/**
 * Byte offsets of the kernel/user structs in bpf/types.h. tests/unit/layout_test.ts compiles
 * bpf/types.h and checks every offset and size here against it.
 */

/** struct event_context: the fixed head of every ring buffer record. */
export const EventContext = {
  size: 120,
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
  size: 32,
  submitted: 0,
  lost_ring: 8,
  lost_inflight: 16,
} as const;
