/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Security events derived at a syscall's exit from what the kernel did: the file a new
 * descriptor refers to, the socket behind a descriptor, the region a mapping covers. Kernels
 * with kprobes or BPF LSM could take these from their hooks; here they come from the syscall
 * tracepoints every kernel has. A syscall whose exit feeds a selected derived event has
 * EVENT_CFG_DERIVE in its event_config entry (user space sets it from the events table).
 */
#ifndef TRACEE_DERIVED_BPF_H
#define TRACEE_DERIVED_BPF_H

#include "args.bpf.h"
#include "filters.bpf.h"
#include "path.bpf.h"
#include "task.bpf.h"

#define S_IFREG_BITS 0100000
#define S_IFSOCK_BITS 0140000
#define AT_FDCWD_VALUE -100
#define AT_REMOVEDIR_FLAG 0x200
#define F_DUPFD_CMD 0
#define F_DUPFD_CLOEXEC_CMD 1030
#define PROT_WRITE_BIT 0x2
#define PROT_EXEC_BIT 0x4
#define MAP_ANONYMOUS_FLAG 0x20
#define AF_UNIX_FAMILY 1
#define AF_INET_FAMILY 2
#define AF_INET6_FAMILY 10
#define MAX_ERRNO_VALUE 4095
/* Bytes of a file's first write that magic_write carries (enough for any executable magic). */
#define MAGIC_HEADER_LEN 20

/* The six arguments of the syscall being traced. */
struct sys_args {
	__u64 a[MAX_SYSCALL_ARGS];
};

/* What sys_enter saw of the region an mprotect changes (for mem_prot_alert's prev_prot). */
struct vma_seen {
	__u64 addr;     /* the syscall's address argument, to pair entry and exit */
	__u64 file;     /* struct file * backing the region, or 0 */
	__u32 prot;     /* the region's VM_READ | VM_WRITE | VM_EXEC before the call */
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32); /* host tid */
	__type(value, struct vma_seen);
} mprotect_seen SEC(".maps");

static __always_inline __u32 inode_mode_bits(struct inode *inode)
{
	return KREAD(inode->i_mode) & S_IFMT_BITS;
}

/* dev, inode (and ctime when `with_ctime`) of a file, in that order. */
static __always_inline __u32 put_file_ids(struct scratch *s, __u32 off, struct file *file,
					  bool with_ctime)
{
	struct inode *inode = file ? KREAD(file->f_inode) : NULL;

	off = put_u64(s, off, inode ? KREAD(KREAD(inode->i_sb)->s_dev) : 0);
	off = put_u64(s, off, inode ? KREAD(inode->i_ino) : 0);
	if (with_ctime)
		off = put_u64(s, off, inode ? inode_ctime_ns(inode) : 0);
	return off;
}

/* The path built by build_path() at `pos` of the per-CPU path buffer, as a string argument. */
static __always_inline __u32 put_built_path(struct scratch *s, __u32 off, int pos)
{
	struct path_buf *pb = path_buf();

	if (pos < 0 || !pb)
		return put_str(s, off, NULL, false);
	return put_str(s, off, &pb->buf[bounded(pos, PATH_HALF - 1)], false);
}

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32); /* event id */
	__type(value, struct path_filter);
} path_filters SEC(".maps");

/*
 * Which of `matched` keep the event given the path built at `pos`: policies without a path
 * filter on the event, and those with a prefix the path starts with (or equals, for an exact one).
 */
__noinline __u64 path_filter_match(__u32 event_id, int pos, __u64 matched)
{
	struct path_filter *pf = bpf_map_lookup_elem(&path_filters, &event_id);
	struct path_buf *pb = path_buf();
	__u64 ok = 0;

	if (!pf || !pb || pos < 0)
		return matched;
	for (int i = 0; i < MAX_PATH_FILTERS; i++) {
		struct path_prefix *p = &pf->prefixes[i];
		bool same = true;
		__u32 len;

		if (i >= pf->count)
			break;
		len = p->len;
		if (len >= PATH_FILTER_LEN)
			continue;
		for (int j = 0; j < PATH_FILTER_LEN; j++) {
			char c = pb->buf[bounded(pos + j, 2 * PATH_HALF - 1)];

			if (j >= len) {
				/* an exact prefix also needs the path to end here */
				if (p->exact && c != 0)
					same = false;
				break;
			}
			if (c != p->prefix[j]) {
				same = false;
				break;
			}
		}
		if (same)
			ok |= p->policies;
	}
	return matched & (~pf->filtered | ok);
}

