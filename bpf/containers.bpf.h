/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The container a task runs in, from its cgroup's name as the runtimes write it:
 *   podman      libpod-<id>, libpod-<id>.scope
 *   docker      docker-<id>.scope, docker/<id>
 *   containerd  cri-containerd-<id>, cri-containerd-<id>.scope
 *   cri-o       crio-<id>, crio-<id>.scope
 * (<id>: 64 hex digits; src/containers/cgroup_path.ts reads paths the same way.)
 *
 * An event carries a small key, never the id: the kernfs id of the container's cgroup (0 on the
 * host). The 64-digit id is parsed once per container cgroup into container_ids, where user space
 * reads it the first time it meets the key. Per event the cost is one read of task->cgroups,
 * compared with what the thread's cached context (task_ctx) saw last; only when a thread changes
 * css_set is the container looked up again, by cgroup id in cgroup_containers, and only a cgroup
 * never seen before has its name (and its ancestors', innermost first) read.
 *
 * Where: the task's cgroup v2 cgroup first, then its cgroup in each v1 hierarchy user space named
 * in container_config (hybrid hosts: a runtime may leave containers in the v2 root).
 *
 * Included by common.bpf.h after KREAD, before fill_context.
 */
#ifndef TRACEE_CONTAINERS_BPF_H
#define TRACEE_CONTAINERS_BPF_H

/* Bytes of a cgroup name read for matching: "cri-containerd-" + 64 + ".scope" is 85. */
#define CGROUP_NAME_LEN 128
#define CGROUP_NAME_MASK (CGROUP_NAME_LEN - 1)
/* Ancestors looked at above a task's cgroup (a container's own children: init.scope, …). */
#define CONTAINER_WALK_DEPTH 6
/* Subsystem ids container_config.v1_subsys_mask can name. */
#define MAX_CGROUP_SUBSYS 16

/* Container cgroup kernfs id → its id, runtime and what scopes need of it. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, struct container_info);
} container_ids SEC(".maps");

/* Any cgroup kernfs id a task was seen in → its container's key (0: not in a container). */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 32768);
	__type(key, __u64);
	__type(value, __u64);
} cgroup_containers SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct container_config);
} container_config SEC(".maps");

/* Where a cgroup name is matched (per CPU; only when a cgroup is met for the first time). */
struct container_match {
	char name[CGROUP_NAME_LEN];
	char parent[CGROUP_NAME_LEN];
	char runtime[16];                    /* the runtime's name, for container events */
	char id_str[CONTAINER_ID_LEN + 8];   /* the id with its NUL, for container events */
	struct container_info info;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct container_match);
} container_match_buf SEC(".maps");

static __always_inline struct container_match *container_match(void)
{
	__u32 zero = 0;
	return bpf_map_lookup_elem(&container_match_buf, &zero);
}

static __always_inline struct container_config *container_cfg(void)
{
	__u32 zero = 0;
	return bpf_map_lookup_elem(&container_config, &zero);
}

#ifdef TRACEE_CORE
/* struct kernfs_node before 6.15 named its parent `parent`. */
struct kernfs_node___pre615 {
	struct kernfs_node *parent;
} __attribute__((preserve_access_index));
#endif

static __always_inline struct kernfs_node *kn_parent(struct kernfs_node *kn)
{
#ifdef TRACEE_CORE
	if (bpf_core_field_exists(kn->__parent))
		return KREAD(kn->__parent);
	return KREAD(((struct kernfs_node___pre615 *)kn)->parent);
#elif defined(HAVE_KERNFS___PARENT)
	return KREAD(kn->__parent);
#else
	return KREAD(kn->parent);
#endif
}

/*
 * Up to 8 bytes of a string literal as a little-endian word, folded at compile time: literals
 * never become data the program loads (the object keeps no string section).
 */
