// SPDX-License-Identifier: GPL-2.0
/*
 * tracee eBPF programs. Built twice from this file:
 *  - CO-RE (-DTRACEE_CORE): relocated at load time against the running kernel's BTF;
 *  - non-CO-RE: compiled for the running kernel's layout, no relocations, no kernel BTF needed.
 * Every program here attaches without kernel BTF (raw_tracepoint / tracepoint).
 */
#ifdef TRACEE_KERNEL_HEADERS
#include "kheaders.h"
#else
#include "vmlinux.h"
#endif
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "common.bpf.h"
#include "filters.bpf.h"
#include "args.bpf.h"
#include "path.bpf.h"
#include "task.bpf.h"
#include "derived.bpf.h"
#include "container_events.bpf.h"

char LICENSE[] SEC("license") = "GPL";

/* The syscall number the current task is executing: orig_ax of its saved registers. */
static __always_inline __u32 syscall_nr(struct pt_regs *regs)
{
	return (__u32)KREAD(regs->orig_ax);
}

static __always_inline bool is_compat_task(void)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();

	return KREAD(task->thread_info.status) & 0x0002; /* TS_COMPAT */
}

/* Context and arguments of a syscall event, built in the per-CPU scratch buffer. */
static __always_inline struct scratch *build_syscall_event(struct event_config *cfg, __u32 id,
							   __u64 *args, __u64 policies, long ret)
{
	struct scratch *s = scratch();
	__u32 off = 0;
	__u32 n;

	if (!s)
		return NULL;
	fill_context(&s->ctx, id, policies);
	s->ctx.retval = ret;
	s->ctx.syscall = id;
	n = cfg->argnum;
	for (int i = 0; i < MAX_SYSCALL_ARGS; i++) {
		__u8 aux = cfg->aux[i];
		__u64 len = 0;

		if (i >= n)
			break;
		if (aux == ARG_AUX_RETVAL)
			len = ret;
		else if (aux < MAX_SYSCALL_ARGS)
			len = args[aux];
		off = put_syscall_arg(s, off, cfg->kinds[i], args[i], len);
	}
	s->ctx.argnum = n;
	s->ctx.payload_size = off;
	return s;
}

/* The six syscall arguments from the registers saved at syscall entry (x86_64 ABI). */
static __always_inline void syscall_args(struct pt_regs *saved, __u64 *args)
{
	struct pt_regs regs;

	bpf_probe_read_kernel(&regs, sizeof(regs), saved);
	args[0] = regs.di;
	args[1] = regs.si;
	args[2] = regs.dx;
	args[3] = regs.r10;
	args[4] = regs.r8;
	args[5] = regs.r9;
}

/*
 * At a syscall's entry. Only for syscalls whose arguments are gone by their exit: exit/exit_group
 * never return (the event is emitted here), execve/execveat replace the process image (the event
 * is encoded here and emitted at exit with the return value; their entry also keeps the name
 * security_bprm_check reports). Other syscalls do not need the entry hook at all.
 */
static __always_inline int on_sys_enter(__u32 id, struct pt_regs *regs)
{
	struct event_config *cfg;
	__u64 args[MAX_SYSCALL_ARGS];
	struct scratch *s;
	__u64 policies;
	__u32 tid;

	if (id >= FIRST_KERNEL_EVENT_ID)
		return 0;
	cfg = config_of(id);
	if (!cfg)
		return 0;
	if ((cfg->flags & EVENT_CFG_DERIVE) && (id == SYSCALL_EXECVE || id == SYSCALL_EXECVEAT))
		remember_exec_comm();
	if (!(cfg->flags & (EVENT_CFG_EMIT_AT_ENTER | EVENT_CFG_CAPTURE_AT_ENTER)))
		return 0;
	policies = match_policies(cfg);
	if (!policies || is_compat_task())
		return 0;
	syscall_args(regs, args);
	s = build_syscall_event(cfg, id, args, policies, 0);
	if (!s)
		return 0;
	if (cfg->flags & EVENT_CFG_EMIT_AT_ENTER) {
		submit(s, s->ctx.payload_size);
		return 0;
	}
	tid = (__u32)bpf_get_current_pid_tgid();
	stash_exec(tid, s);
	return 0;
}

/*
 * At a syscall's exit: every other syscall is emitted here, with its return value (x86_64 leaves
 * the argument registers saved at entry untouched, so they are read now: no state is kept across
 * the syscall), and the events derived from what it did are built.
 */
