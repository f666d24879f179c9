/*
 * The package a tracee executable carries after this launcher, and the cache entry it unpacks to.
 *
 * File layout (written by tools/package/assemble.ts):
 *
 *   [launcher ELF][payload: zstd frames][manifest: text][trailer: 32 bytes]
 *
 * trailer: "TRACEEPK", then little-endian u64 payload offset, u64 payload size, u64 manifest size.
 * The manifest follows the payload. Its lines (space separated, one record per line):
 *
 *   tracee-package 1                      format marker, first line
 *   exec <rel>                            the file to execute, relative to the entry
 *   arg <text>                            an argument put before the user's ("{}" = entry dir)
 *   env <NAME>=<text>                     set in the environment ("{}" = entry dir)
 *   dir <rel>                             a directory to create (0700)
 *   file <mode> <size> <sha256> <rel>     a file; the payload decompresses to the files in order
 *   libbpf <version> <rel>                the embedded libbpf (its directory holds what it needs)
 *
 * The cache entry is named after the manifest's sha256 (which covers every file's sha256).
 */
#ifndef TRACEE_LAUNCHER_PACKAGE_H
#define TRACEE_LAUNCHER_PACKAGE_H

#include <stdint.h>
#include <sys/types.h>

#include "sha256.h"

#define PACKAGE_MAGIC "TRACEEPK"
#define PACKAGE_TRAILER_LEN 32
#define PACKAGE_MAX_ITEMS 64
/* Cache entries are named by this many hex digits of the manifest's sha256. */
#define ENTRY_NAME_LEN 32

struct package_file {
	const char *rel;
	mode_t mode;
	uint64_t size;
	uint8_t sha256[SHA256_LEN];
};

struct package {
	int fd; /* the executable itself */
	uint64_t payload_off, payload_len;
	char *manifest; /* parsed in place: the strings below point into it */
	char key[SHA256_HEX_LEN + 1];
	const char *exec;
	const char *args[PACKAGE_MAX_ITEMS];
	int nargs;
	const char *env[PACKAGE_MAX_ITEMS];
	int nenv;
	const char *dirs[PACKAGE_MAX_ITEMS];
	int ndirs;
	struct package_file files[PACKAGE_MAX_ITEMS];
	int nfiles;
	const char *libbpf_version; /* NULL when no libbpf is embedded */
	const char *libbpf_rel;
	uint64_t unpacked_size; /* sum of the files' sizes */
};

/* Prints "<message>" as one line on stderr and exits 2; runs the cleanup hook first. */
void fail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/* A function fail() runs before exiting (removes a half-unpacked directory); NULL clears it. */
void on_fail(void (*hook)(void));

/* Reads the trailer and manifest of the executable open at fd. Fails when they are damaged. */
void package_open(struct package *p, int fd);

#endif