#define LIT_BYTE(s, i) ((i) < sizeof(s) - 1 ? (__u64)(unsigned char)(s)[(i) < sizeof(s) - 1 ? (i) : 0] << (8 * (i)) : 0)
#define LIT8(s)                                                                                \
	(LIT_BYTE(s, 0) | LIT_BYTE(s, 1) | LIT_BYTE(s, 2) | LIT_BYTE(s, 3) | LIT_BYTE(s, 4) |     \
	 LIT_BYTE(s, 5) | LIT_BYTE(s, 6) | LIT_BYTE(s, 7))

/* n (<= 8) bytes of name from `at`, as a little-endian word. */
static __always_inline __u64 name_word(const char *name, __u32 at, __u32 n)
{
	__u64 w = 0;

#pragma unroll
	for (__u32 i = 0; i < 8; i++) {
		if (i < n)
			w |= (__u64)(unsigned char)name[(at + i) & CGROUP_NAME_MASK] << (8 * i);
	}
	return w;
}

/* Whether name[at..] starts with the literal (at most 8 bytes). */
#define NAME_HAS(name, at, lit) (name_word((name), (at), sizeof(lit) - 1) == LIT8(lit))

static __always_inline bool is_hex_id(const char *name, __u32 at)
{
	for (__u32 i = 0; i < CONTAINER_ID_LEN; i++) {
		char c = name[(at + i) & CGROUP_NAME_MASK];

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return false;
	}
	return true;
}

/*
 * `<prefix><id>` or `<prefix><id>.scope` where the name of `len` bytes (with its NUL) starts
 * with the prefix of `plen` bytes: the id's offset, or -1.
 */
static __always_inline int id_after(const char *name, long len, __u32 plen, bool scope_optional)
{
	if (len == plen + CONTAINER_ID_LEN + 1 && scope_optional)
		return plen;
	if (len == plen + CONTAINER_ID_LEN + 7 && NAME_HAS(name, plen + CONTAINER_ID_LEN, ".scope"))
		return plen;
	return -1;
}

/*
 * Matches the name of the cgroup at kernfs node `kn_addr` against the runtimes' patterns. On a
 * match, m->info holds its id and runtime, m->runtime the runtime's name; returns the runtime
 * (RUNTIME_*), 0 when the cgroup is not a container's. A global function: verified once.
 */
__noinline int match_container_cgroup(__u64 kn_addr)
{
	struct kernfs_node *kn = (struct kernfs_node *)kn_addr;
	struct container_match *m = container_match();
	int at = -1, runtime = 0;
	long len;

	if (!m || !kn)
		return 0;
	len = bpf_probe_read_kernel_str(m->name, CGROUP_NAME_LEN, KREAD(kn->name));
	if (len <= CONTAINER_ID_LEN)
		return 0;
	if (len == CONTAINER_ID_LEN + 1) {
		/* docker with the cgroupfs driver: docker/<id> */
		struct kernfs_node *parent = kn_parent(kn);

		if (parent &&
		    bpf_probe_read_kernel_str(m->parent, CGROUP_NAME_LEN, KREAD(parent->name)) == 7 &&
		    NAME_HAS(m->parent, 0, "docker")) {
			at = 0;
			runtime = RUNTIME_DOCKER;
		}
	} else if (NAME_HAS(m->name, 0, "libpod-")) {
		at = id_after(m->name, len, 7, true);
		runtime = RUNTIME_PODMAN;
	} else if (NAME_HAS(m->name, 0, "docker-")) {
		at = id_after(m->name, len, 7, false);
		runtime = RUNTIME_DOCKER;
	} else if (NAME_HAS(m->name, 0, "cri-cont") && NAME_HAS(m->name, 8, "ainerd-")) {
		at = id_after(m->name, len, 15, true);
		runtime = RUNTIME_CONTAINERD;
	} else if (NAME_HAS(m->name, 0, "crio-")) {
		at = id_after(m->name, len, 5, true);
		runtime = RUNTIME_CRIO;
	}
	if (at < 0 || !is_hex_id(m->name, at))
		return 0;
	for (__u32 i = 0; i < CONTAINER_ID_LEN; i++) {
		m->info.id[i] = m->name[(at + i) & CGROUP_NAME_MASK];
		m->id_str[i] = m->info.id[i];
	}
	m->id_str[CONTAINER_ID_LEN] = 0;
	m->info.runtime = runtime;
	/* the runtime's name, NUL-padded, for container events */
	__u64 *rt = (__u64 *)m->runtime;

	rt[1] = 0;
	switch (runtime) {
	case RUNTIME_DOCKER:
		rt[0] = LIT8("docker");
		break;
	case RUNTIME_CONTAINERD:
		rt[0] = LIT8("containe");
		rt[1] = LIT8("rd");
		break;
	case RUNTIME_CRIO:
		rt[0] = LIT8("crio");
		break;
	default:
		rt[0] = LIT8("podman");
	}
	return runtime;
}