static __always_inline int on_sys_exit(__u32 id, struct pt_regs *regs, long ret)
{
	__u64 args[MAX_SYSCALL_ARGS];
	struct event_config *cfg;
	struct scratch *s;
	__u64 policies;

	if (id >= FIRST_KERNEL_EVENT_ID)
		return 0;
	cfg = config_of(id);
	if (!cfg)
		return 0;
	if ((cfg->flags & EVENT_CFG_DERIVE) && !is_compat_task())
		derive_from_exit(id, (__u64)regs, ret);
	if (!cfg->policies)
		return 0;

	if (cfg->flags & EVENT_CFG_CAPTURE_AT_ENTER) {
		__u32 tid = (__u32)bpf_get_current_pid_tgid();
		struct scratch *st = bpf_map_lookup_elem(&exec_stash, &tid);

		if (!st)
			return 0;
		if (st->ctx.event_id == id) {
			st->ctx.retval = ret;
			submit(st, st->ctx.payload_size);
		} else {
			COUNT(lost_stash_orphan); /* another capture syscall's exit: not this execve's */
		}
		bpf_map_delete_elem(&exec_stash, &tid);
		return 0;
	}
	if (cfg->flags & EVENT_CFG_EMIT_AT_ENTER)
		return 0;

	policies = match_policies(cfg);
	if (!policies || is_compat_task())
		return 0;
	if (cfg->argnum)
		syscall_args(regs, args);
	s = build_syscall_event(cfg, id, args, policies, ret);
	if (s)
		submit(s, s->ctx.payload_size);
	return 0;
}

/* Every syscall's entry (many syscalls selected: one hook for all). */
SEC("raw_tracepoint/sys_enter")
int tracee_sys_enter(struct bpf_raw_tracepoint_args *ctx)
{
	return on_sys_enter(ctx->args[1], (struct pt_regs *)ctx->args[0]);
}

/* Every syscall's exit (many syscalls selected: one hook for all). */
SEC("raw_tracepoint/sys_exit")
int tracee_sys_exit(struct bpf_raw_tracepoint_args *ctx)
{
	struct pt_regs *regs = (struct pt_regs *)ctx->args[0];

	return on_sys_exit(syscall_nr(regs), regs, ctx->args[1]);
}

/*
 * The same at the entry and exit of one syscall each: user space attaches these programs to the
 * syscalls:sys_enter_<name> / sys_exit_<name> tracepoints of just the syscalls it needs (a small
 * selection), so no other syscall runs a program at all. Only the syscall number (and the return
 * value) is read from the record, which every one of these tracepoints has; the arguments come
 * from the registers the task saved.
 */
struct syscall_tp_record {
	__u64 common; /* struct trace_entry */
	long id;
	long ret;     /* sys_exit_* only */
};

SEC("tracepoint/syscalls/sys_enter_any")
int tracee_syscall_enter(struct syscall_tp_record *ctx)
{
	return on_sys_enter(ctx->id, task_regs((struct task_struct *)bpf_get_current_task()));
}

SEC("tracepoint/syscalls/sys_exit_any")
int tracee_syscall_exit(struct syscall_tp_record *ctx)
{
	return on_sys_exit(ctx->id, task_regs((struct task_struct *)bpf_get_current_task()), ctx->ret);
}

SEC("raw_tracepoint/sched_process_fork")
int tracee_sched_process_fork(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *parent = (struct task_struct *)ctx->args[0];
	struct task_struct *child = (struct task_struct *)ctx->args[1];
	struct scratch *s;
	__u32 off = 0;

	inherit_proc_info(child);
	if (!(s = start_event(EVENT_SCHED_PROCESS_FORK)))
		return 0;
	off = put_u64(s, off, KREAD(parent->pid));
	off = put_u64(s, off, task_ns_tid(parent));
	off = put_u64(s, off, KREAD(parent->tgid));
	off = put_u64(s, off, task_ns_tgid(parent));
	off = put_u64(s, off, KREAD(parent->start_time));
	off = put_u64(s, off, KREAD(child->pid));
	off = put_u64(s, off, task_ns_tid(child));
	off = put_u64(s, off, KREAD(child->tgid));
	off = put_u64(s, off, task_ns_tgid(child));
	off = put_u64(s, off, KREAD(child->start_time));
	s->ctx.argnum = 10;
	submit(s, off);
	return 0;
}

