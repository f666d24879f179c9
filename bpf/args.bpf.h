/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Argument writers: each appends one argument to an event's payload in the encoding that
 * enum arg_kind documents (src/events/arg_kind.ts) and returns the payload offset after it.
 * Every write lands at (offset & PAYLOAD_MASK) so the verifier can bound it; no argument starts
 * past PAYLOAD_SOFT_LIMIT, so the mask never wraps in practice.
 */
#ifndef TRACEE_ARGS_BPF_H
#define TRACEE_ARGS_BPF_H

#include "common.bpf.h"

/* Address of payload byte `off`. */
static __always_inline void *payload_at(struct scratch *s, __u32 off)
{
	return &s->payload[bounded(off, PAYLOAD_MASK)];
}

#define PAYLOAD_AT(s, off) payload_at((s), (off))

static __always_inline bool payload_full(struct scratch *s, __u32 off)
{
	if (off <= PAYLOAD_SOFT_LIMIT)
		return false;
	s->ctx.flags |= EVENT_F_TRUNCATED;
	return true;
}

static __always_inline __u32 put_u64(struct scratch *s, __u32 off, __u64 v)
{
	if (payload_full(s, off))
		return off;
	*(__u64 *)PAYLOAD_AT(s, off) = v;
	return off + sizeof(__u64);
}

/* u32 length + string (with its NUL) read from user or kernel memory. */
static __always_inline __u32 put_str(struct scratch *s, __u32 off, const void *src, bool user)
{
	long n = 0;

	if (payload_full(s, off))
		return off;
	if (src) {
		if (user)
			n = bpf_probe_read_user_str(PAYLOAD_AT(s, off + 4), MAX_STR, src);
		else
			n = bpf_probe_read_kernel_str(PAYLOAD_AT(s, off + 4), MAX_STR, src);
	}
	if (n < 0)
		n = 0;
	if (n > MAX_STR)
		n = MAX_STR;
	*(__u32 *)PAYLOAD_AT(s, off) = n;
	return off + 4 + n;
}

/* u32 length + up to `max` bytes of user memory; a failed read writes length 0. */
static __always_inline __u32 put_user_bytes(struct scratch *s, __u32 off, const void *src,
					    __u64 len, __u32 max)
{
	__u32 n = len > max ? max : len;

	if (payload_full(s, off))
		return off;
	n = bounded(n, MAX_STR - 1);
	if (!src || bpf_probe_read_user(PAYLOAD_AT(s, off + 4), n, src) < 0)
		n = 0;
	*(__u32 *)PAYLOAD_AT(s, off) = n;
	return off + 4 + n;
}

/* u32 count, then each string of a NULL-terminated user array of string pointers. */
__noinline int put_user_str_arr(struct scratch *s, __u32 off, __u64 uarr)
{
	__u32 count_off = off;
	__u32 count = 0;

	if (!s || payload_full(s, off))
		return off;
	off += 4;
	for (int i = 0; i < MAX_STR_ARR; i++) {
		const char *p = NULL;

		if (!uarr || bpf_probe_read_user(&p, sizeof(p), (void *)(uarr + i * sizeof(p))) < 0 || !p)
			break;
		if (payload_full(s, off))
			break;
		off = put_str(s, off, p, true);
		count++;
	}
	*(__u32 *)PAYLOAD_AT(s, count_off) = count;
	return off;
}

/*
 * One syscall argument by kind. `len` is the value of the argument named by the kind's aux
 * (a length, or a pointer to one), or the return value.
 */
__noinline int put_syscall_arg(struct scratch *s, __u32 off, __u32 kind, __u64 val, __u64 len)
{
	int plen = 0;

	if (!s)
		return off;
	switch (kind) {
	case ARG_STR:
		return put_str(s, off, (void *)val, true);
	case ARG_STR_ARR:
		return put_user_str_arr(s, off, val);
	case ARG_SOCKADDR:
		return put_user_bytes(s, off, (void *)val, len, MAX_SOCKADDR);
	case ARG_SOCKADDR_LENPTR:
		if (len)
			bpf_probe_read_user(&plen, sizeof(plen), (void *)len);
		return put_user_bytes(s, off, (void *)val, plen < 0 ? 0 : plen, MAX_SOCKADDR);
	case ARG_INT_ARR2:
		return put_user_bytes(s, off, (void *)val, 2 * sizeof(int), 2 * sizeof(int));
	case ARG_TIMESPEC:
		return put_user_bytes(s, off, (void *)val, 16, 16);
	case ARG_BUF:
		return put_user_bytes(s, off, (void *)val, (__s64)len < 0 ? 0 : len, MAX_BUF);
	default:
		return put_u64(s, off, val);
	}
}

#endif /* TRACEE_ARGS_BPF_H */
