/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The only contract between the eBPF programs and user space.
 *
 * Every record in the ring buffer is a struct event_context followed by
 * ctx.payload_size bytes of arguments, encoded per argument kind (see
 * enum arg_kind in events.gen.h and src/decode/). All structs here are
 * fixed-width with explicit padding; src/decode/layout.ts mirrors them and
 * tests/unit/layout_test.ts checks the offsets against this file.
 *
 * Wakeups are batched: the programs wake the consumer once per 64 KiB of
 * records, not per record. A consumer must therefore wait with a short
 * timeout and drain the ring after every wait, woken or not.
 */
#ifndef TRACEE_TYPES_H
#define TRACEE_TYPES_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#include "events.gen.h"

#define TASK_COMM_LEN 16
#define MAX_SYSCALL_ARGS 6

/* Size of the per-CPU scratch buffer an event is built in. */
#define SCRATCH_SIZE 32768
/* Arguments are written at (offset & PAYLOAD_MASK): the verifier can prove every write is in bounds. */
#define PAYLOAD_MASK 16383
/* No argument starts past this offset; later ones are dropped and EVENT_F_TRUNCATED is set. */
#define PAYLOAD_SOFT_LIMIT 12288
/* Longest string read from memory, including its terminating NUL. */
#define MAX_STR 4096
/* Most elements read from a string array (argv, envp). */
#define MAX_STR_ARR 64
/* Most bytes read from a struct sockaddr. */
#define MAX_SOCKADDR 128
/* Most bytes read from a data buffer (read/write). */
#define MAX_BUF 64

/* event_context.flags */
#define EVENT_F_TRUNCATED 0x1   /* some arguments did not fit and were dropped */
#define EVENT_F_COMPAT 0x2      /* 32-bit syscall ABI */

struct event_context {
	__u64 ts;                /* 0: bpf_ktime_get_boot_ns() when the event was emitted */
	__u64 cgroup_id;         /* 8 */
	__u64 matched_policies;  /* 16: bitmap of policies that selected this event */
	__s64 retval;            /* 24: syscall return value, 0 for other events */
	__u64 start_time;        /* 32: thread start time (boot ns) */
	__u64 leader_start_time; /* 40: process (thread group leader) start time */
	__u32 event_id;          /* 48 */
	__u32 pid;               /* 52: thread group id in the task's pid namespace */
	__u32 tid;               /* 56: thread id in the task's pid namespace */
	__u32 ppid;              /* 60: parent's thread group id in the task's pid namespace */
	__u32 host_pid;          /* 64 */
	__u32 host_tid;          /* 68 */
	__u32 host_ppid;         /* 72 */
	__u32 uid;               /* 76 */
	__u32 mnt_ns;            /* 80 */
	__u32 pid_ns;            /* 84 */
	__u32 uts_ns;            /* 88 */
	__u32 payload_size;      /* 92: bytes of encoded arguments after this struct */
	__u16 cpu;               /* 96 */
	__u8 argnum;             /* 98: arguments present in the payload */
	__u8 flags;              /* 99: EVENT_F_* */
	__u32 syscall;           /* 100: syscall being executed when the event fired, or -1 */
	char comm[TASK_COMM_LEN]; /* 104 */
	__u64 container;         /* 120: the container's key (its cgroup's kernfs id), 0 on the host */
};                           /* 128 */

_Static_assert(sizeof(struct event_context) == 128, "event_context layout changed");

/* Value of the event_config map, indexed by event id. */
struct event_config {
	__u64 policies;                   /* 0: policies that selected this event; 0 = off */
	__u8 kinds[MAX_SYSCALL_ARGS];     /* 8: enum arg_kind of each syscall argument */
	__u8 aux[MAX_SYSCALL_ARGS];       /* 14: per argument, index of its length argument (ARG_AUX_*) */
	__u8 argnum;                      /* 20 */
	__u8 flags;                       /* 21: EVENT_CFG_* */
	__u8 pad[2];                      /* 22 */
};                                    /* 24 */

_Static_assert(sizeof(struct event_config) == 24, "event_config layout changed");

/* event_config.flags */
#define EVENT_CFG_EMIT_AT_ENTER 0x1    /* the syscall does not return (exit, exit_group) */
#define EVENT_CFG_CAPTURE_AT_ENTER 0x2 /* arguments are gone at exit (execve): encode them at entry */
#define EVENT_CFG_DERIVE 0x4           /* a selected derived event is built at this syscall's exit */
#define EVENT_CFG_INTERNAL 0x8         /* emitted for every process: user space keeps state from it */
#define EVENT_CFG_PATH_FILTER 0x10     /* some policy filters this event's path by prefix (path_filters) */