/*
 * The policies that keep a path-carrying event after the path filters (0: drop, counted as
 * filtered in the kernel).
 */
static __always_inline __u64 filter_path(struct event_config *cfg, __u32 id, int pos, __u64 matched)
{
	if (!(cfg->flags & EVENT_CFG_PATH_FILTER))
		return matched;
	matched = path_filter_match(id, pos, matched);
	if (!matched) {
		struct kernel_counters *k = kernel_counters();

		if (k)
			k->filtered++;
	}
	return matched;
}

/* A scratch event with its context filled for `matched`, the syscall set to `syscall`. */
static __always_inline struct scratch *derived_event(__u32 id, __u64 matched, __u32 syscall)
{
	struct scratch *s = scratch();

	if (!s)
		return NULL;
	fill_context(&s->ctx, id, matched);
	s->ctx.syscall = syscall;
	return s;
}

/*
 * security_file_open: the file a successful open returned, as the kernel opened it (its path
 * from the task's root across mounts: a symlink gives its target, a relative name its
 * directory), with the name the process passed.
 */
__noinline int emit_file_open(__u32 syscall, __u64 file_addr, __u64 upath, bool user_path)
{
	struct event_config *cfg = config_of(EVENT_SECURITY_FILE_OPEN);
	struct file *file = (struct file *)file_addr;
	struct scratch *s;
	__u64 matched;
	__u32 off = 0;
	int pos;

	if (!file || !cfg || !event_wanted(cfg, &matched))
		return 0;
	pos = build_path((__u64)&file->f_path);
	matched = filter_path(cfg, EVENT_SECURITY_FILE_OPEN, pos, matched);
	if (!matched || !(s = derived_event(EVENT_SECURITY_FILE_OPEN, matched, syscall)))
		return 0;
	off = put_built_path(s, off, pos);
	off = put_u64(s, off, KREAD(file->f_flags));
	off = put_file_ids(s, off, file, true);
	off = put_str(s, off, (const void *)upath, user_path);
	s->ctx.argnum = 6;
	submit(s, off);
	return 0;
}

/*
 * A path the process named relative to a directory descriptor (or its working directory): the
 * name itself when absolute, else the directory's path, "/", and the name. Nothing is looked
 * up, so "." and ".." stay as written (user space folds them: ARG_AT_PATH).
 */
__noinline int put_at_path(struct scratch *s, __u32 off, int dirfd, __u64 uname)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct path_buf *pb = path_buf();
	__u64 dir_addr;
	char first = 0;
	long n, m;
	int pos;

	if (!s || !pb || payload_full(s, off))
		return off;
	if (uname)
		bpf_probe_read_user(&first, 1, (void *)uname);
	if (first == '/' || !uname)
		return put_str(s, off, (void *)uname, true);
	if (dirfd == AT_FDCWD_VALUE) {
		dir_addr = (__u64)&KREAD(task->fs)->pwd;
	} else {
		struct file *dir = task_fd(task, dirfd);

		dir_addr = dir ? (__u64)&dir->f_path : 0;
	}
	pos = build_path(dir_addr);
	if (pos < 0)
		return put_str(s, off, (void *)uname, true);
	n = bpf_probe_read_kernel_str(PAYLOAD_AT(s, off + 4), PATH_HALF, &pb->buf[bounded(pos, PATH_HALF - 1)]);
	if (n <= 0)
		n = 1;
	if (n > PATH_HALF)
		n = PATH_HALF;
	/* n counts the NUL: it becomes the separator, except after the root's own "/" */
	if (n == 2)
		n = 1;
	else
		*(char *)PAYLOAD_AT(s, off + 4 + n - 1) = '/';
	m = bpf_probe_read_user_str(PAYLOAD_AT(s, off + 4 + n), MAX_STR, (void *)uname);
	if (m <= 0) {
		*(char *)PAYLOAD_AT(s, off + 4 + n - 1) = 0;
		m = 0;
	}
	if (m > MAX_STR)
		m = MAX_STR;
	*(__u32 *)PAYLOAD_AT(s, off) = n + m;
	return off + 4 + n + m;
}

