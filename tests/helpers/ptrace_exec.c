// SPDX-License-Identifier: Apache-2.0
/*
 * Test helper: runs a program under ptrace and, at its first exec event stop, rewrites the
 * child's orig_rax, so the execve's sys_exit is not seen as that execve's (what a debugger or
 * sandbox may do). Names itself "tracee-ptrace" (a scope picks it by name); prints one JSON
 * line {"child":…,"status":…} when the child is gone.
 *
 * usage: ptrace_exec <orig_rax> <program> [args...]    (orig_rax: -1, or a syscall number)
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long orig_rax;
	int status, rewritten = 0;
	pid_t child;

	if (argc < 3) {
		fprintf(stderr, "usage: %s <orig_rax> <program> [args...]\n", argv[0]);
		return 2;
	}
	orig_rax = strtol(argv[1], NULL, 0);
	prctl(PR_SET_NAME, "tracee-ptrace");
	child = fork();
	if (child == 0) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		raise(SIGSTOP);
		execv(argv[2], argv + 2);
		_exit(127);
	}
	waitpid(child, &status, 0); /* the SIGSTOP */
	ptrace(PTRACE_SETOPTIONS, child, 0, PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL);
	ptrace(PTRACE_CONT, child, 0, 0);
	for (;;) {
		if (waitpid(child, &status, 0) < 0 || WIFEXITED(status) || WIFSIGNALED(status))
			break;
		if (status >> 8 == (SIGTRAP | (PTRACE_EVENT_EXEC << 8))) {
			if (!rewritten++)
				ptrace(PTRACE_POKEUSER, child, offsetof(struct user_regs_struct, orig_rax), orig_rax);
			ptrace(PTRACE_CONT, child, 0, 0);
		} else {
			ptrace(PTRACE_CONT, child, 0, WSTOPSIG(status));
		}
	}
	printf("{\"child\":%d,\"status\":%d}\n", child, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return 0;
}
