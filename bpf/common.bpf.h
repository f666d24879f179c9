/* SPDX-License-Identifier: GPL-2.0 */
/* Kernel-only helpers: reading kernel memory, maps, the event context. */
#ifndef TRACEE_COMMON_BPF_H
#define TRACEE_COMMON_BPF_H

#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#include "types.h"

/*
 * KREAD(expr) reads one kernel field. In the CO-RE object the types of vmlinux.h carry
 * preserve_access_index, so the compiler records a relocation for the field and libbpf fixes the
 * offset at load time for the running kernel; the non-CO-RE object is compiled against the
 * running kernel's own layout (BPF_NO_PRESERVE_ACCESS_INDEX) and reads at the compiled offset.
 */
#define KREAD(src)                                                      \
	({                                                              \
		typeof(src) __kread_v;                                  \
		bpf_probe_read_kernel(&__kread_v, sizeof(__kread_v), &(src)); \
		__kread_v;                                              \
	})

/* Bytes of a scratch buffer after its event context. */
#define SCRATCH_PAYLOAD (SCRATCH_SIZE - sizeof(struct event_context))

/* An event under construction: exactly what goes into the ring buffer. */
struct scratch {
	struct event_context ctx;
	__u8 payload[SCRATCH_PAYLOAD];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 24); /* user space sets the size before load */
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct kernel_counters);
} counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_EVENT_ID);
	__type(key, __u32);
	__type(value, struct event_config);
} event_config SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scratch);
} scratch_map SEC(".maps");

/*
 * Events encoded at sys_enter and emitted at sys_exit (execve), by host tid: up to 256 execves in
 * flight at once (more are counted as "execve stash full"). Preallocated (8 MiB of kernel
 * memory): allocating a 32 KiB element per execve made the entry program ~20 us slower per exec
 * (bench: kernel cost execve, ~97 -> ~75 us on the development VM).
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, struct scratch);
} exec_stash SEC(".maps");

/* The errno bpf_map_update_elem returns with BPF_NOEXIST when the key is there. */
#define ERR_EEXIST 17

const volatile struct tracee_config tracee_config = {};

static __always_inline struct event_config *config_of(__u32 id)
{
	if (id >= MAX_EVENT_ID)
		return NULL;
	return bpf_map_lookup_elem(&event_config, &id);
}

static __always_inline struct kernel_counters *kernel_counters(void)
{
	__u32 zero = 0;
	return bpf_map_lookup_elem(&counters, &zero);
}

/* Adds one to a kernel_counters field on this CPU. */
#define COUNT(field)                                                    \
	({                                                              \
		struct kernel_counters *__k = kernel_counters();       \
		if (__k)                                                \
			__k->field++;                                   \
	})

/*
 * Keeps the execve event built at sys_enter until its sys_exit (by host tid). An entry already
 * there is an execve whose sys_exit never came for it (e.g. a tracer rewrote orig_ax): counted
 * as orphaned, then replaced.
 */
static __always_inline void stash_exec(__u32 tid, struct scratch *s)
{
	long err = bpf_map_update_elem(&exec_stash, &tid, s, BPF_NOEXIST);

	if (err == -ERR_EEXIST) {
		COUNT(lost_stash_orphan);
		err = bpf_map_update_elem(&exec_stash, &tid, s, BPF_EXIST);
	}
	if (err)
		COUNT(lost_stash);
}

static __always_inline struct scratch *scratch(void)
{
	__u32 zero = 0;
	return bpf_map_lookup_elem(&scratch_map, &zero);
}

static __always_inline bool is_self(void)
{
	return (__u32)(bpf_get_current_pid_tgid() >> 32) == tracee_config.self_tgid;
}

/* The task's id in its own pid namespace, and that namespace's level. */
static __always_inline __u32 pid_nr_at(struct pid *pid, __u32 level)
{
	if (KREAD(pid->level) < level)
		return 0; /* not visible in that namespace */
	return KREAD(pid->numbers[level].nr);
}

#include "containers.bpf.h"

/*
 * What fill_context would read from the task (about twenty probe reads), cached per thread. An
 * entry is valid while the thread is the same task with the same namespaces (nsproxy) and
 * parent; setns/unshare, reparenting or tid reuse make it refill, and the thread's exit
 * (sched_process_exit, always attached) deletes it. The container is kept apart: it is looked
 * up again whenever the thread's css_set changes (moved to another cgroup).
 */
struct task_ctx {
	__u64 task;
	__u64 nsproxy;
	__u64 parent;
	__u64 start_time;
	__u64 leader_start_time;
	__u32 pid;
	__u32 tid;
	__u32 ppid;
	__u32 host_ppid;
	__u32 mnt_ns;
	__u32 pid_ns;
	__u32 uts_ns;
	__u32 pad;
	__u64 cgroups;   /* the css_set `container` was found for */
	__u64 container; /* its container key (0: the host) */
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 32768);
	__type(key, __u32); /* host tid */
	__type(value, struct task_ctx);
} task_ctxs SEC(".maps");

static __noinline int refill_task_ctx(struct task_ctx *tc, struct task_struct *task, struct nsproxy *nsp,
				      struct task_struct *parent)
{
	struct task_struct *leader = KREAD(task->group_leader);
	struct pid *tpid = KREAD(task->thread_pid);
	__u32 level = KREAD(tpid->level);

