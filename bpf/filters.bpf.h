/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Policy scopes, evaluated in the kernel before an event is built: an event that no policy
 * wants never reaches the ring buffer. User space fills these maps from the policies
 * (src/filters/kernel_maps.ts) without recompiling anything.
 */
#ifndef TRACEE_FILTERS_BPF_H
#define TRACEE_FILTERS_BPF_H

#include "common.bpf.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct filter_config);
} filter_config SEC(".maps");

#define EQ_NEQ_MAP(name, key_type)                   \
	struct {                                     \
		__uint(type, BPF_MAP_TYPE_HASH);     \
		__uint(max_entries, 1024);           \
		__type(key, key_type);               \
		__type(value, struct eq_neq);        \
	} name SEC(".maps")

struct comm_key {
	char comm[TASK_COMM_LEN];
};

EQ_NEQ_MAP(uid_filter, __u64);
EQ_NEQ_MAP(pid_filter, __u64);
EQ_NEQ_MAP(mntns_filter, __u64);
EQ_NEQ_MAP(pidns_filter, __u64);
EQ_NEQ_MAP(uts_filter, __u64);
EQ_NEQ_MAP(comm_filter, struct comm_key);
EQ_NEQ_MAP(cgroup_filter, __u64);
EQ_NEQ_MAP(binary_filter, __u64);

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u32); /* host tgid */
	__type(value, struct proc_info);
} proc_infos SEC(".maps");

static __always_inline struct filter_config *filters(void)
{
	__u32 zero = 0;
	return bpf_map_lookup_elem(&filter_config, &zero);
}

/*
 * Policies of a type's filter that accept `key`: those without that filter, and those whose
 * `=` values (if any) hold the key and whose `!=` values do not.
 */
static __always_inline __u64 eq_neq_match(void *map, void *key, __u64 enabled, __u64 has_eq)
{
	struct eq_neq *e = bpf_map_lookup_elem(map, key);
	__u64 eq = e ? e->eq : 0;
	__u64 neq = e ? e->neq : 0;

	return ~enabled | (((has_eq & eq) | ~has_eq) & ~neq);
}

/* Policies that pass their range slot for `value` (all ones for policies without one). */
static __always_inline __u64 ranges_match(struct range_slot *slots, __u64 value)
{
	__u64 res = ~0ULL;

#pragma unroll
	for (int i = 0; i < MAX_RANGES; i++) {
		if (slots[i].policies && (value < slots[i].lo || value > slots[i].hi))
			res &= ~slots[i].policies;
	}
	return res;
}

/* FNV-1a 64 of a NUL-terminated string of at most BINARY_HASH_LEN bytes at buf[start]. */
static __always_inline __u64 fnv1a(const char *buf, __u32 start, __u32 mask)
{
	__u64 h = FNV_OFFSET;

	for (__u32 i = 0; i < BINARY_HASH_LEN; i++) {
		char c = buf[(start + i) & mask];

		if (!c)
			break;
		h ^= (unsigned char)c;
		h *= FNV_PRIME;
	}
	return h;
}

/* The hash of the current task's UTS name (hostname). */
static __always_inline __u64 uts_name_hash(void)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct nsproxy *nsp = KREAD(task->nsproxy);
	/* nodename is at most 64 bytes + NUL; the zeroed rest ends the hash before the mask wraps */
	char name[128] = {};

	if (!nsp)
		return 0;
	bpf_probe_read_kernel_str(name, 65, KREAD(nsp->uts_ns)->name.nodename);
	return fnv1a(name, 0, sizeof(name) - 1);
}

/*
 * Each filter type is its own global function: verified once on its own, and its result is
 * an unknown scalar to the caller, so scope_match stays one straight path for the verifier.
 * Each returns the policies the current task passes for that type (all ones when none filters).
 */
__noinline __u64 scope_uid(struct filter_config *fc)
{
	__u64 key, res;

	if (!fc)
		return ~0ULL;
	key = (__u32)bpf_get_current_uid_gid();
	res = ranges_match(fc->uid_ranges, key);
	if (fc->enabled[SCOPE_UID])
		res &= eq_neq_match(&uid_filter, &key, fc->enabled[SCOPE_UID], fc->has_eq[SCOPE_UID]);
	return res;
}

