/* SPDX-License-Identifier: GPL-2.0 */
/* Reading tasks, namespaces and inodes. */
#ifndef TRACEE_TASK_BPF_H
#define TRACEE_TASK_BPF_H

#include "common.bpf.h"

/* The task's thread id in its own pid namespace. */
static __always_inline __u32 task_ns_tid(struct task_struct *task)
{
	struct pid *pid = KREAD(task->thread_pid);
	__u32 level = KREAD(pid->level);

	return KREAD(pid->numbers[level].nr);
}

/* The task's thread group id in its own pid namespace. */
static __always_inline __u32 task_ns_tgid(struct task_struct *task)
{
	struct pid *pid = KREAD(task->thread_pid);
	__u32 level = KREAD(pid->level);

	return pid_nr_at(KREAD(KREAD(task->group_leader)->thread_pid), level);
}

/*
 * x86_64 kernel stacks are THREAD_SIZE (16 KiB, twice that with KASAN) and end with the user
 * registers saved on entering the kernel (16 bytes lower with FRED). libbpf fills these from the
 * kernel's config at load; a kernel without a readable config gets the defaults.
 */
extern bool CONFIG_KASAN __kconfig __weak;
extern bool CONFIG_X86_FRED __kconfig __weak;

/* The user registers the task saved on entering the kernel (task_pt_regs). */
static __always_inline struct pt_regs *task_regs(struct task_struct *task)
{
	void *stack = KREAD(task->stack);
	__u64 size = 4096 << (CONFIG_KASAN ? 3 : 2);
	__u64 padding = CONFIG_X86_FRED ? 16 : 0;

	return (struct pt_regs *)(stack + size - padding) - 1;
}

/* The syscall the task is executing (orig_ax of the registers it saved on entering the kernel). */
static __always_inline __u32 task_syscall_nr(struct task_struct *task)
{
	return (__u32)KREAD(task_regs(task)->orig_ax);
}

#define S_IFMT_BITS 00170000
#define PF_KTHREAD_FLAG 0x00200000

/* The task's open file at descriptor `fd`, or NULL. */
static __always_inline struct file *task_fd(struct task_struct *task, __u32 fd)
{
	struct files_struct *files = KREAD(task->files);
	struct fdtable *fdt;
	struct file **fds;
	struct file *file = NULL;

	if (!files)
		return NULL;
	fdt = KREAD(files->fdt);
	if (fd >= KREAD(fdt->max_fds))
		return NULL;
	fds = KREAD(fdt->fd);
	bpf_probe_read_kernel(&file, sizeof(file), &fds[fd]);
	return file;
}

#ifdef TRACEE_CORE
/* Layouts of struct inode before 6.11 (__i_ctime) and before 6.6 (i_ctime). */
struct inode___pre611 {
	struct timespec64 __i_ctime;
} __attribute__((preserve_access_index));

struct inode___pre66 {
	struct timespec64 i_ctime;
} __attribute__((preserve_access_index));
#endif

/* Bits of a timestamp's nanoseconds field that hold nanoseconds (below 10^9 < 2^30). */
#define CTIME_NSEC_MASK 0x3fffffff

/* The inode's change time in nanoseconds since the epoch. */
static __always_inline __u64 inode_ctime_ns(struct inode *inode)
{
	struct timespec64 ts = {};

#ifdef TRACEE_CORE
	if (bpf_core_field_exists(inode->i_ctime_sec)) {
		ts.tv_sec = KREAD(inode->i_ctime_sec);
		ts.tv_nsec = KREAD(inode->i_ctime_nsec);
	} else if (bpf_core_field_exists(((struct inode___pre611 *)inode)->__i_ctime)) {
		ts = KREAD(((struct inode___pre611 *)inode)->__i_ctime);
	} else {
		ts = KREAD(((struct inode___pre66 *)inode)->i_ctime);
	}
#elif defined(HAVE_INODE_I_CTIME_SEC)
	ts.tv_sec = KREAD(inode->i_ctime_sec);
	ts.tv_nsec = KREAD(inode->i_ctime_nsec);
#elif defined(HAVE_INODE___I_CTIME)
	ts = KREAD(inode->__i_ctime);
#else
	ts = KREAD(inode->i_ctime);
#endif
	/* since 6.13 the top bit of the nanoseconds marks a multigrain ctime that was queried */
	return ts.tv_sec * 1000000000ULL + (ts.tv_nsec & CTIME_NSEC_MASK);
}

#endif /* TRACEE_TASK_BPF_H */