/* binary= filters: remember the hash of the path the process now runs. */
static __always_inline void record_binary(struct file *file)
{
	struct filter_config *fc = filters();
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct proc_info *pi, info = {};
	struct path_buf *pb;
	int pos;

	if (!fc || !fc->enabled[SCOPE_BINARY])
		return;
	pos = build_path((__u64)&file->f_path);
	pb = path_buf();
	if (pos < 0 || !pb)
		return;
	info.binary = fnv1a(pb->buf, pos, PATH_HALF - 1);
	pi = bpf_map_lookup_elem(&proc_infos, &tgid);
	if (pi) {
		pi->binary = info.binary;
		return;
	}
	bpf_map_update_elem(&proc_infos, &tgid, &info, BPF_ANY);
}

SEC("raw_tracepoint/sched_process_exec")
int tracee_sched_process_exec(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *task = (struct task_struct *)ctx->args[0];
	__u32 old_pid = ctx->args[1];
	struct linux_binprm *bprm = (struct linux_binprm *)ctx->args[2];
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct scratch *s;
	__u32 off = 0;

	/* A non-leader thread that execs takes over the leader's pid: move its pending execve. */
	if (old_pid != tid) {
		struct scratch *st = bpf_map_lookup_elem(&exec_stash, &old_pid);

		if (st) {
			if (bpf_map_update_elem(&exec_stash, &tid, st, BPF_ANY) < 0)
				COUNT(lost_stash);
			bpf_map_delete_elem(&exec_stash, &old_pid);
		}
		bpf_map_delete_elem(&task_ctxs, &old_pid);
	}

	record_binary(KREAD(bprm->file));
	/* the binary the kernel opened to run (security_file_open of an exec) */
	emit_file_open(task_syscall_nr(task), (__u64)KREAD(bprm->file), (__u64)KREAD(bprm->filename), false);
	emit_bprm_check(task, bprm, old_pid);
	if (!(s = start_event(EVENT_SCHED_PROCESS_EXEC)))
		return 0;

	struct file *file = KREAD(bprm->file);
	struct inode *inode = KREAD(file->f_inode);
	struct mm_struct *mm = KREAD(task->mm);
	struct file *stdin_file = task_fd(task, 0);
	__u64 arg_start = KREAD(mm->arg_start);
	__u64 arg_end = KREAD(mm->arg_end);
	__u64 env_start = 0, env_end = 0;

	if (tracee_config.options & OPT_EXEC_ENV) {
		env_start = KREAD(mm->env_start);
		env_end = KREAD(mm->env_end);
	}
	off = put_str(s, off, KREAD(bprm->filename), false);
	off = put_path(s, off, (__u64)&file->f_path);
	off = put_u64(s, off, KREAD(KREAD(inode->i_sb)->s_dev));
	off = put_u64(s, off, KREAD(inode->i_ino));
	off = put_u64(s, off, inode_ctime_ns(inode));
	off = put_u64(s, off, KREAD(inode->i_mode));
	off = put_str(s, off, KREAD(bprm->interp), false);
	off = put_u64(s, off, stdin_file ? KREAD(KREAD(stdin_file->f_inode)->i_mode) & S_IFMT_BITS : 0);
	off = put_path(s, off, stdin_file ? (__u64)&stdin_file->f_path : 0);
	off = put_u64(s, off, (KREAD(KREAD(task->real_parent)->flags) & PF_KTHREAD_FLAG) != 0);
	off = put_user_bytes(s, off, (void *)arg_start, arg_end - arg_start, MAX_STR - 1);
	off = put_user_bytes(s, off, (void *)env_start, env_end - env_start, MAX_STR - 1);
	s->ctx.argnum = 12;
	submit(s, off);
	return 0;
}

SEC("raw_tracepoint/sched_process_exit")
int tracee_sched_process_exit(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct scratch *s;
	__u32 off = 0;
	int code;

	/* An execve still pending at exit never saw its sys_exit (e.g. a tracer rewrote orig_ax). */
	if (bpf_map_delete_elem(&exec_stash, &tid) == 0)
		COUNT(lost_stash_exit);
	bpf_map_delete_elem(&exec_comms, &tid);
	if (KREAD(KREAD(task->signal)->live.counter) == 0) {
		__u32 tgid = bpf_get_current_pid_tgid() >> 32;

		bpf_map_delete_elem(&proc_infos, &tgid);
	}

	if (!(s = start_event(EVENT_SCHED_PROCESS_EXIT)))
		goto forget;
	code = KREAD(task->exit_code);
	off = put_u64(s, off, (code >> 8) & 0xff);
	off = put_u64(s, off, code & 0x7f);
	off = put_u64(s, off, KREAD(KREAD(task->signal)->live.counter) == 0);
	s->ctx.argnum = 3;
	submit(s, off);
forget:
	/* After the exit event, which used it: the thread's cached context goes with the thread. */
	bpf_map_delete_elem(&task_ctxs, &tid);
	return 0;
}

