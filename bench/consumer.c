// SPDX-License-Identifier: Apache-2.0
/*
 * The benchmarks' ceiling: a C libbpf consumer of tracee's own eBPF object, configured as tracee
 * configures it for `--events <event> --scope comm=<comm>` (an argument-less syscall emitted at
 * exit, so only sys_exit is attached), that only counts ring buffer records.
 * Prints "ready" once attached; on SIGINT/SIGTERM detaches, drains, and prints one JSON line:
 * {"received":…,"submitted":…,"lost_ring":…,"lost_stash":…,"lost_stash_exit":…,
 * "lost_stash_orphan":…,"filtered":…}.
 *
 * usage: consumer <tracee.bpf.core.o> <event-id> <comm|-> [ring-pages]   ("-": no scope)
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "../bpf/types.h"

static volatile sig_atomic_t stop;
static unsigned long long received;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int on_sample(void *ctx, void *data, size_t size)
{
	(void)ctx;
	(void)data;
	(void)size;
	received++;
	return 0;
}

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, ap) : 0;
}

static int map_fd(struct bpf_object *obj, const char *name)
{
	struct bpf_map *m = bpf_object__find_map_by_name(obj, name);

	if (!m) {
		fprintf(stderr, "consumer: no map %s\n", name);
		exit(1);
	}
	return bpf_map__fd(m);
}

static const char *programs[] = { "tracee_sys_exit" };
#define NPROGS (sizeof(programs) / sizeof(programs[0]))

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: %s <object> <event-id> <comm> [ring-pages]\n", argv[0]);
		return 2;
	}
	__u32 event_id = atoi(argv[2]);
	const char *comm = argv[3];
	unsigned pages = argc > 4 ? atoi(argv[4]) : 4096;

	libbpf_set_print(quiet);
	struct bpf_object *obj = bpf_object__open_file(argv[1], NULL);
	if (!obj) {
		fprintf(stderr, "consumer: cannot open %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	struct bpf_program *prog;
	bpf_object__for_each_program(prog, obj) {
		bool want = false;
		for (size_t i = 0; i < NPROGS; i++)
			want |= strcmp(bpf_program__name(prog), programs[i]) == 0;
		bpf_program__set_autoload(prog, want);
	}
	bpf_map__set_max_entries(bpf_object__find_map_by_name(obj, "events"), pages * 4096);
	struct tracee_config knobs = { .self_tgid = getpid(), .options = 0 };
	bpf_map__set_initial_value(bpf_object__find_map_by_name(obj, ".rodata"), &knobs, sizeof(knobs));
	if (bpf_object__load(obj)) {
		fprintf(stderr, "consumer: cannot load the object: %s\n", strerror(errno));
		return 1;
	}

	/* the scope: comm=<comm> for policy 0 */
	__u32 zero = 0;
	struct filter_config fc = {};
	bool scoped = strcmp(comm, "-") != 0;
	fc.enabled[SCOPE_COMM] = scoped;
	fc.has_eq[SCOPE_COMM] = scoped;
	fc.any = scoped;
	bpf_map_update_elem(map_fd(obj, "filter_config"), &zero, &fc, BPF_ANY);
	char key[TASK_COMM_LEN] = {};
	strncpy(key, comm, TASK_COMM_LEN - 1);
	struct eq_neq eq = { .eq = 1, .neq = 0 };
	bpf_map_update_elem(map_fd(obj, "comm_filter"), key, &eq, BPF_ANY);

	struct bpf_link *links[NPROGS];
	for (size_t i = 0; i < NPROGS; i++) {
		links[i] = bpf_program__attach(bpf_object__find_program_by_name(obj, programs[i]));
		if (!links[i]) {
			fprintf(stderr, "consumer: cannot attach %s: %s\n", programs[i], strerror(errno));
			return 1;
		}
	}
	/* the event: no arguments, emitted at exit, policy 0 */
	struct event_config cfg = { .policies = 1 };
	memset(cfg.aux, ARG_AUX_NONE, sizeof(cfg.aux));
	bpf_map_update_elem(map_fd(obj, "event_config"), &event_id, &cfg, BPF_ANY);

	struct ring_buffer *rb = ring_buffer__new(map_fd(obj, "events"), on_sample, NULL, NULL);
	if (!rb) {
		fprintf(stderr, "consumer: cannot map the ring buffer: %s\n", strerror(errno));
		return 1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	printf("ready\n");
	fflush(stdout);
	/* The producer batches its wakeups (bpf/common.bpf.h submit): wait, then always drain. */
	while (!stop) {
		ring_buffer__poll(rb, 10);
		ring_buffer__consume(rb);
	}
	for (size_t i = 0; i < NPROGS; i++)
		bpf_link__destroy(links[i]);
	ring_buffer__consume(rb);

	int ncpus = libbpf_num_possible_cpus();
	struct kernel_counters per_cpu[ncpus], sum = {};
	if (bpf_map_lookup_elem(map_fd(obj, "counters"), &zero, per_cpu) == 0) {
		for (int c = 0; c < ncpus; c++) {
			sum.submitted += per_cpu[c].submitted;
			sum.lost_ring += per_cpu[c].lost_ring;
			sum.lost_stash += per_cpu[c].lost_stash;
			sum.filtered += per_cpu[c].filtered;
			sum.lost_stash_exit += per_cpu[c].lost_stash_exit;
			sum.lost_stash_orphan += per_cpu[c].lost_stash_orphan;
		}
	}
	printf("{\"received\":%llu,\"submitted\":%llu,\"lost_ring\":%llu,\"lost_stash\":%llu,"
	       "\"lost_stash_exit\":%llu,\"lost_stash_orphan\":%llu,\"filtered\":%llu}\n",
	       received, (unsigned long long)sum.submitted, (unsigned long long)sum.lost_ring,
	       (unsigned long long)sum.lost_stash, (unsigned long long)sum.lost_stash_exit,
	       (unsigned long long)sum.lost_stash_orphan, (unsigned long long)sum.filtered);
	ring_buffer__free(rb);
	bpf_object__close(obj);
	return 0;
}