/* security_inode_rename: both names of a successful rename. */
static __always_inline void emit_rename(__u32 syscall, int olddir, __u64 oldname, int newdir,
					__u64 newname)
{
	struct scratch *s = start_event(EVENT_SECURITY_INODE_RENAME);
	__u32 off = 0;

	if (!s)
		return;
	s->ctx.syscall = syscall;
	off = put_at_path(s, off, olddir, oldname);
	off = put_at_path(s, off, newdir, newname);
	s->ctx.argnum = 2;
	submit(s, off);
}

/*
 * security_inode_unlink: the name a successful unlink removed. The inode is gone by the exit:
 * its number, device and change time come from what the filesystem's own tracepoint saw
 * (ext4), else they are 0.
 */
struct unlinked_inode {
	__u64 ino;
	__u64 ctime;
	__u32 dev;
	__u32 syscall; /* the syscall the filesystem saw it in: an entry of another one is stale */
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32); /* host tid */
	__type(value, struct unlinked_inode);
} unlinked SEC(".maps");

#define OVERLAYFS_SUPER_MAGIC 0x794c7630

/*
 * The device the process sees for a name it unlinked, given the device the filesystem's tracepoint
 * saw. On overlayfs that tracepoint fires for the upper layer's file (the backing filesystem's
 * device) while stat shows the overlay's: take the overlay's when the name starts on one (the
 * directory it is relative to, or the root for an absolute name). The inode number and change time
 * stay the upper file's, which is what stat shows there when the layers share a filesystem.
 */
static __always_inline __u32 unlinked_dev(int dirfd, __u64 uname, __u32 dev)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct vfsmount *mnt = NULL;
	struct super_block *sb;
	char first = 0;

	if (uname)
		bpf_probe_read_user(&first, 1, (void *)uname);
	if (first == '/') {
		mnt = KREAD(KREAD(task->fs)->root.mnt);
	} else if (dirfd == AT_FDCWD_VALUE) {
		mnt = KREAD(KREAD(task->fs)->pwd.mnt);
	} else {
		struct file *dir = task_fd(task, dirfd);
		/* f_path is const in newer kernels */
		struct path *dir_path = dir ? (struct path *)&dir->f_path : NULL;

		if (dir_path)
			mnt = KREAD(dir_path->mnt);
	}
	sb = mnt ? KREAD(mnt->mnt_sb) : NULL;
	if (sb && KREAD(sb->s_magic) == OVERLAYFS_SUPER_MAGIC)
		return KREAD(sb->s_dev);
	return dev;
}

static __always_inline void emit_unlink(__u32 syscall, int dirfd, __u64 name, long ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct unlinked_inode *seen = bpf_map_lookup_elem(&unlinked, &tid);
	struct scratch *s;
	__u32 off = 0;

	if (seen && seen->syscall != syscall)
		seen = NULL;
	if (ret != 0 || !(s = start_event(EVENT_SECURITY_INODE_UNLINK)))
		goto out;
	s->ctx.syscall = syscall;
	off = put_at_path(s, off, dirfd, name);
	off = put_u64(s, off, seen ? seen->ino : 0);
	off = put_u64(s, off, seen ? unlinked_dev(dirfd, name, seen->dev) : 0);
	off = put_u64(s, off, seen ? seen->ctime : 0);
	s->ctx.argnum = 4;
	submit(s, off);
out:
	bpf_map_delete_elem(&unlinked, &tid);
}

/* security_sb_mount: a successful mount(2): source, target, filesystem type and flags. */
static __always_inline void emit_mount(__u32 syscall, struct sys_args *a)
{
	struct scratch *s = start_event(EVENT_SECURITY_SB_MOUNT);
	__u32 off = 0;

	if (!s)
		return;
	s->ctx.syscall = syscall;
	off = put_str(s, off, (void *)a->a[0], true);
	off = put_at_path(s, off, AT_FDCWD_VALUE, a->a[1]);
	off = put_str(s, off, (void *)a->a[2], true);
	off = put_u64(s, off, a->a[3]);
	s->ctx.argnum = 4;
	submit(s, off);
}