/* sched_switch's arguments: cpu, prev_tid, prev_comm, next_tid, next_comm. */
static __always_inline void emit_sched_switch(struct task_struct *prev, struct task_struct *next)
{
	struct event_config *cfg = config_of(EVENT_SCHED_SWITCH);
	__u64 policies = match_policies(cfg);
	struct scratch *s;
	__u32 off = 0;

	if (!policies || !(s = scratch()))
		return;
	fill_context(&s->ctx, EVENT_SCHED_SWITCH, policies);
	off = put_u64(s, off, bpf_get_smp_processor_id());
	off = put_u64(s, off, KREAD(prev->pid));
	off = put_str(s, off, prev->comm, false);
	off = put_u64(s, off, KREAD(next->pid));
	off = put_str(s, off, next->comm, false);
	s->ctx.argnum = 5;
	submit(s, off);
}

SEC("raw_tracepoint/sched_switch")
int tracee_sched_switch(struct bpf_raw_tracepoint_args *ctx)
{
	emit_sched_switch((struct task_struct *)ctx->args[1], (struct task_struct *)ctx->args[2]);
	return 0;
}

#ifdef TRACEE_CORE
/*
 * The same hook through BTF (typed arguments, cheaper to run). Optional: it attaches only when
 * the kernel exposes /sys/kernel/btf/vmlinux; otherwise tracee falls back to the program above.
 */
SEC("?tp_btf/sched_switch")
int BPF_PROG(tracee_sched_switch_btf, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	emit_sched_switch(prev, next);
	return 0;
}
#endif

SEC("raw_tracepoint/task_rename")
int tracee_task_rename(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *task = (struct task_struct *)ctx->args[0];
	struct scratch *s = start_event(EVENT_TASK_RENAME);
	__u32 off = 0;

	if (!s)
		return 0;
	off = put_str(s, off, task->comm, false);
	off = put_str(s, off, (const char *)ctx->args[1], false);
	s->ctx.argnum = 2;
	submit(s, off);
	return 0;
}

static __always_inline int emit_cgroup(__u32 id, struct bpf_raw_tracepoint_args *ctx)
{
	struct cgroup *cgrp = (struct cgroup *)ctx->args[0];
	struct scratch *s = start_event(id);
	__u32 off = 0;

	if (!s)
		return 0;
	off = put_u64(s, off, KREAD(KREAD(cgrp->kn)->id));
	off = put_str(s, off, (const char *)ctx->args[1], false);
	off = put_u64(s, off, KREAD(KREAD(cgrp->root)->hierarchy_id));
	s->ctx.argnum = 3;
	submit(s, off);
	return 0;
}

SEC("raw_tracepoint/cgroup_mkdir")
int tracee_cgroup_mkdir(struct bpf_raw_tracepoint_args *ctx)
{
	container_cgroup_mkdir((struct cgroup *)ctx->args[0]);
	return emit_cgroup(EVENT_CGROUP_MKDIR, ctx);
}

SEC("raw_tracepoint/cgroup_rmdir")
int tracee_cgroup_rmdir(struct bpf_raw_tracepoint_args *ctx)
{
	container_cgroup_rmdir((struct cgroup *)ctx->args[0]);
	return emit_cgroup(EVENT_CGROUP_RMDIR, ctx);
}

static __always_inline int emit_module(__u32 id, struct bpf_raw_tracepoint_args *ctx, bool with_versions)
{
	struct module *mod = (struct module *)ctx->args[0];
	struct scratch *s = start_event(id);
	__u32 off = 0;

	if (!s)
		return 0;
	off = put_str(s, off, mod->name, false);
	if (with_versions) {
		off = put_str(s, off, KREAD(mod->version), false);
		off = put_str(s, off, KREAD(mod->srcversion), false);
		s->ctx.argnum = 3;
	} else {
		s->ctx.argnum = 1;
	}
	submit(s, off);
	return 0;
}

/* Kernels without module support have no module tracepoints: attaching these then fails. */
SEC("raw_tracepoint/module_load")
int tracee_module_load(struct bpf_raw_tracepoint_args *ctx)
{
	return emit_module(EVENT_MODULE_LOAD, ctx, true);
}

