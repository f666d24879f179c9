/* The unpack cache: vetting its directory, checking an entry, unpacking and installing one. */
#define _GNU_SOURCE
#include "cache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>
#include <zstd.h>

#define STAMP ".verified"
#define STAMP_MAX (64 * 1024)
#define TMP_PREFIX ".unpack-"
#define OLD_PREFIX ".old-"
/* Leftovers of interrupted unpacks, and entries of other builds not started for this long, are
 * removed when a new entry is unpacked. */
#define STALE_SECONDS 3600
#define IN_CHUNK (256 * 1024)
#define OUT_CHUNK (1024 * 1024)
#define MIB (1024.0 * 1024.0)

/* What to do about an errno while writing into the cache, appended to the error line. */
static const char *hint(int err)
{
	switch (err) {
	case ENOSPC:
	case EDQUOT:
		return " (free some space there, or set TRACEE_CACHE_DIR to another directory)";
	case EROFS:
		return " (set TRACEE_CACHE_DIR to a writable directory)";
	case EACCES:
	case EPERM:
		return " (run tracee as root, or set TRACEE_CACHE_DIR to a directory you own)";
	default:
		return "";
	}
}

static void write_failed(const struct cache *c, int err)
{
	fail("Cannot unpack tracee into %s: %s%s", c->root, strerror(err), hint(err));
}

/* mkdir -p: missing parents 0755, the directory itself 0700. */
static void make_dirs(const char *dir)
{
	char path[PATH_MAX];
	if (snprintf(path, sizeof(path), "%s", dir) >= (int)sizeof(path))
		fail("Cannot use the cache directory %s: path too long", dir);
	for (char *p = path + 1;; p++) {
		int last = *p == '\0';
		if (*p != '/' && !last)
			continue;
		*p = '\0';
		mode_t mode = last ? 0700 : 0755;
		if (mkdir(path, mode) == 0)
			chmod(path, mode); /* exactly, whatever the umask */
		else if (errno != EEXIST)
			fail("Cannot create the cache directory %s: %s: %s%s", dir, path, strerror(errno),
			     hint(errno));
		if (last)
			return;
		*p = '/';
	}
}

static void unsafe(const char *dir, const char *path, const char *why)
{
	fail("Cannot use the cache directory %s: %s %s (remove it, or set TRACEE_CACHE_DIR to a "
	     "directory only you can write)",
	     dir, path, why);
}