/* The socket behind descriptor `fd` of the current task, or NULL. */
static __always_inline struct socket *fd_socket(int fd)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct file *file = task_fd(task, fd);

	if (!file || inode_mode_bits(KREAD(file->f_inode)) != S_IFSOCK_BITS)
		return NULL;
	return (struct socket *)KREAD(file->private_data);
}

static __always_inline bool traced_family(__u16 family)
{
	return family == AF_INET_FAMILY || family == AF_INET6_FAMILY || family == AF_UNIX_FAMILY;
}

/*
 * security_socket_connect / security_socket_bind: the address a connect or bind named, whatever
 * the outcome (as the LSM hook sees every attempt), for inet, inet6 and unix sockets.
 */
static __always_inline void emit_sock_addr_event(__u32 id, __u32 syscall, struct sys_args *a,
						 bool with_type)
{
	int fd = (int)a->a[0];
	struct socket *sock;
	struct scratch *s;
	__u16 family = 0;
	__u32 off = 0;

	if (bpf_probe_read_user(&family, sizeof(family), (void *)a->a[1]) < 0 || !traced_family(family))
		return;
	sock = fd_socket(fd);
	if (!sock || !(s = start_event(id)))
		return;
	s->ctx.syscall = syscall;
	off = put_u64(s, off, fd);
	if (with_type)
		off = put_u64(s, off, KREAD(sock->type));
	off = put_user_bytes(s, off, (void *)a->a[1], a->a[2], MAX_SOCKADDR);
	s->ctx.argnum = with_type ? 3 : 2;
	submit(s, off);
}

/*
 * The address of the other end of a socket as a struct sockaddr (u32 length + bytes): the peer
 * of an inet/inet6 socket, the path a unix socket is bound to.
 */
static __always_inline __u32 put_sock_remote(struct scratch *s, __u32 off, struct sock *sk,
					     __u16 family)
{
	__u8 *p;
	__u32 n = 0;

	if (payload_full(s, off))
		return off;
	p = PAYLOAD_AT(s, off + 4);
	if (family == AF_INET_FAMILY) {
		struct sockaddr_in *in = (struct sockaddr_in *)p;

		__builtin_memset(in, 0, sizeof(*in));
		in->sin_family = AF_INET_FAMILY;
		in->sin_port = KREAD(sk->__sk_common.skc_dport);
		in->sin_addr.s_addr = KREAD(sk->__sk_common.skc_daddr);
		n = sizeof(*in);
	} else if (family == AF_INET6_FAMILY) {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)p;

		__builtin_memset(in6, 0, sizeof(*in6));
		in6->sin6_family = AF_INET6_FAMILY;
		in6->sin6_port = KREAD(sk->__sk_common.skc_dport);
		bpf_probe_read_kernel(&in6->sin6_addr, sizeof(in6->sin6_addr), &sk->__sk_common.skc_v6_daddr);
		n = sizeof(*in6);
	} else {
		struct unix_address *ua = KREAD(((struct unix_sock *)sk)->addr);
		int len = ua ? KREAD(ua->len) : 0;

		if (len > 0) {
			n = bounded(len, MAX_SOCKADDR - 1);
			bpf_probe_read_kernel(p, n, &ua->name);
		} else {
			*(__u16 *)p = AF_UNIX_FAMILY;
			n = sizeof(__u16);
		}
	}
	*(__u32 *)PAYLOAD_AT(s, off) = n;
	return off + 4 + n;
}

/* socket_dup: a dup/dup2/dup3/fcntl(F_DUPFD) that copied an inet, inet6 or unix socket. */
static __always_inline void emit_socket_dup(__u32 syscall, int oldfd, int newfd)
{
	struct socket *sock = fd_socket(newfd);
	struct sock *sk;
	struct scratch *s;
	__u16 family;
	__u32 off = 0;

	if (!sock || !(sk = KREAD(sock->sk)))
		return;
	family = KREAD(sk->__sk_common.skc_family);
	if (!traced_family(family) || !(s = start_event(EVENT_SOCKET_DUP)))
		return;
	s->ctx.syscall = syscall;
	off = put_u64(s, off, oldfd);
	off = put_u64(s, off, newfd);
	off = put_sock_remote(s, off, sk, family);
	s->ctx.argnum = 3;
	submit(s, off);
}

