/* SPDX-License-Identifier: GPL-2.0 */
/*
 * container_create and container_remove, from the cgroup_mkdir / cgroup_rmdir tracepoints: a
 * cgroup whose name is a container's (bpf/containers.bpf.h). A runtime makes one such cgroup per
 * hierarchy (one on a cgroup v2 host, one per v1 controller plus v2 on a hybrid one):
 * live_containers counts them per container, so that the first mkdir alone is container_create
 * and the last rmdir container_remove. User space adds the runtime's view (name, image, pod) to
 * container_create, and counts the cgroups of containers already running at start.
 */
#ifndef TRACEE_CONTAINER_EVENTS_BPF_H
#define TRACEE_CONTAINER_EVENTS_BPF_H

#include "common.bpf.h"
#include "filters.bpf.h"
#include "args.bpf.h"

/* Container cgroups alive per container (key: the id's first 16 digits). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct container_short_id);
	__type(value, __u32);
} live_containers SEC(".maps");

/* runtime and container_id, the arguments the kernel writes (user space appends the others). */
static __always_inline void emit_container_event(__u32 id, struct container_match *m)
{
	struct scratch *s = start_event(id);
	__u32 off = 0;

	if (!s)
		return;
	off = put_str(s, off, m->runtime, false);
	off = put_str(s, off, m->id_str, false);
	s->ctx.argnum = 2;
	submit(s, off);
}

static __always_inline bool container_events_wanted(void)
{
	struct event_config *create = config_of(EVENT_CONTAINER_CREATE);
	struct event_config *remove = config_of(EVENT_CONTAINER_REMOVE);

	return (create && create->policies) || (remove && remove->policies);
}

/*
 * The container whose cgroup `cgrp` is, when container events are selected: its match (id,
 * runtime) and its live_containers key. NULL otherwise.
 */
static __always_inline struct container_match *container_cgroup_event(struct cgroup *cgrp,
								      struct container_short_id *key)
{
	struct container_match *m;

	if (!container_events_wanted() || !match_container_cgroup((__u64)KREAD(cgrp->kn)))
		return NULL;
	m = container_match();
	if (m)
		__builtin_memcpy(key->id, m->info.id, sizeof(key->id));
	return m;
}

static __always_inline void container_cgroup_mkdir(struct cgroup *cgrp)
{
	struct container_short_id key = {};
	struct container_match *m = container_cgroup_event(cgrp, &key);
	__u32 one = 1, *count;

	if (!m)
		return;
	count = bpf_map_lookup_elem(&live_containers, &key);
	if (count) {
		/* another hierarchy's cgroup of a container already announced (one runtime thread
		 * makes them in turn: no atomics needed) */
		*count += 1;
		return;
	}
	if (bpf_map_update_elem(&live_containers, &key, &one, BPF_NOEXIST) == 0)
		emit_container_event(EVENT_CONTAINER_CREATE, m);
}

static __always_inline void container_cgroup_rmdir(struct cgroup *cgrp)
{
	struct container_short_id key = {};
	struct container_match *m = container_cgroup_event(cgrp, &key);
	__u32 *count;

	if (!m)
		return;
	count = bpf_map_lookup_elem(&live_containers, &key);
	if (!count)
		return;
	if (*count > 1) {
		*count -= 1;
		return;
	}
	bpf_map_delete_elem(&live_containers, &key);
	emit_container_event(EVENT_CONTAINER_REMOVE, m);
}

#endif /* TRACEE_CONTAINER_EVENTS_BPF_H */
