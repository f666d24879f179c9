/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel types for the non CO-RE object from the running kernel's own headers
 * (/lib/modules/$(uname -r)/build), used instead of vmlinux.h when they are installed.
 */
#ifndef TRACEE_KHEADERS_H
#define TRACEE_KHEADERS_H

#include <linux/version.h>
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/nsproxy.h>
#include <linux/pid_namespace.h>
#include <linux/utsname.h>
#include <linux/binfmts.h>
#include <linux/fs.h>
#include <linux/mm_types.h>
#include <linux/ns_common.h>
#include <linux/cgroup-defs.h>
#include <linux/kernfs.h>
#include <asm/ptrace.h>

/*
 * struct mnt_namespace lives in fs/mount.h, which is not installed with the headers; tracee
 * reads only its namespace inode, in the member that opens the struct since 5.11.
 */
struct mnt_namespace {
#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 11, 0)
	atomic_t count;
#endif
	struct ns_common ns;
};

/* Which member holds an inode's change time (task.bpf.h). */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
#define HAVE_INODE_I_CTIME_SEC
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
#define HAVE_INODE___I_CTIME
#endif

/* kernfs_node's parent is `__parent` since 6.15 (containers.bpf.h). */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 15, 0)
#define HAVE_KERNFS___PARENT
#endif

/* The kernel's noinline macro would nest inside bpf_helpers.h's __attribute__((noinline)). */
#undef noinline

#endif /* TRACEE_KHEADERS_H */
