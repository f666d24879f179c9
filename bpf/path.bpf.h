/* SPDX-License-Identifier: GPL-2.0 */
/* Absolute paths of files: a bounded walk up the dentry tree, crossing mount points. */
#ifndef TRACEE_PATH_BPF_H
#define TRACEE_PATH_BPF_H

#include "args.bpf.h"

/* Half of the per-CPU path buffer: paths are built right to left ending at PATH_HALF - 1. */
#define PATH_HALF 4096
#define PATH_MAX_COMPONENTS 40
#define NAME_MAX_LEN 255

struct path_buf {
	/*
	 * Start of the path built so far. Kept here rather than in a register: loaded from map
	 * memory each iteration, it is an unknown scalar to the verifier, so iterations' states
	 * merge instead of multiplying.
	 */
	__u32 pos;
	__u32 pad;
	char buf[2 * PATH_HALF];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct path_buf);
} path_bufs SEC(".maps");

/* The struct mount around a vfsmount. */
static __always_inline struct mount *mount_of(struct vfsmount *vfsmnt)
{
#ifdef TRACEE_CORE
	return (struct mount *)((void *)vfsmnt - bpf_core_field_offset(struct mount, mnt));
#else
	return (struct mount *)((void *)vfsmnt - __builtin_offsetof(struct mount, mnt));
#endif
}

static __always_inline struct path_buf *path_buf(void)
{
	__u32 zero = 0;
	return bpf_map_lookup_elem(&path_bufs, &zero);
}

/*
 * Builds the path of the struct path at `path_addr` (kernel memory) as the current task sees it
 * (from its own root, as d_path does: a chrooted or containerized process gets paths inside its
 * root) in the per-CPU path buffer, ending at PATH_HALF - 1; returns where it starts, or -1.
 * Paths deeper than PATH_MAX_COMPONENTS keep their last components.
 */
__noinline int build_path(__u64 path_addr)
{
	struct path_buf *pb = path_buf();
	struct path *path = (struct path *)path_addr;
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct path root = {};
	struct dentry *dentry;
	struct vfsmount *vfsmnt;
	struct mount *mnt, *mnt_parent;

	if (!pb || !path)
		return -1;
	bpf_probe_read_kernel(&root, sizeof(root), &KREAD(task->fs)->root);
	dentry = KREAD(path->dentry);
	vfsmnt = KREAD(path->mnt);
	mnt = mount_of(vfsmnt);
	mnt_parent = KREAD(mnt->mnt_parent);
	pb->buf[PATH_HALF - 1] = 0;
	pb->pos = PATH_HALF - 1;

	for (int i = 0; i < PATH_MAX_COMPONENTS; i++) {
		struct dentry *mnt_root = KREAD(vfsmnt->mnt_root);
		struct dentry *parent = KREAD(dentry->d_parent);
		struct qstr name;
		__u32 len, pos;


		if (dentry == root.dentry && vfsmnt == root.mnt)
			break; /* the task's root */
		if (dentry == mnt_root || dentry == parent) {
			if (dentry != mnt_root && pb->pos == PATH_HALF - 1) {
				/*
				 * A file with no place in any mounted tree (memfd, other pseudo files):
				 * its name alone ("memfd:x"), as d_path names such files by their name.
				 */
				bpf_probe_read_kernel(&name, sizeof(name), &dentry->d_name);
				len = bounded(name.len, NAME_MAX_LEN);
				pb->pos = PATH_HALF - 1 - len;
				bpf_probe_read_kernel(&pb->buf[bounded(pb->pos, PATH_HALF - 1)], len, name.name);
				return pb->pos;
			}
			if (dentry != mnt_root || mnt == mnt_parent)
				break; /* the root of the mount tree */
			/* the root of a mount: continue from its mount point in the parent mount */
			dentry = KREAD(mnt->mnt_mountpoint);
			mnt = mnt_parent;
			mnt_parent = KREAD(mnt->mnt_parent);
			vfsmnt = &mnt->mnt;
			continue;
		}
		bpf_probe_read_kernel(&name, sizeof(name), &dentry->d_name);
		len = bounded(name.len, NAME_MAX_LEN);
		pos = pb->pos;
		if (pos < len + 1)
			break;
		pos -= len + 1;
		pb->buf[bounded(pos, PATH_HALF - 1)] = '/';
		bpf_probe_read_kernel(&pb->buf[bounded(pos + 1, PATH_HALF - 1)], len, name.name);
		pb->pos = pos;
		dentry = parent;
	}
	if (pb->pos == PATH_HALF - 1) {
		pb->pos = PATH_HALF - 2;
		pb->buf[PATH_HALF - 2] = '/';
	}
	return pb->pos;
}

/* Appends the absolute path of the struct path at `path_addr` as a string argument. */
static __always_inline __u32 put_path(struct scratch *s, __u32 off, __u64 path_addr)
{
	int pos = build_path(path_addr);
	struct path_buf *pb = path_buf();

	if (pos < 0 || !pb)
		return put_str(s, off, NULL, false);
	return put_str(s, off, &pb->buf[bounded(pos, PATH_HALF - 1)], false);
}

#endif /* TRACEE_PATH_BPF_H */