__noinline __u64 scope_pid(struct filter_config *fc)
{
	__u64 key, res;

	if (!fc)
		return ~0ULL;
	key = bpf_get_current_pid_tgid() >> 32;
	res = ranges_match(fc->pid_ranges, key);
	if (fc->enabled[SCOPE_PID])
		res &= eq_neq_match(&pid_filter, &key, fc->enabled[SCOPE_PID], fc->has_eq[SCOPE_PID]);
	return res;
}

__noinline __u64 scope_mntns(struct filter_config *fc)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct nsproxy *nsp;
	__u64 key;

	if (!fc || !fc->enabled[SCOPE_MNTNS])
		return ~0ULL;
	nsp = KREAD(task->nsproxy);
	key = nsp ? KREAD(KREAD(nsp->mnt_ns)->ns.inum) : 0;
	return eq_neq_match(&mntns_filter, &key, fc->enabled[SCOPE_MNTNS], fc->has_eq[SCOPE_MNTNS]);
}

/* pidns= filters. */
__noinline __u64 scope_pidns(struct filter_config *fc)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct pid *tpid;
	__u32 level;
	__u64 key;

	if (!fc || !fc->enabled[SCOPE_PIDNS])
		return ~0ULL;
	tpid = KREAD(task->thread_pid);
	level = KREAD(tpid->level);
	key = KREAD(KREAD(tpid->numbers[level].ns)->ns.inum);
	return eq_neq_match(&pidns_filter, &key, fc->enabled[SCOPE_PIDNS], fc->has_eq[SCOPE_PIDNS]);
}

/*
 * The container scopes (bpf/containers.bpf.h): container, !container, container=new (not
 * running when tracee started), container=<id prefix> and container!=<id prefix> (matched once
 * per container, when its cgroup was first met).
 */
__noinline __u64 scope_container(struct filter_config *fc)
{
	struct container_config *cc = container_cfg();
	__u64 id_eq = cc ? cc->id_eq : 0;
	struct container_info *info;
	__u64 key;

	if (!fc)
		return ~0ULL;
	key = current_container();
	if (!key)
		return ~(fc->container | fc->container_new | id_eq);
	info = bpf_map_lookup_elem(&container_ids, &key);
	if (!info) /* evicted meanwhile: a container all the same, of unknown id and age */
		return ~(fc->not_container | fc->container_new | id_eq);
	return ~fc->not_container & ~(fc->container_new & ((info->flags & CONTAINER_F_EXISTING) ? ~0ULL : 0)) &
	       (~id_eq | info->scope_eq) & ~info->scope_neq;
}

__noinline __u64 scope_uts(struct filter_config *fc)
{
	__u64 key;

	if (!fc || !fc->enabled[SCOPE_UTS])
		return ~0ULL;
	key = uts_name_hash();
	return eq_neq_match(&uts_filter, &key, fc->enabled[SCOPE_UTS], fc->has_eq[SCOPE_UTS]);
}

__noinline __u64 scope_comm(struct filter_config *fc)
{
	struct comm_key comm = {};

	if (!fc || !fc->enabled[SCOPE_COMM])
		return ~0ULL;
	bpf_get_current_comm(comm.comm, sizeof(comm.comm));
	return eq_neq_match(&comm_filter, &comm, fc->enabled[SCOPE_COMM], fc->has_eq[SCOPE_COMM]);
}

__noinline __u64 scope_cgroup(struct filter_config *fc)
{
	__u64 key;

	if (!fc || !fc->enabled[SCOPE_CGROUP])
		return ~0ULL;
	key = bpf_get_current_cgroup_id();
	return eq_neq_match(&cgroup_filter, &key, fc->enabled[SCOPE_CGROUP], fc->has_eq[SCOPE_CGROUP]);
}

/* binary= and tree= (both from proc_infos); follow is applied by scope_match. */
__noinline __u64 scope_process(struct filter_config *fc)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct proc_info *pi;
	__u64 key, res = ~0ULL;

	if (!fc || !(fc->enabled[SCOPE_BINARY] | fc->tree))
		return ~0ULL;
	pi = bpf_map_lookup_elem(&proc_infos, &tgid);
	if (fc->enabled[SCOPE_BINARY]) {
		key = pi ? pi->binary : 0;
		res = eq_neq_match(&binary_filter, &key, fc->enabled[SCOPE_BINARY], fc->has_eq[SCOPE_BINARY]);
	}
	if (fc->tree)
		res &= ~fc->tree | (pi ? pi->tree : 0);
	return res;
}