/* A write syscall as magic_write sees it. */
struct write_call {
	__s64 written; /* the return value */
	__s64 pos;     /* the offset the syscall named (pwrite*), or -1 for the file's position */
	__u64 ubuf;    /* the data, or an iovec array whose first element is read (iov) */
	__u32 syscall;
	__s32 fd;
	__u32 iov;
	__u32 pad;
};

/* magic_write: a write that started at offset 0 of a regular file (its header), first bytes. */
__noinline int emit_magic_write(struct write_call *w)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct event_config *cfg = config_of(EVENT_MAGIC_WRITE);
	__u64 matched, len = MAGIC_HEADER_LEN, ubuf;
	__s64 written, pos;
	struct file *file;
	struct scratch *s;
	__u32 off = 0;
	int path;

	if (!w)
		return 0;
	written = w->written;
	pos = w->pos;
	ubuf = w->ubuf;

	if (written <= 0 || !cfg || !event_wanted(cfg, &matched))
		return 0;
	file = task_fd(task, w->fd);
	if (!file || inode_mode_bits(KREAD(file->f_inode)) != S_IFREG_BITS)
		return 0;
	if (pos < 0)
		pos = KREAD(file->f_pos) - written;
	if (pos != 0)
		return 0;
	if (w->iov) {
		struct iovec first = {};

		bpf_probe_read_user(&first, sizeof(first), (void *)ubuf);
		ubuf = (__u64)first.iov_base;
		if (first.iov_len < len)
			len = first.iov_len;
	}
	if ((__u64)written < len)
		len = written;
	path = build_path((__u64)&file->f_path);
	matched = filter_path(cfg, EVENT_MAGIC_WRITE, path, matched);
	if (!matched || !(s = derived_event(EVENT_MAGIC_WRITE, matched, w->syscall)))
		return 0;
	s->ctx.retval = written;
	off = put_built_path(s, off, path);
	off = put_user_bytes(s, off, (void *)ubuf, len, MAGIC_HEADER_LEN);
	off = put_file_ids(s, off, file, false);
	s->ctx.argnum = 4;
	submit(s, off);
	return 0;
}

/* A protection change mem_prot_alert reports. */
struct prot_alert {
	__u64 addr;
	__u64 len;
	__u64 file; /* struct file * backing the region, or 0 */
	__u32 syscall;
	__u32 alert; /* ALERT_* */
	__u32 prot;
	__u32 prev;
};

/* mem_prot_alert: alert, addr, len, prot, prev_prot and the file backing the region. */
__noinline int emit_mem_prot_alert(struct prot_alert *p)
{
	struct scratch *s;
	struct file *file;
	__u32 off = 0;

	if (!p || !(s = start_event(EVENT_MEM_PROT_ALERT)))
		return 0;
	file = (struct file *)p->file;
	s->ctx.syscall = p->syscall;
	off = put_u64(s, off, p->alert);
	off = put_u64(s, off, p->addr);
	off = put_u64(s, off, p->len);
	off = put_u64(s, off, p->prot);
	off = put_u64(s, off, p->prev);
	off = put_path(s, off, file ? (__u64)&file->f_path : 0);
	off = put_file_ids(s, off, file, true);
	s->ctx.argnum = 9;
	submit(s, off);
	return 0;
}

/* mmap: a new region both writable and executable. */
static __always_inline void check_mmap(__u32 syscall, struct sys_args *a, long ret)
{
	struct prot_alert p = { .addr = ret, .len = a->a[1], .syscall = syscall, .alert = ALERT_MMAP_W_X,
				.prot = a->a[2] };

	if ((unsigned long)ret >= (unsigned long)-MAX_ERRNO_VALUE)
		return;
	if ((p.prot & (PROT_WRITE_BIT | PROT_EXEC_BIT)) != (PROT_WRITE_BIT | PROT_EXEC_BIT))
		return;
	if (!(a->a[3] & MAP_ANONYMOUS_FLAG) && (int)a->a[4] >= 0)
		p.file = (__u64)task_fd((struct task_struct *)bpf_get_current_task(), (int)a->a[4]);
	emit_mem_prot_alert(&p);
}

/*
 * mprotect/pkey_mprotect: the change against the region's protection before the call (recorded
 * at sys_enter where the kernel lets tracee look regions up, see tracee_sys_enter_vma).
 */