SEC("raw_tracepoint/module_free")
int tracee_module_free(struct bpf_raw_tracepoint_args *ctx)
{
	return emit_module(EVENT_MODULE_FREE, ctx, false);
}

SEC("raw_tracepoint/signal_generate")
int tracee_signal_generate(struct bpf_raw_tracepoint_args *ctx)
{
	struct kernel_siginfo *info = (struct kernel_siginfo *)ctx->args[1];
	struct task_struct *target = (struct task_struct *)ctx->args[2];
	struct scratch *s = start_event(EVENT_SIGNAL_GENERATE);
	__u32 off = 0;

	if (!s)
		return 0;
	off = put_u64(s, off, ctx->args[0]);
	off = put_u64(s, off, info ? KREAD(info->si_code) : 0);
	off = put_u64(s, off, KREAD(target->tgid));
	off = put_u64(s, off, ctx->args[3]);
	off = put_u64(s, off, ctx->args[4]);
	s->ctx.argnum = 5;
	submit(s, off);
	return 0;
}

SEC("raw_tracepoint/signal_deliver")
int tracee_signal_deliver(struct bpf_raw_tracepoint_args *ctx)
{
	struct kernel_siginfo *info = (struct kernel_siginfo *)ctx->args[1];
	struct k_sigaction *ka = (struct k_sigaction *)ctx->args[2];
	struct scratch *s = start_event(EVENT_SIGNAL_DELIVER);
	__u32 off = 0;

	if (!s)
		return 0;
	off = put_u64(s, off, ctx->args[0]);
	off = put_u64(s, off, info ? KREAD(info->si_code) : 0);
	off = put_u64(s, off, (__u64)KREAD(ka->sa.sa_handler));
	off = put_u64(s, off, KREAD(ka->sa.sa_flags));
	s->ctx.argnum = 4;
	submit(s, off);
	return 0;
}

/*
 * ext4's unlink tracepoint sees the inode an unlink removes, which is gone by the syscall's
 * exit: kept for security_inode_unlink's inode, dev and ctime. Optional: other filesystems have
 * no such hook, and their unlinks carry 0 there.
 */
SEC("raw_tracepoint/ext4_unlink_enter")
int tracee_ext4_unlink_enter(struct bpf_raw_tracepoint_args *ctx)
{
	struct dentry *dentry = (struct dentry *)ctx->args[1];
	struct inode *inode = KREAD(dentry->d_inode);
	struct event_config *cfg = config_of(EVENT_SECURITY_INODE_UNLINK);
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct unlinked_inode seen = {};

	if (!cfg || !cfg->policies || !inode)
		return 0;
	seen.ino = KREAD(inode->i_ino);
	seen.dev = KREAD(KREAD(inode->i_sb)->s_dev);
	seen.ctime = inode_ctime_ns(inode);
	seen.syscall = task_syscall_nr((struct task_struct *)bpf_get_current_task());
	bpf_map_update_elem(&unlinked, &tid, &seen, BPF_ANY);
	return 0;
}

#ifdef TRACEE_CORE
static long record_vma(struct task_struct *task, struct vm_area_struct *vma, struct vma_seen *seen)
{
	seen->prot = vma->vm_flags & (PROT_WRITE_BIT | PROT_EXEC_BIT | 0x1);
	seen->file = (__u64)vma->vm_file;
	return 0;
}

/*
 * mem_prot_alert needs the protection a region had before an mprotect: looked up here at the
 * entry of mprotect and pkey_mprotect (attached to their syscalls:sys_enter_* tracepoints only).
 * bpf_find_vma needs the kernel's BTF, so this program is optional and CO-RE only; without it
 * mem_prot_alert reports mmap alerts only.
 */
SEC("?tracepoint/syscalls/sys_enter_mprotect")
int tracee_mprotect_enter(struct syscall_tp_record *ctx)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct event_config *cfg = config_of(ctx->id);
	struct vma_seen seen = {};
	__u32 tid;

	if (!cfg || !(cfg->flags & EVENT_CFG_DERIVE))
		return 0;
	seen.addr = KREAD(task_regs(task)->di);
	if (bpf_find_vma(task, seen.addr, record_vma, &seen, 0) != 0)
		return 0;
	tid = (__u32)bpf_get_current_pid_tgid();
	bpf_map_update_elem(&mprotect_seen, &tid, &seen, BPF_ANY);
	return 0;
}
#endif
