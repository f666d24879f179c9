// SPDX-License-Identifier: Apache-2.0
/*
 * Syscall load for the benchmarks: N threads issue getppid(2) as fast as they can, or at a
 * fixed offered rate, for a fixed time or a fixed count; with -m, a mix instead (open, read,
 * fstat, close, stat, getppid, mmap, munmap); with -o, opens (openat of a file, then close:
 * issued counts the opens); with -j, code "written then made executable" as a JIT does (mmap
 * read-write, mprotect read-exec, munmap: issued counts the mprotects); with -x, execs (fork,
 * execve /bin/true, wait: issued counts the execves). It names itself "tracee-loadgen" (-c to change;
 * a scope picks it by name), prints "ready <pid>" and waits for a line on stdin before starting,
 * then prints one JSON line: {"issued":…,"seconds":…,"rate":…,"pid":…} (issued counts syscalls).
 *
 * usage: loadgen [-t threads] [-d seconds] [-n count] [-r syscalls_per_second] [-m|-o|-j|-x] [-c comm]
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64

static double duration = 3;
static long count_per_thread;
static double rate_per_thread;
static atomic_long issued;
static int mixed;
static int opens;
static int jit;
static int execs;

/* One round of the mix: MIX_CALLS syscalls. */
#define MIX_CALLS 8
static void mix_round(void)
{
	char buf[64];
	struct stat st;
	int fd = open("/etc/hostname", O_RDONLY);

	if (read(fd, buf, sizeof(buf)) < 0)
		buf[0] = 0;
	fstat(fd, &st);
	close(fd);
	stat("/usr/bin", &st);
	syscall(SYS_getppid);
	void *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(p, 4096);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *storm(void *arg)
{
	double start = now(), end = start + duration;
	long n = 0;

	(void)arg;
	for (;;) {
		if (mixed) {
			for (int i = 0; i < BATCH / MIX_CALLS; i++)
				mix_round();
		} else if (execs) {
			for (int i = 0; i < BATCH; i++) {
				pid_t c = fork();

				if (c == 0) {
					execl("/bin/true", "true", (char *)NULL);
					_exit(127);
				}
				waitpid(c, NULL, 0);
			}
		} else if (jit) {
			for (int i = 0; i < BATCH; i++) {
				void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
				mprotect(p, 4096, PROT_READ | PROT_EXEC);
				munmap(p, 4096);
			}
		} else if (opens) {
			for (int i = 0; i < BATCH; i++)
				close(openat(AT_FDCWD, "/etc/hostname", O_RDONLY));
		} else {
			for (int i = 0; i < BATCH; i++)
				syscall(SYS_getppid);
		}
		n += BATCH;
		if (count_per_thread && n >= count_per_thread)
			break;
		double t = now();
		if (!count_per_thread && t >= end)
			break;
		if (rate_per_thread > 0) {
			/* pace: wait until the time this many calls are due */
			double due = start + n / rate_per_thread;
			while ((t = now()) < due && t < end)
				;
		}
	}
	atomic_fetch_add(&issued, n);
	return NULL;
}

int main(int argc, char **argv)
{
	int threads = 1, opt;
	double rate = 0;
	long count = 0;
	char line[16];
	const char *comm = "tracee-loadgen";

	while ((opt = getopt(argc, argv, "t:d:n:r:mojxc:")) != -1) {
		switch (opt) {
		case 't': threads = atoi(optarg); break;
		case 'd': duration = atof(optarg); break;
		case 'n': count = atol(optarg); break;
		case 'r': rate = atof(optarg); break;
		case 'm': mixed = 1; break;
		case 'o': opens = 1; break;
		case 'j': jit = 1; break;
		case 'x': execs = 1; break;
		case 'c': comm = optarg; break;
		default:
			fprintf(stderr, "usage: %s [-t threads] [-d seconds] [-n count] [-r rate] [-m|-o|-j|-x] [-c comm]\n", argv[0]);
			return 2;
		}
	}
	if (threads < 1 || threads > 64) {
		fprintf(stderr, "loadgen: threads must be 1..64\n");
		return 2;
	}
	count_per_thread = count / threads;
	count_per_thread -= count_per_thread % BATCH;
	rate_per_thread = rate / threads;
	prctl(PR_SET_NAME, comm);
	printf("ready %d\n", getpid());
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		return 1;

	pthread_t tids[64];
	double t0 = now();
	for (int i = 0; i < threads; i++)
		pthread_create(&tids[i], NULL, storm, NULL);
	for (int i = 0; i < threads; i++)
		pthread_join(tids[i], NULL);
	double secs = now() - t0;
	printf("{\"issued\":%ld,\"seconds\":%.6f,\"rate\":%.0f,\"pid\":%d}\n", atomic_load(&issued), secs,
	       atomic_load(&issued) / secs, getpid());
	return 0;
}