void cache_open(struct cache *c, const char *dir)
{
	c->uid = geteuid();
	make_dirs(dir);
	if (!realpath(dir, c->root))
		fail("Cannot use the cache directory %s: %s", dir, strerror(errno));
	/* Every directory from / down: owned by root or us, not writable by others unless sticky. */
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s", c->root);
	struct stat st;
	for (char *p = path;; p++) {
		int last = *p == '\0';
		if (*p != '/' && !last)
			continue;
		char saved = *p;
		if (p != path)
			*p = '\0';
		if (lstat(p == path ? "/" : path, &st) < 0)
			fail("Cannot use the cache directory %s: %s: %s", dir, path, strerror(errno));
		if (st.st_uid != 0 && st.st_uid != c->uid) {
			char why[64];
			snprintf(why, sizeof(why), "is owned by uid %u", (unsigned)st.st_uid);
			unsafe(dir, p == path ? "/" : path, why);
		}
		if ((st.st_mode & (S_IWGRP | S_IWOTH)) && (last || !(st.st_mode & S_ISVTX)))
			unsafe(dir, p == path ? "/" : path, "is writable by group or others");
		if (last)
			break;
		*p = saved;
	}
	if (!S_ISDIR(st.st_mode))
		unsafe(dir, c->root, "is not a directory");
	if (st.st_uid != c->uid) {
		char why[64];
		snprintf(why, sizeof(why), "is owned by uid %u, not %u", (unsigned)st.st_uid,
			 (unsigned)c->uid);
		unsafe(dir, c->root, why);
	}
	c->rootfd = open(c->root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct stat opened;
	if (c->rootfd < 0 || fstat(c->rootfd, &opened) < 0)
		fail("Cannot use the cache directory %s: %s", dir, strerror(errno));
	if (opened.st_dev != st.st_dev || opened.st_ino != st.st_ino)
		unsafe(dir, c->root, "changed while it was checked");
	struct statvfs vfs;
	if (fstatvfs(c->rootfd, &vfs) == 0 && (vfs.f_flag & ST_NOEXEC))
		fail("Cannot use the cache directory %s: it is on a noexec mount, so the runtime "
		     "unpacked there could not run (set TRACEE_CACHE_DIR to a directory on another mount)",
		     dir);
}

/* ---- checking an entry ------------------------------------------------------------------ */

static int ours(const struct stat *st, uid_t uid)
{
	return st->st_uid == uid && !(st->st_mode & (S_IWGRP | S_IWOTH));
}

/* Reads the stamp of the entry at dfd into buf (NUL-terminated); 0 when it is not usable. */
static int read_stamp(int dfd, uid_t uid, char *buf, size_t cap)
{
	struct stat st;
	if (fstatat(dfd, STAMP, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode) || !ours(&st, uid) ||
	    st.st_size <= 0 || (size_t)st.st_size >= cap)
		return 0;
	int fd = openat(dfd, STAMP, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, cap - 1);
	close(fd);
	if (n != st.st_size)
		return 0;
	buf[n] = '\0';
	return 1;
}

static void stamp_line(char *out, size_t cap, const struct stat *st, const char *rel)
{
	snprintf(out, cap, "%" PRIu64 " %" PRIu64 " %lld.%09ld %lld.%09ld %s", (uint64_t)st->st_ino,
		 (uint64_t)st->st_size, (long long)st->st_mtim.tv_sec, st->st_mtim.tv_nsec,
		 (long long)st->st_ctim.tv_sec, st->st_ctim.tv_nsec, rel);
}

/* Whether the file rel (in dfd) hashes to its sha256 in the manifest. */
static int hash_matches(int dfd, const struct package_file *f)
{
	int fd = openat(dfd, f->rel, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	unsigned char *buf = malloc(OUT_CHUNK);
	if (fd < 0 || !buf) {
		if (fd >= 0)
			close(fd);
		free(buf);
		return 0;
	}
	struct sha256 s;
	sha256_init(&s);
	ssize_t n;
	while ((n = read(fd, buf, OUT_CHUNK)) > 0)
		sha256_update(&s, buf, (size_t)n);
	close(fd);
	free(buf);
	uint8_t digest[SHA256_LEN];
	sha256_final(&s, digest);
	return n == 0 && memcmp(digest, f->sha256, SHA256_LEN) == 0;
}

/* Whether the stamp in dfd records every file as it is now. */
static int stamp_current(const struct cache *c, const struct package *p, int dfd)
{
	static char stamp[STAMP_MAX];
	if (!read_stamp(dfd, c->uid, stamp, sizeof(stamp)))
		return 0;
	char *save = NULL;
	char *line = strtok_r(stamp, "\n", &save);
	char head[128];
	snprintf(head, sizeof(head), "tracee-cache 1 %s", p->key);
	if (!line || strcmp(line, head) != 0)
		return 0;
	for (int i = 0; i < p->nfiles; i++) {
		struct stat st;
		char now[PATH_MAX + 128];
		line = strtok_r(NULL, "\n", &save);
		if (fstatat(dfd, p->files[i].rel, &st, AT_SYMLINK_NOFOLLOW) < 0)
			return 0;
		stamp_line(now, sizeof(now), &st, p->files[i].rel);
		if (!line || strcmp(line, now) != 0)
			return 0;
	}
	return 1;
}

static int put_stamp(const struct package *p, int dfd);

/*
 * 1: the entry is there, laid out as the manifest says, and every file is the one whose sha256
 * was checked (the stamp says so, or the files are hashed again now: then the stamp is renewed
 * when the cache is writable); 0: there is no entry; -1: something is there but not usable (the
 * reason goes to why).
 */
static int entry_check(const struct cache *c, const struct package *p, const char *name, char *why,
		       size_t whylen)
{
	struct stat st;
	if (fstatat(c->rootfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno == ENOENT)
			return 0;
		snprintf(why, whylen, "%s", strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode) || st.st_uid != c->uid || (st.st_mode & 077)) {
		snprintf(why, whylen, "not a 0700 directory owned by uid %u", (unsigned)c->uid);
		return -1;
	}
	int dfd = openat(c->rootfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0) {
		snprintf(why, whylen, "%s", strerror(errno));
		return -1;
	}
	int ok = 0;
	for (int i = 0; i < p->ndirs; i++) {
		if (fstatat(dfd, p->dirs[i], &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISDIR(st.st_mode) ||
		    !ours(&st, c->uid) || (st.st_mode & 077)) {
			snprintf(why, whylen, "%s is not a 0700 directory of ours", p->dirs[i]);
			goto out;
		}
	}
	for (int i = 0; i < p->nfiles; i++) {
		const struct package_file *f = &p->files[i];
		if (fstatat(dfd, f->rel, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode) ||
		    !ours(&st, c->uid) || (st.st_mode & 07777) != f->mode || (uint64_t)st.st_size != f->size) {
			snprintf(why, whylen, "%s is missing or has another owner, mode or size", f->rel);
			goto out;
		}
	}
	if (stamp_current(c, p, dfd)) {
		ok = 1;
		goto out;
	}
	for (int i = 0; i < p->nfiles; i++) {
		if (!hash_matches(dfd, &p->files[i])) {
			snprintf(why, whylen, "%s changed since it was verified", p->files[i].rel);
			goto out;
		}
	}
	put_stamp(p, dfd); /* best effort: a read-only cache is checked this way each time */
	ok = 1;
out:
	close(dfd);
	return ok ? 1 : -1;
}

/* ---- removing --------------------------------------------------------------------------- */

/* rm -r of dirfd/name without following symbolic links; best effort. */
static void remove_tree(int dirfd, const char *name)
{
	if (unlinkat(dirfd, name, 0) == 0 || errno == ENOENT)
		return;
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return;
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		remove_tree(fd, e->d_name);
	}
	closedir(d);
	unlinkat(dirfd, name, AT_REMOVEDIR);
}

static int is_entry_name(const char *name)
{
	if (strlen(name) != ENTRY_NAME_LEN)
		return 0;
	for (const char *p = name; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return 0;
	return 1;
}

/* Removes leftovers of interrupted unpacks and entries of other builds not used for a while. */
static void prune(const struct cache *c, const char *keep)
{
	int fd = openat(c->rootfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	time_t now = time(NULL);
	struct dirent *e;
	while ((e = readdir(d))) {
		const char *n = e->d_name;
		int candidate = strncmp(n, TMP_PREFIX, strlen(TMP_PREFIX)) == 0 ||
				strncmp(n, OLD_PREFIX, strlen(OLD_PREFIX)) == 0 ||
				(is_entry_name(n) && strcmp(n, keep) != 0);
		struct stat st;
		if (candidate && fstatat(c->rootfd, n, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    now - st.st_mtime > STALE_SECONDS)
			remove_tree(c->rootfd, n);
	}
	closedir(d);
}

/* ---- unpacking -------------------------------------------------------------------------- */

static int g_rootfd = -1;
static char g_tmp[64];

static void remove_tmp(void)
{
	if (g_rootfd >= 0 && g_tmp[0])
		remove_tree(g_rootfd, g_tmp);
}

static void random_name(char *out, size_t cap, const char *prefix)
{
	unsigned char r[8];
	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r)) {
		uint64_t t = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
		memcpy(r, &t, sizeof(r));
	}
	snprintf(out, cap, "%s%d-%02x%02x%02x%02x%02x%02x%02x%02x", prefix, (int)getpid(), r[0], r[1],
		 r[2], r[3], r[4], r[5], r[6], r[7]);
}

/* The file being written while the payload streams out. */
struct sink {
	const struct cache *c;
	const struct package *p;
	int dfd;
	int index; /* current file */
	int fd;
	uint64_t left;
	struct sha256 sha;
};

static void sink_open(struct sink *s)
{
	const struct package_file *f = &s->p->files[s->index];
	s->fd = openat(s->dfd, f->rel, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (s->fd < 0)
		write_failed(s->c, errno);
	s->left = f->size;
	sha256_init(&s->sha);
}

static void sink_close(struct sink *s)
{
	const struct package_file *f = &s->p->files[s->index];
	uint8_t digest[SHA256_LEN];
	sha256_final(&s->sha, digest);
	if (memcmp(digest, f->sha256, SHA256_LEN) != 0)
		fail("Cannot unpack tracee: %s does not match its sha256 (this tracee file is damaged: copy "
		     "it again)",
		     f->rel);
	if (fchmod(s->fd, f->mode) < 0 || fsync(s->fd) < 0)
		write_failed(s->c, errno);
	if (close(s->fd) < 0)
		write_failed(s->c, errno);
	s->fd = -1;
	s->index++;
}

/* Closes complete files (empty ones included) and opens the next. */
static void sink_advance(struct sink *s)
{
	while (s->index < s->p->nfiles && s->left == 0) {
		sink_close(s);
		if (s->index < s->p->nfiles)
			sink_open(s);
	}
}

static void sink_write(struct sink *s, const unsigned char *data, size_t len)
{
	while (len > 0) {
		if (s->index >= s->p->nfiles)
			fail("Cannot unpack tracee: this tracee file is damaged (more data than its manifest "
			     "lists): copy it again");
		size_t take = len < s->left ? len : (size_t)s->left;
		sha256_update(&s->sha, data, take);
		for (size_t done = 0; done < take;) {
			ssize_t n = write(s->fd, data + done, take - done);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				write_failed(s->c, errno);
			done += (size_t)n;
		}
		data += take;
		len -= take;
		s->left -= take;
		sink_advance(s);
	}
}

/* Decompresses the payload into the files of the manifest, checking each one's sha256. */
static void extract(const struct cache *c, const struct package *p, int dfd)
{
	struct sink s = {.c = c, .p = p, .dfd = dfd, .fd = -1};
	sink_open(&s);
	sink_advance(&s);
	ZSTD_DStream *z = ZSTD_createDStream();
	unsigned char *in = malloc(IN_CHUNK), *out = malloc(OUT_CHUNK);
	if (!z || !in || !out)
		fail("Cannot unpack tracee: out of memory");
	ZSTD_initDStream(z);
	uint64_t off = p->payload_off, end = p->payload_off + p->payload_len;
	ZSTD_inBuffer ib = {in, 0, 0};
	size_t ret = 1; /* 0 once a frame is decoded and flushed */
	for (;;) {
		if (ib.pos == ib.size && off < end) {
			size_t want = end - off < IN_CHUNK ? (size_t)(end - off) : IN_CHUNK;
			ssize_t n = pread(p->fd, in, want, (off_t)off);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				fail("Cannot read the tracee file: %s", n < 0 ? strerror(errno) : "it ends early");
			off += (uint64_t)n;
			ib = (ZSTD_inBuffer){in, (size_t)n, 0};
		}
		int input_done = ib.pos == ib.size && off == end;
		if (input_done && ret == 0)
			break;
		size_t before = ib.pos;
		ZSTD_outBuffer ob = {out, OUT_CHUNK, 0};
		ret = ZSTD_decompressStream(z, &ob, &ib);
		if (ZSTD_isError(ret))
			fail("Cannot unpack tracee: this tracee file is damaged (%s): copy it again",
			     ZSTD_getErrorName(ret));
		sink_write(&s, out, ob.pos);
		if (input_done && ret != 0 && ob.pos == 0 && ib.pos == before)
			break; /* the last frame is cut short */
	}
	if (ret != 0 || s.index < p->nfiles)
		fail("Cannot unpack tracee: this tracee file is damaged (its payload ends early): copy it "
		     "again");
	ZSTD_freeDStream(z);
	free(in);
	free(out);
}

/* Writes the stamp of the files in dfd (temporary file, then renamed); 0 or an errno. */
static int put_stamp(const struct package *p, int dfd)
{
	static char buf[STAMP_MAX];
	size_t len = (size_t)snprintf(buf, sizeof(buf), "tracee-cache 1 %s\n", p->key);
	for (int i = 0; i < p->nfiles; i++) {
		struct stat st;
		if (fstatat(dfd, p->files[i].rel, &st, AT_SYMLINK_NOFOLLOW) < 0)
			return errno;
		char line[PATH_MAX + 128];
		stamp_line(line, sizeof(line), &st, p->files[i].rel);
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s\n", line);
		if (len >= sizeof(buf))
			return ENAMETOOLONG;
	}
	char tmp[64];
	random_name(tmp, sizeof(tmp), STAMP ".");
	int fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0400);
	if (fd < 0)
		return errno;
	int err = 0;
	for (size_t done = 0; done < len && !err;) {
		ssize_t n = write(fd, buf + done, len - done);
		if (n < 0 && errno != EINTR)
			err = errno;
		else if (n > 0)
			done += (size_t)n;
	}
	if (!err && fsync(fd) < 0)
		err = errno;
	if (close(fd) < 0 && !err)
		err = errno;
	if (!err && renameat(dfd, tmp, dfd, STAMP) < 0)
		err = errno;
	if (err)
		unlinkat(dfd, tmp, 0);
	return err;
}

/* Unpacks into a new hidden directory of the cache; returns its name in g_tmp. */
static void unpack(const struct cache *c, const struct package *p)
{
	struct statvfs vfs;
	if (fstatvfs(c->rootfd, &vfs) == 0 && !(vfs.f_flag & ST_RDONLY) &&
	    (uint64_t)vfs.f_bavail * vfs.f_frsize < p->unpacked_size)
		fail("Cannot unpack tracee into %s: %s: it needs %.1f MiB, %.1f MiB are free%s", c->root,
		     strerror(ENOSPC), p->unpacked_size / MIB, (double)vfs.f_bavail * vfs.f_frsize / MIB,
		     hint(ENOSPC));
	g_rootfd = c->rootfd;
	for (int tries = 0;; tries++) {
		random_name(g_tmp, sizeof(g_tmp), TMP_PREFIX);
		if (mkdirat(c->rootfd, g_tmp, 0700) == 0)
			break;
		if (errno != EEXIST || tries > 8) {
			int err = errno;
			g_tmp[0] = '\0';
			write_failed(c, err);
		}
	}
	on_fail(remove_tmp);
	int dfd = openat(c->rootfd, g_tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0)
		write_failed(c, errno);
	for (int i = 0; i < p->ndirs; i++)
		if (mkdirat(dfd, p->dirs[i], 0700) < 0)
			write_failed(c, errno);
	extract(c, p, dfd);
	int err = put_stamp(p, dfd);
	if (err)
		write_failed(c, err);
	if (fsync(dfd) < 0)
		write_failed(c, errno);
	close(dfd);
}

/* Renames the unpacked directory to `name`, or uses an entry another tracee installed first. */
static void install(const struct cache *c, const struct package *p, const char *name)
{
	for (int attempt = 0; attempt < 4; attempt++) {
		if (renameat(c->rootfd, g_tmp, c->rootfd, name) == 0) {
			g_tmp[0] = '\0';
			on_fail(NULL);
			fsync(c->rootfd);
			return;
		}
		if (errno != EEXIST && errno != ENOTEMPTY && errno != ENOTDIR)
			write_failed(c, errno);
		char why[256];
		if (entry_check(c, p, name, why, sizeof(why)) == 1) {
			remove_tmp(); /* another tracee won the race with the same content */
			g_tmp[0] = '\0';
			on_fail(NULL);
			return;
		}
		char old[64];
		random_name(old, sizeof(old), OLD_PREFIX);
		if (renameat(c->rootfd, name, c->rootfd, old) == 0)
			remove_tree(c->rootfd, old);
		else if (errno != ENOENT)
			write_failed(c, errno);
	}
	fail("Cannot unpack tracee into %s: the entry %s keeps changing under it", c->root, name);
}

void cache_entry(struct cache *c, const struct package *p, char entry[PATH_MAX])
{
	char name[ENTRY_NAME_LEN + 1];
	memcpy(name, p->key, ENTRY_NAME_LEN);
	name[ENTRY_NAME_LEN] = '\0';
	if (snprintf(entry, PATH_MAX, "%s/%s", c->root, name) >= PATH_MAX)
		fail("Cannot use the cache directory %s: path too long", c->root);
	char why[256];
	int state = entry_check(c, p, name, why, sizeof(why));
	if (state == 1) {
		/* mark it used, so that prune() leaves it alone (a read-only cache stays as it is) */
		utimensat(c->rootfd, name, NULL, AT_SYMLINK_NOFOLLOW);
		return;
	}
	if (state < 0)
		fprintf(stderr, "tracee: unpacking %s again: %s\n", entry, why);
	/* Ctrl-C while unpacking takes effect once the entry is in place, not halfway through. */
	sigset_t stop, before;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGHUP);
	sigaddset(&stop, SIGQUIT);
	sigprocmask(SIG_BLOCK, &stop, &before);
	prune(c, name);
	unpack(c, p);
	install(c, p, name);
	sigprocmask(SIG_SETMASK, &before, NULL);
}