static __always_inline void check_mprotect(__u32 syscall, struct sys_args *a, long ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct vma_seen *seen = bpf_map_lookup_elem(&mprotect_seen, &tid);
	__u32 req = a->a[2], prev, alert = 0;
	__u64 len = a->a[1];

	if (!seen)
		return;
	prev = seen->prot;
	if (ret != 0 || seen->addr != a->a[0] || !a->a[0]) {
		bpf_map_delete_elem(&mprotect_seen, &tid);
		return;
	}
	if (!(prev & PROT_EXEC_BIT) && (req & PROT_EXEC_BIT))
		alert = ALERT_MPROT_X_ADD;
	if ((prev & PROT_EXEC_BIT) && !(prev & PROT_WRITE_BIT) &&
	    (req & (PROT_WRITE_BIT | PROT_EXEC_BIT)) == (PROT_WRITE_BIT | PROT_EXEC_BIT))
		alert = ALERT_MPROT_W_ADD;
	if ((prev & PROT_WRITE_BIT) && (req & PROT_EXEC_BIT) && !(req & PROT_WRITE_BIT))
		alert = ALERT_MPROT_W_REM;
	if (alert) {
		struct prot_alert p = { .addr = a->a[0], .len = len ? len : 4096, .file = seen->file,
					.syscall = syscall, .alert = alert, .prot = req, .prev = prev };

		emit_mem_prot_alert(&p);
	}
	bpf_map_delete_elem(&mprotect_seen, &tid);
}

/*
 * module_load where the kernel has no module tracepoint: a successful init_module or
 * finit_module (the module's file for finit_module; its name needs the tracepoint).
 */
static __always_inline void emit_module_load(__u32 syscall, struct sys_args *a)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct file *file = syscall == SYSCALL_FINIT_MODULE ? task_fd(task, (int)a->a[0]) : NULL;
	struct scratch *s = start_event(EVENT_MODULE_LOAD);
	__u32 off = 0;

	if (!s)
		return;
	s->ctx.syscall = syscall;
	off = put_str(s, off, NULL, false);
	off = put_str(s, off, NULL, false);
	off = put_str(s, off, NULL, false);
	off = put_path(s, off, file ? (__u64)&file->f_path : 0);
	off = put_file_ids(s, off, file, true);
	s->ctx.argnum = 7;
	submit(s, off);
}

/* The name a thread had when it called execve, by host tid (security_bprm_check's comm). */
struct comm_value {
	char comm[TASK_COMM_LEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct comm_value);
} exec_comms SEC(".maps");

/* At execve's entry (EVENT_CFG_DERIVE on it): the name the exec will replace. */
static __always_inline void remember_exec_comm(void)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct comm_value v;

	bpf_get_current_comm(v.comm, sizeof(v.comm));
	bpf_map_update_elem(&exec_comms, &tid, &v, BPF_ANY);
}

/*
 * security_bprm_check: the binary an exec is about to run, reported as the LSM hook sees it:
 * from the process as it was before the exec (its old name, kept at execve's entry), with the
 * file's path, dev and inode, the new argv and (with exec-env) environment.
 */
static __always_inline void emit_bprm_check(struct task_struct *task, struct linux_binprm *bprm,
					    __u32 old_tid)
{
	struct comm_value *old = bpf_map_lookup_elem(&exec_comms, &old_tid);
	struct file *file = KREAD(bprm->file);
	struct mm_struct *mm = KREAD(task->mm);
	struct scratch *s = start_event(EVENT_SECURITY_BPRM_CHECK);
	__u64 env_start = 0, env_end = 0;
	__u32 off = 0;

	if (!s)
		goto out;
	s->ctx.syscall = task_syscall_nr(task);
	if (old)
		__builtin_memcpy(s->ctx.comm, old->comm, TASK_COMM_LEN);
	if (tracee_config.options & OPT_EXEC_ENV) {
		env_start = KREAD(mm->env_start);
		env_end = KREAD(mm->env_end);
	}
	off = put_path(s, off, (__u64)&file->f_path);
	off = put_file_ids(s, off, file, false);
	off = put_user_bytes(s, off, (void *)KREAD(mm->arg_start),
			     KREAD(mm->arg_end) - KREAD(mm->arg_start), MAX_STR - 1);
	off = put_user_bytes(s, off, (void *)env_start, env_end - env_start, MAX_STR - 1);
	s->ctx.argnum = 5;
	submit(s, off);
out:
	if (old)
		bpf_map_delete_elem(&exec_comms, &old_tid);
}