/* Policies inherited from a matching ancestor (follow). */
__noinline __u64 followed(struct filter_config *fc)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct proc_info *pi;

	if (!fc || !fc->follow)
		return 0;
	pi = bpf_map_lookup_elem(&proc_infos, &tgid);
	return pi ? fc->follow & pi->follow : 0;
}

/* Policies whose scope the current task matches (all ones when no policy filters). */
static __always_inline __u64 scope_match(struct filter_config *fc)
{
	__u64 res = ~0ULL;

	/* Only the filter types some policy uses cost a call. */
	if (fc->enabled[SCOPE_UID] | fc->uid_ranges[0].policies)
		res &= scope_uid(fc);
	if (fc->enabled[SCOPE_PID] | fc->pid_ranges[0].policies)
		res &= scope_pid(fc);
	if (fc->enabled[SCOPE_MNTNS])
		res &= scope_mntns(fc);
	if (fc->enabled[SCOPE_PIDNS])
		res &= scope_pidns(fc);
	if (fc->container | fc->not_container | fc->container_new | fc->container_ids)
		res &= scope_container(fc);
	if (fc->enabled[SCOPE_UTS])
		res &= scope_uts(fc);
	if (fc->enabled[SCOPE_COMM])
		res &= scope_comm(fc);
	if (fc->enabled[SCOPE_CGROUP])
		res &= scope_cgroup(fc);
	if (fc->enabled[SCOPE_BINARY] | fc->tree)
		res &= scope_process(fc);
	if (fc->follow)
		res |= followed(fc);
	return res;
}

/*
 * Whether the current task's event selected by `cfg` is emitted, and for which policies
 * (`*matched`): the policies that selected it and whose scope the task is in. An event no policy
 * wants is dropped before anything is built (and counted), except an internal one (user space
 * keeps state from it for every process), which goes on with *matched = 0.
 */
static __always_inline bool event_wanted(struct event_config *cfg, __u64 *matched)
{
	struct filter_config *fc;
	bool internal;

	*matched = 0;
	if (!cfg || is_self())
		return false;
	internal = cfg->flags & EVENT_CFG_INTERNAL;
	if (!cfg->policies)
		return internal;
	fc = filters();
	if (!fc || !fc->any) {
		*matched = cfg->policies;
		return true;
	}
	*matched = cfg->policies & scope_match(fc);
	if (!*matched && !internal) {
		struct kernel_counters *k = kernel_counters();

		if (k)
			k->filtered++;
		return false;
	}
	return true;
}

/* The policies that want the event (0: drop it); for events that are never internal. */
static __always_inline __u64 match_policies(struct event_config *cfg)
{
	__u64 matched;

	return event_wanted(cfg, &matched) ? matched : 0;
}

/* The event `id` in the per-CPU scratch buffer with its context filled, or NULL when unwanted. */
static __always_inline struct scratch *start_event(__u32 id)
{
	struct scratch *s;
	__u64 matched;

	if (!event_wanted(config_of(id), &matched) || !(s = scratch()))
		return NULL;
	fill_context(&s->ctx, id, matched);
	return s;
}

/* Records what follow/tree/binary need of a new process, inherited from its parent (current). */
static __always_inline void inherit_proc_info(struct task_struct *child)
{
	struct filter_config *fc = filters();
	__u32 parent_tgid = bpf_get_current_pid_tgid() >> 32;
	__u32 child_tgid = KREAD(child->tgid);
	struct proc_info *parent, info = {};

	if (!fc || child_tgid == parent_tgid || !(fc->follow | fc->tree | fc->enabled[SCOPE_BINARY]))
		return;
	parent = bpf_map_lookup_elem(&proc_infos, &parent_tgid);
	if (parent) {
		info.tree = parent->tree;
		info.binary = parent->binary;
	}
	if (fc->follow && !is_self())
		info.follow = scope_match(fc) & fc->follow;
	if (info.follow | info.tree | info.binary)
		bpf_map_update_elem(&proc_infos, &child_tgid, &info, BPF_ANY);
}

#endif /* TRACEE_FILTERS_BPF_H */