/* event_config.aux values other than an argument index */
#define ARG_AUX_NONE 0xff
#define ARG_AUX_RETVAL 0xfe

/* Knobs set in .rodata before the object is loaded. */
struct tracee_config {
	__u32 self_tgid;  /* 0: tracee's own process, never traced */
	__u32 options;    /* 4: OPT_* */
};                    /* 8 */

_Static_assert(sizeof(struct tracee_config) == 8, "tracee_config layout changed");

#define OPT_EXEC_ENV 0x1 /* sched_process_exec carries the environment */

/* mem_prot_alert's `alert` argument. */
#define ALERT_MMAP_W_X 1    /* mmap of a region both writable and executable */
#define ALERT_MPROT_X_ADD 2 /* mprotect made a region executable */
#define ALERT_MPROT_W_ADD 3 /* mprotect made an executable region writable as well */
#define ALERT_MPROT_W_REM 4 /* mprotect made a writable region executable, no longer writable */

/*
 * Per-CPU kernel counters, summed by user space. Every event a policy selected ends in exactly
 * one of submitted or lost_*; filtered counts the selected events no scope wanted.
 */
struct kernel_counters {
	__u64 submitted;         /* 0: records written to the ring buffer */
	__u64 lost_ring;         /* 8: records the ring buffer had no room for */
	__u64 lost_stash;        /* 16: execve events that could not be kept from entry to exit (stash full) */
	__u64 filtered;          /* 24: selected events no policy's scope matched (never reserved) */
	__u64 lost_stash_exit;   /* 32: execve events dropped because their thread exited before their sys_exit */
	__u64 lost_stash_orphan; /* 40: execve events whose sys_exit never came (another syscall's exit or execve came first) */
};                           /* 48 */

_Static_assert(sizeof(struct kernel_counters) == 48, "kernel_counters layout changed");

/*
 * Policies and their scopes. Up to MAX_POLICIES policies; every bitmap below has bit p set for
 * policy p. The scope filters run in the eBPF programs before an event is built.
 */
#define MAX_POLICIES 64

/* Scope filters keyed by a value: one hash map each, value struct eq_neq. */
enum scope_filter {
	SCOPE_UID = 0,
	SCOPE_PID = 1,
	SCOPE_MNTNS = 2,
	SCOPE_PIDNS = 3,
	SCOPE_UTS = 4,
	SCOPE_COMM = 5,
	SCOPE_CGROUP = 6,
	SCOPE_BINARY = 7,
	SCOPE_TYPES = 8,
};

/* Value of the equality filter maps: policies with `key=value`, policies with `key!=value`. */
struct eq_neq {
	__u64 eq;  /* 0 */
	__u64 neq; /* 8 */
};             /* 16 */

_Static_assert(sizeof(struct eq_neq) == 16, "eq_neq layout changed");

/* Bounds of one policy's uid (or pid) range, inclusive. */
struct range_slot {
	__u64 policies; /* 0: the policy owning the slot (one bit), 0 = unused */
	__u64 lo;       /* 8 */
	__u64 hi;       /* 16 */
};                  /* 24 */

/* Policies that may use uid ranges, and pid ranges (uid>=1000, pid<100, ...). */
#define MAX_RANGES 4

/* The one entry of the filter_config map. */
struct filter_config {
	__u64 enabled[SCOPE_TYPES]; /* 0: policies filtering on each type */
	__u64 has_eq[SCOPE_TYPES];  /* 64: policies with at least one `=` value of the type */
	__u64 follow;               /* 128: policies that follow descendants of matching processes */
	__u64 tree;                 /* 136: policies scoped to process trees (tree=<pid>) */
	__u64 container;            /* 144: policies for containers only */
	__u64 not_container;        /* 152: policies for the host only (!container) */
	__u64 container_new;        /* 160: policies for containers created after tracee started */
	__u64 any;                  /* 168: every policy with a scope filter; 0 = no filtering */
	__u64 start_time;           /* 176: tracee's start (boot ns) */
	__u64 container_ids;        /* 184: policies with container=<id> or container!=<id> */
	struct range_slot uid_ranges[MAX_RANGES]; /* 192 */
	struct range_slot pid_ranges[MAX_RANGES]; /* 288 */
};                                            /* 384 */

