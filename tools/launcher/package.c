/* Reads the package behind the launcher: trailer, manifest, and the entry key. */
#include "package.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void (*fail_hook)(void);

void on_fail(void (*hook)(void))
{
	fail_hook = hook;
}

void fail(const char *fmt, ...)
{
	void (*hook)(void) = fail_hook;
	fail_hook = NULL;
	if (hook)
		hook();
	char line[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s\n", line);
	exit(2);
}

static void damaged(const char *why)
{
	fail("Cannot start tracee: this tracee file is damaged (%s): copy it again", why);
}

static uint64_t le64(const unsigned char *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void read_exact(int fd, void *buf, size_t len, uint64_t off)
{
	size_t done = 0;
	while (done < len) {
		ssize_t n = pread(fd, (char *)buf + done, len - done, (off_t)(off + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			fail("Cannot read the tracee file: %s", strerror(errno));
		if (n == 0)
			damaged("it ends early");
		done += (size_t)n;
	}
}

/* A relative path that stays inside the entry: no leading '/', no empty, '.' or '..' part. */
static int safe_rel(const char *rel)
{
	if (*rel == '\0' || *rel == '/')
		return 0;
	for (const char *p = rel; *p;) {
		const char *end = strchr(p, '/');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len == 0 || (len == 1 && p[0] == '.') || (len == 2 && p[0] == '.' && p[1] == '.'))
			return 0;
		p += len;
		if (*p == '/')
			p++;
		else
			break;
	}
	return 1;
}

static int hex_digest(const char *hex, uint8_t out[SHA256_LEN])
{
	if (strlen(hex) != SHA256_HEX_LEN)
		return 0;
	for (int i = 0; i < SHA256_LEN; i++) {
		unsigned v;
		if (sscanf(hex + 2 * i, "%2x", &v) != 1)
			return 0;
		out[i] = (uint8_t)v;
	}
	return 1;
}

static const char *need_rel(char *rel)
{
	if (!rel || !safe_rel(rel))
		damaged("bad path in its manifest");
	return rel;
}

static void parse_line(struct package *p, char *line)
{
	char *sp = strchr(line, ' ');
	if (!sp)
		damaged("bad manifest line");
	*sp = '\0';
	char *rest = sp + 1;
	if (strcmp(line, "exec") == 0) {
		p->exec = need_rel(rest);
	} else if (strcmp(line, "arg") == 0 || strcmp(line, "env") == 0 || strcmp(line, "dir") == 0) {
		int *n = line[0] == 'a' ? &p->nargs : line[0] == 'e' ? &p->nenv : &p->ndirs;
		const char **list = line[0] == 'a' ? p->args : line[0] == 'e' ? p->env : p->dirs;
		if (*n == PACKAGE_MAX_ITEMS)
			damaged("too many manifest lines");
		if (line[0] == 'd')
			need_rel(rest);
		if (line[0] == 'e' && !strchr(rest, '='))
			damaged("bad env line in its manifest");
		list[(*n)++] = rest;
	} else if (strcmp(line, "file") == 0) {
		if (p->nfiles == PACKAGE_MAX_ITEMS)
			damaged("too many files");
		struct package_file *f = &p->files[p->nfiles++];
		char *mode = strtok(rest, " "), *size = strtok(NULL, " "), *sum = strtok(NULL, " ");
		char *rel = strtok(NULL, "");
		if (!mode || !size || !sum || !hex_digest(sum, f->sha256))
			damaged("bad file line in its manifest");
		f->mode = (mode_t)strtoul(mode, NULL, 8) & 07777;
		f->size = strtoull(size, NULL, 10);
		f->rel = need_rel(rel);
		p->unpacked_size += f->size;
	} else if (strcmp(line, "libbpf") == 0) {
		p->libbpf_version = strtok(rest, " ");
		p->libbpf_rel = need_rel(strtok(NULL, ""));
	} else {
		damaged("unknown manifest line");
	}
}

void package_open(struct package *p, int fd)
{
	memset(p, 0, sizeof(*p));
	p->fd = fd;
	struct stat st;
	if (fstat(fd, &st) < 0)
		fail("Cannot read the tracee file: %s", strerror(errno));
	if ((uint64_t)st.st_size < PACKAGE_TRAILER_LEN)
		damaged("no package at its end");
	unsigned char t[PACKAGE_TRAILER_LEN];
	read_exact(fd, t, sizeof(t), (uint64_t)st.st_size - PACKAGE_TRAILER_LEN);
	if (memcmp(t, PACKAGE_MAGIC, 8) != 0)
		damaged("no package at its end");
	p->payload_off = le64(t + 8);
	p->payload_len = le64(t + 16);
	uint64_t mlen = le64(t + 24);
	if (mlen == 0 || mlen > 1 << 20 ||
	    p->payload_off + p->payload_len + mlen + PACKAGE_TRAILER_LEN != (uint64_t)st.st_size)
		damaged("its sizes do not add up");
	p->manifest = malloc(mlen + 1);
	if (!p->manifest)
		fail("Cannot start tracee: out of memory");
	read_exact(fd, p->manifest, mlen, p->payload_off + p->payload_len);
	p->manifest[mlen] = '\0';

	struct sha256 s;
	uint8_t digest[SHA256_LEN];
	sha256_init(&s);
	sha256_update(&s, p->manifest, mlen);
	sha256_final(&s, digest);
	sha256_hex(digest, p->key);

	char *save = NULL;
	char *line = strtok_r(p->manifest, "\n", &save);
	if (!line || strcmp(line, "tracee-package 1") != 0)
		damaged("unknown package format");
	while ((line = strtok_r(NULL, "\n", &save)))
		parse_line(p, line);
	if (!p->exec || p->nfiles == 0)
		damaged("its manifest names nothing to run");
}
