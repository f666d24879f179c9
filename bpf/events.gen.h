/* SPDX-License-Identifier: GPL-2.0 */
/* Generated from src/events/ by `deno task gen-header`: do not edit. */
#ifndef TRACEE_EVENTS_GEN_H
#define TRACEE_EVENTS_GEN_H

#define MAX_EVENT_ID 2048
#define FIRST_KERNEL_EVENT_ID 1000

enum arg_kind {
	ARG_NONE = 0,
	ARG_S32 = 1,
	ARG_U32 = 2,
	ARG_S64 = 3,
	ARG_U64 = 4,
	ARG_PTR = 5,
	ARG_STR = 6,
	ARG_STR_ARR = 7,
	ARG_SOCKADDR = 8,
	ARG_SOCKADDR_LENPTR = 9,
	ARG_INT_ARR2 = 10,
	ARG_TIMESPEC = 11,
	ARG_BUF = 12,
	ARG_KSTR = 13,
	ARG_STR_REGION = 14,
	ARG_BOOL = 15,
};

enum event_id {
	EVENT_SCHED_PROCESS_FORK = 1002,
	EVENT_SCHED_PROCESS_EXEC = 1003,
	EVENT_SCHED_PROCESS_EXIT = 1004,
	EVENT_SCHED_SWITCH = 1005,
};

#endif /* TRACEE_EVENTS_GEN_H */