	tc->task = (__u64)task;
	tc->nsproxy = (__u64)nsp;
	tc->parent = (__u64)parent;
	tc->start_time = KREAD(task->start_time);
	tc->leader_start_time = KREAD(leader->start_time);
	tc->tid = KREAD(tpid->numbers[level].nr);
	tc->pid = pid_nr_at(KREAD(leader->thread_pid), level);
	/* the parent process (its leader), as host_ppid: real_parent may be one of its threads */
	tc->ppid = pid_nr_at(KREAD(KREAD(parent->group_leader)->thread_pid), level);
	tc->host_ppid = KREAD(parent->tgid);
	tc->pid_ns = KREAD(KREAD(tpid->numbers[level].ns)->ns.inum);
	tc->mnt_ns = nsp ? KREAD(KREAD(nsp->mnt_ns)->ns.inum) : 0;
	tc->uts_ns = nsp ? KREAD(KREAD(nsp->uts_ns)->ns.inum) : 0;
	return 0;
}

/* The task's container key, as cached in its context (refreshed when its css_set changed). */
static __always_inline __u64 task_container(struct task_struct *task, struct task_ctx *tc)
{
	__u64 cs = (__u64)KREAD(task->cgroups);

	if (tc->cgroups != cs) {
		tc->container = css_container((struct css_set *)cs);
		tc->cgroups = cs;
	}
	return tc->container;
}

/* The current task's container key, for scopes (before fill_context has cached it). */
static __always_inline __u64 current_container(void)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct task_ctx *tc = bpf_map_lookup_elem(&task_ctxs, &tid);
	__u64 cs = (__u64)KREAD(task->cgroups);

	if (tc && tc->task == (__u64)task && tc->cgroups == cs)
		return tc->container;
	return css_container((struct css_set *)cs);
}

static __always_inline void fill_context(struct event_context *c, __u32 event_id, __u64 policies)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct nsproxy *nsp = KREAD(task->nsproxy);
	struct task_struct *parent = KREAD(task->real_parent);
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pid_tgid;
	struct task_ctx *tc = bpf_map_lookup_elem(&task_ctxs, &tid);
	struct task_ctx fresh; /* zeroed only on a miss: the hit path stays as cheap as it was */

	if (!tc || tc->task != (__u64)task || tc->nsproxy != (__u64)nsp || tc->parent != (__u64)parent) {
		__builtin_memset(&fresh, 0, sizeof(fresh));
		refill_task_ctx(&fresh, task, nsp, parent);
		task_container(task, &fresh);
		/*
		 * Cached for the thread's next events. This event uses what was just read: the LRU
		 * map may not keep it (full, or evicted by another CPU at once), and a record must
		 * never go out with the previous event's context left in the scratch buffer.
		 */
		if (nsp) /* not for an exiting thread (its namespaces are gone): it would outlive it */
			bpf_map_update_elem(&task_ctxs, &tid, &fresh, BPF_ANY);
		tc = &fresh;
	}
	c->container = task_container(task, tc);
	c->ts = bpf_ktime_get_boot_ns();
	c->cgroup_id = bpf_get_current_cgroup_id();
	c->matched_policies = policies;
	c->retval = 0;
	c->start_time = tc->start_time;
	c->leader_start_time = tc->leader_start_time;
	c->event_id = event_id;
	c->tid = tc->tid;
	c->pid = tc->pid;
	c->ppid = tc->ppid;
	c->host_tid = tid;
	c->host_pid = pid_tgid >> 32;
	c->host_ppid = tc->host_ppid;
	c->uid = (__u32)bpf_get_current_uid_gid();
	c->mnt_ns = tc->mnt_ns;
	c->pid_ns = tc->pid_ns;
	c->uts_ns = tc->uts_ns;
	c->payload_size = 0;
	c->cpu = bpf_get_smp_processor_id();
	c->argnum = 0;
	c->flags = 0;
	c->syscall = (__u32)-1;
	bpf_get_current_comm(c->comm, sizeof(c->comm));
}

/*
 * `v & mask`, with the mask kept: the empty asm hides what the compiler knows of `v`'s range,
 * so it cannot fold the mask away, and the verifier sees the bound it needs.
 */
static __always_inline __u32 bounded(__u32 v, __u32 mask)
{
	asm volatile("" : "+r"(v));
	return v & mask;
}

/* Ring buffer data that wakes the consumer (see submit). */
#define WAKEUP_BYTES (64 * 1024)

/* Writes the event (context + payload bytes) to the ring buffer and counts the outcome. */
static __always_inline void submit(struct scratch *s, __u32 payload)
{
	struct kernel_counters *k = kernel_counters();
	__u64 flags, avail;
	__u32 size;

	s->ctx.payload_size = payload;
	/* Payloads end below PAYLOAD_MASK + MAX_STR: the mask only proves the bound to the verifier. */
	size = bounded(sizeof(s->ctx) + payload, SCRATCH_SIZE - 1);
	/*
	 * Waking the consumer for every record costs the producing CPU an irq_work and an APIC write
	 * per event. Wake it when the unread data crosses a multiple of WAKEUP_BYTES: once per ~64
	 * KiB whether the consumer keeps up or lags (it also polls on a short timeout, so a trickle
	 * of events still flows).
	 */
	avail = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);
	flags = (avail / WAKEUP_BYTES) != ((avail + size) / WAKEUP_BYTES) ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
	if (bpf_ringbuf_output(&events, s, size, flags) == 0) {
		if (k)
			k->submitted++;
	} else if (k) {
		k->lost_ring++;
	}
}

#endif /* TRACEE_COMMON_BPF_H */