/* Policies whose container=<id prefix> (eq) and container!=<id prefix> (neq) the id matches. */
static __always_inline void match_id_filters(struct container_info *info)
{
	struct container_config *cfg = container_cfg();

	info->scope_eq = 0;
	info->scope_neq = 0;
	if (!cfg || !cfg->count)
		return;
	for (__u32 f = 0; f < MAX_CONTAINER_FILTERS; f++) {
		struct container_id_filter *flt;
		bool same = true;

		if (f >= cfg->count)
			break;
		flt = &cfg->filters[f];
		for (__u32 i = 0; i < CONTAINER_ID_LEN; i++) {
			if (i >= flt->len)
				break;
			if (info->id[i] != flt->prefix[i]) {
				same = false;
				break;
			}
		}
		if (same) {
			info->scope_eq |= flt->eq;
			info->scope_neq |= flt->neq;
		}
	}
}

/*
 * The container key of a cgroup met for the first time: the innermost of it and its ancestors
 * whose name is a container's. Records the container in container_ids unless user space already
 * did (a container running when tracee started keeps CONTAINER_F_EXISTING).
 */
__noinline __u64 resolve_container(__u64 kn_addr)
{
	struct kernfs_node *kn = (struct kernfs_node *)kn_addr;
	struct container_match *m;
	__u64 key;

	for (int depth = 0; depth < CONTAINER_WALK_DEPTH && kn; depth++) {
		if (match_container_cgroup((__u64)kn)) {
			m = container_match();
			if (!m)
				return 0;
			key = KREAD(kn->id);
			m->info.flags = 0;
			match_id_filters(&m->info);
			bpf_map_update_elem(&container_ids, &key, &m->info, BPF_NOEXIST);
			return key;
		}
		kn = kn_parent(kn);
	}
	return 0;
}

/* The container key of a cgroup (0: none, or the hierarchy's root). */
static __always_inline __u64 cgroup_container(struct cgroup *cgrp)
{
	struct kernfs_node *kn;
	__u64 id, key, *known;

	if (!cgrp || KREAD(cgrp->level) == 0)
		return 0;
	kn = KREAD(cgrp->kn);
	id = KREAD(kn->id);
	known = bpf_map_lookup_elem(&cgroup_containers, &id);
	if (known)
		return *known;
	key = resolve_container((__u64)kn);
	bpf_map_update_elem(&cgroup_containers, &id, &key, BPF_ANY);
	return key;
}

/* The container key of a css_set: its v2 cgroup's, else the first v1 hierarchy's that has one. */
static __noinline __u64 css_container(struct css_set *cs)
{
	struct container_config *cfg;
	__u64 key;

	if (!cs)
		return 0;
	key = cgroup_container(KREAD(cs->dfl_cgrp));
	if (key)
		return key;
	cfg = container_cfg();
	if (!cfg || !cfg->v1_subsys_mask)
		return 0;
	for (__u32 i = 0; i < MAX_CGROUP_SUBSYS; i++) {
		struct cgroup_subsys_state *css = NULL;

		if (!(cfg->v1_subsys_mask & (1U << i)))
			continue;
		bpf_probe_read_kernel(&css, sizeof(css), &cs->subsys[i]);
		if (!css)
			continue;
		key = cgroup_container(KREAD(css->cgroup));
		if (key)
			return key;
	}
	return 0;
}

#endif /* TRACEE_CONTAINERS_BPF_H */