/* Every derived event fed by the exit of syscall `id` (EVENT_CFG_DERIVE set on it). */
__noinline int derive_from_exit(__u32 id, __u64 regs_addr, long ret)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct sys_args a = {};
	struct pt_regs regs;

	if (bpf_probe_read_kernel(&regs, sizeof(regs), (void *)regs_addr) < 0)
		return 0;
	a.a[0] = regs.di;
	a.a[1] = regs.si;
	a.a[2] = regs.dx;
	a.a[3] = regs.r10;
	a.a[4] = regs.r8;
	a.a[5] = regs.r9;

	switch (id) {
	case SYSCALL_OPEN:
	case SYSCALL_CREAT:
		if (ret >= 0)
			emit_file_open(id, (__u64)task_fd(task, ret), a.a[0], true);
		break;
	case SYSCALL_OPENAT:
	case SYSCALL_OPENAT2:
		if (ret >= 0)
			emit_file_open(id, (__u64)task_fd(task, ret), a.a[1], true);
		break;
	case SYSCALL_RENAME:
		if (ret == 0)
			emit_rename(id, AT_FDCWD_VALUE, a.a[0], AT_FDCWD_VALUE, a.a[1]);
		break;
	case SYSCALL_RENAMEAT:
	case SYSCALL_RENAMEAT2:
		if (ret == 0)
			emit_rename(id, (int)a.a[0], a.a[1], (int)a.a[2], a.a[3]);
		break;
	case SYSCALL_UNLINK:
		emit_unlink(id, AT_FDCWD_VALUE, a.a[0], ret);
		break;
	case SYSCALL_UNLINKAT:
		emit_unlink(id, (int)a.a[0], a.a[1], a.a[2] & AT_REMOVEDIR_FLAG ? -1 : ret);
		break;
	case SYSCALL_MOUNT:
		if (ret == 0)
			emit_mount(id, &a);
		break;
	case SYSCALL_CONNECT:
		emit_sock_addr_event(EVENT_SECURITY_SOCKET_CONNECT, id, &a, true);
		break;
	case SYSCALL_BIND:
		emit_sock_addr_event(EVENT_SECURITY_SOCKET_BIND, id, &a, false);
		break;
	case SYSCALL_DUP:
		if (ret >= 0)
			emit_socket_dup(id, (int)a.a[0], ret);
		break;
	case SYSCALL_DUP2:
	case SYSCALL_DUP3:
		if (ret >= 0 && a.a[0] != a.a[1])
			emit_socket_dup(id, (int)a.a[0], ret);
		break;
	case SYSCALL_FCNTL:
		if (ret >= 0 && (a.a[1] == F_DUPFD_CMD || a.a[1] == F_DUPFD_CLOEXEC_CMD))
			emit_socket_dup(id, (int)a.a[0], ret);
		break;
	case SYSCALL_WRITE:
	case SYSCALL_PWRITE64:
	case SYSCALL_WRITEV:
	case SYSCALL_PWRITEV:
	case SYSCALL_PWRITEV2: {
		bool positioned = id == SYSCALL_PWRITE64 || id == SYSCALL_PWRITEV || id == SYSCALL_PWRITEV2;
		struct write_call w = { .written = ret, .pos = positioned ? (__s64)a.a[3] : -1,
					.ubuf = a.a[1], .syscall = id, .fd = (int)a.a[0],
					.iov = id == SYSCALL_WRITEV || id == SYSCALL_PWRITEV || id == SYSCALL_PWRITEV2 };

		emit_magic_write(&w);
		break;
	}
	case SYSCALL_MMAP:
		check_mmap(id, &a, ret);
		break;
	case SYSCALL_MPROTECT:
	case SYSCALL_PKEY_MPROTECT:
		check_mprotect(id, &a, ret);
		break;
	case SYSCALL_INIT_MODULE:
	case SYSCALL_FINIT_MODULE:
		if (ret == 0)
			emit_module_load(id, &a);
		break;
	}
	return 0;
}

#endif /* TRACEE_DERIVED_BPF_H */
