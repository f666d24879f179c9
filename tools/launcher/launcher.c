/*
 * The start of a self-extracting tracee: finds the package appended to this executable, makes
 * sure it is unpacked and verified in the cache (cache.h), picks the libbpf to use, and execs the
 * runtime with the program. Static, so it needs nothing from the host but a Linux kernel.
 *
 * Environment: TRACEE_CACHE_DIR moves the cache (default /var/cache/tracee for root,
 * $XDG_CACHE_HOME/tracee or ~/.cache/tracee for other users). LIBBPF_PATH, when set, is left
 * alone; otherwise the host's libbpf.so.1 is used when it is at least the embedded version, and
 * the embedded one (with the libraries it needs) when the host has none or an older one.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"
#include "package.h"

#if defined(__x86_64__)
#define MULTIARCH "x86_64-linux-gnu"
#define LOADER "/lib64/ld-linux-x86-64.so.2"
#elif defined(__aarch64__)
#define MULTIARCH "aarch64-linux-gnu"
#define LOADER "/lib/ld-linux-aarch64.so.1"
#else
#error "unsupported architecture"
#endif

/* Where distributions put libbpf.so.1, in the order the dynamic loader usually searches. */
static const char *const LIB_DIRS[] = {
	"/lib/" MULTIARCH, "/usr/lib/" MULTIARCH, "/lib64", "/usr/lib64",
	"/usr/local/lib",  "/usr/local/lib64",    "/lib",  "/usr/lib",
};

static const char *default_cache_dir(char *buf, size_t cap)
{
	if (geteuid() == 0)
		return "/var/cache/tracee";
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	if (xdg && xdg[0] == '/')
		snprintf(buf, cap, "%s/tracee", xdg);
	else if (home && home[0] == '/')
		snprintf(buf, cap, "%s/.cache/tracee", home);
	else
		fail("Cannot find a cache directory for tracee: set TRACEE_CACHE_DIR");
	return buf;
}

#define VERSION_PARTS 4

/* "1.10.2" → {1, 10, 2, 0}: the leading dotted numbers, missing or unreadable parts 0. */
static void version_parts(const char *s, unsigned long v[VERSION_PARTS])
{
	int i = 0;
	for (; i < VERSION_PARTS; i++) {
		char *end;
		v[i] = strtoul(s, &end, 10);
		if (end == s || *end != '.') {
			i++;
			break;
		}
		s = end + 1;
	}
	for (; i < VERSION_PARTS; i++)
		v[i] = 0;
}

/* Compares dotted versions numerically ("1.10.0" > "1.9"). */
static int version_cmp(const char *a, const char *b)
{
	unsigned long x[VERSION_PARTS], y[VERSION_PARTS];
	version_parts(a, x);
	version_parts(b, y);
	for (int i = 0; i < VERSION_PARTS; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}

/*
 * The host's libbpf.so.1 and its version (from the name it resolves to, libbpf.so.1.X.Y), or
 * NULL when there is none.
 */
static const char *host_libbpf(char *version, size_t cap)
{
	static char path[PATH_MAX];
	for (size_t i = 0; i < sizeof(LIB_DIRS) / sizeof(LIB_DIRS[0]); i++) {
		snprintf(path, sizeof(path), "%s/libbpf.so.1", LIB_DIRS[i]);
		struct stat st;
		char real[PATH_MAX];
		if (stat(path, &st) < 0 || !S_ISREG(st.st_mode) || !realpath(path, real))
			continue;
		const char *base = strrchr(real, '/') + 1;
		const char *prefix = "libbpf.so.";
		snprintf(version, cap, "%s",
			 strncmp(base, prefix, strlen(prefix)) == 0 ? base + strlen(prefix) : "0");
		return path;
	}
	return NULL;
}

/* LIBBPF_PATH (and LD_LIBRARY_PATH for the embedded copy) as the header comment says. */
static void choose_libbpf(const struct package *p, const char *entry)
{
	const char *set = getenv("LIBBPF_PATH");
	if ((set && *set) || !p->libbpf_version)
		return;
	char hostver[64];
	const char *host = host_libbpf(hostver, sizeof(hostver));
	if (host && version_cmp(hostver, p->libbpf_version) >= 0) {
		setenv("LIBBPF_PATH", host, 1);
		return;
	}
	char lib[PATH_MAX], dir[PATH_MAX];
	if (snprintf(lib, sizeof(lib), "%s/%s", entry, p->libbpf_rel) >= (int)sizeof(lib))
		fail("Cannot start tracee: the cache path %s is too long", entry);
	memcpy(dir, lib, sizeof(dir));
	char *libdir = dirname(dir);
	const char *old = getenv("LD_LIBRARY_PATH");
	char *ld = NULL;
	if (asprintf(&ld, "%s%s%s", libdir, old && *old ? ":" : "", old && *old ? old : "") < 0)
		fail("Cannot start tracee: out of memory");
	setenv("LIBBPF_PATH", lib, 1);
	setenv("LD_LIBRARY_PATH", ld, 1);
}

/* `text` with every "{}" replaced by the entry directory. */
static char *expand(const char *text, const char *entry)
{
	size_t n = 0;
	for (const char *p = text; (p = strstr(p, "{}")); p += 2)
		n++;
	char *out = malloc(strlen(text) + n * strlen(entry) + 1);
	if (!out)
		fail("Cannot start tracee: out of memory");
	char *o = out;
	for (const char *p = text; *p;) {
		if (p[0] == '{' && p[1] == '}') {
			o = stpcpy(o, entry);
			p += 2;
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
	return out;
}

int main(int argc, char **argv)
{
	mode_t umask_before = umask(077);
	int self = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (self < 0)
		fail("Cannot read the tracee file itself: /proc/self/exe: %s (is /proc mounted?)",
		     strerror(errno));
	struct package p;
	package_open(&p, self);

	char dirbuf[PATH_MAX];
	const char *dir = getenv("TRACEE_CACHE_DIR");
	if (!dir || !*dir)
		dir = default_cache_dir(dirbuf, sizeof(dirbuf));
	struct cache c;
	cache_open(&c, dir);
	char entry[PATH_MAX];
	cache_entry(&c, &p, entry);
	close(c.rootfd);
	close(self);

	choose_libbpf(&p, entry);
	for (int i = 0; i < p.nenv; i++) {
		char *kv = expand(p.env[i], entry);
		char *eq = strchr(kv, '=');
		*eq = '\0';
		setenv(kv, eq + 1, 1);
	}
	char **args = calloc((size_t)(argc + p.nargs + 1), sizeof(char *));
	if (!args)
		fail("Cannot start tracee: out of memory");
	int n = 0;
	args[n++] = argv[0];
	for (int i = 0; i < p.nargs; i++)
		args[n++] = expand(p.args[i], entry);
	for (int i = 1; i < argc; i++)
		args[n++] = argv[i];
	args[n] = NULL;
	char *exe = expand("{}/", entry);
	char *path = malloc(strlen(exe) + strlen(p.exec) + 1);
	if (!path)
		fail("Cannot start tracee: out of memory");
	stpcpy(stpcpy(path, exe), p.exec);
	umask(umask_before);
	execv(path, args);
	int err = errno;
	if (err == ENOENT && access(path, F_OK) == 0)
		fail("Cannot start tracee's runtime %s: its loader %s is missing (it needs glibc)", path,
		     LOADER);
	fail("Cannot start tracee's runtime %s: %s", path, strerror(err));
}