_Static_assert(sizeof(struct filter_config) == 384, "filter_config layout changed");

/* What the kernel remembers of a process (key: host tgid) for follow, tree= and binary=. */
struct proc_info {
	__u64 follow; /* 0: policies inherited from a matching ancestor */
	__u64 tree;   /* 8: policies whose tree= the process is in */
	__u64 binary; /* 16: FNV-1a 64 of the executable's path (first BINARY_HASH_LEN bytes) */
};                /* 24 */

_Static_assert(sizeof(struct proc_info) == 24, "proc_info layout changed");

/*
 * Path prefix filters of one event (security_file_open.data.pathname=/etc/...), checked in the
 * kernel against the path it resolved, before the event is built. A policy in `policies` keeps
 * the event only when one of its prefixes matches; other policies are not affected. User space
 * checks the same filters again, so this only saves work.
 */
#define PATH_FILTER_LEN 64     /* prefix bytes, including room for the NUL */
#define MAX_PATH_FILTERS 8     /* prefixes per event */

struct path_prefix {
	__u64 policies;            /* 0: policies this prefix accepts */
	__u32 len;                 /* 8: bytes to compare (without NUL) */
	__u32 exact;               /* 12: 1 = the whole path must equal the prefix */
	char prefix[PATH_FILTER_LEN]; /* 16 */
};                             /* 80 */

_Static_assert(sizeof(struct path_prefix) == 80, "path_prefix layout changed");

struct path_filter {
	__u64 filtered;            /* 0: policies with a path filter on the event */
	__u32 count;               /* 8: prefixes in use */
	__u32 pad;                 /* 12 */
	struct path_prefix prefixes[MAX_PATH_FILTERS]; /* 16 */
};                             /* 656 */

_Static_assert(sizeof(struct path_filter) == 656, "path_filter layout changed");

/*
 * Containers (bpf/containers.bpf.h). An event carries the kernfs id of its container's cgroup;
 * container_ids maps it to the container's id, parsed once from the cgroup's name.
 */
#define CONTAINER_ID_LEN 64

/* container_info.runtime: which runtime's naming the cgroup follows. */
#define RUNTIME_UNKNOWN 0
#define RUNTIME_DOCKER 1
#define RUNTIME_CONTAINERD 2
#define RUNTIME_CRIO 3
#define RUNTIME_PODMAN 4

/* container_info.flags */
#define CONTAINER_F_EXISTING 0x1 /* running when tracee started (written by user space) */

/* Value of container_ids (key: the container cgroup's kernfs id). */
struct container_info {
	char id[CONTAINER_ID_LEN]; /* 0: 64 hex digits, no NUL */
	__u64 scope_eq;            /* 64: policies whose container=<id prefix> it matches */
	__u64 scope_neq;           /* 72: policies whose container!=<id prefix> it matches */
	__u32 runtime;             /* 80: RUNTIME_* */
	__u32 flags;               /* 84: CONTAINER_F_* */
};                             /* 88 */

_Static_assert(sizeof(struct container_info) == 88, "container_info layout changed");

/* container=<id prefix> / container!=<id prefix> of the policies. */
#define MAX_CONTAINER_FILTERS 16

struct container_id_filter {
	__u64 eq;                      /* 0: policies with container=<prefix> */
	__u64 neq;                     /* 8: policies with container!=<prefix> */
	__u32 len;                     /* 16: prefix length */
	__u32 pad;                     /* 20 */
	char prefix[CONTAINER_ID_LEN]; /* 24 */
};                                 /* 88 */

_Static_assert(sizeof(struct container_id_filter) == 88, "container_id_filter layout changed");

/* The one entry of container_config. */
struct container_config {
	__u32 v1_subsys_mask;  /* 0: cgroup v1 controllers (bit = subsystem id) to find containers in */
	__u32 count;           /* 4: id filters in use */
	__u64 id_eq;           /* 8: policies with a container=<id> filter */
	struct container_id_filter filters[MAX_CONTAINER_FILTERS]; /* 16 */
};                         /* 1424 */

_Static_assert(sizeof(struct container_config) == 1424, "container_config layout changed");

/* Key of live_containers: the first 16 characters of a container id. */
struct container_short_id {
	char id[16];
};

/* Bytes of a path or hostname that their FNV-1a 64 hash covers. */
#define BINARY_HASH_LEN 256
#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

#endif /* TRACEE_TYPES_H */
