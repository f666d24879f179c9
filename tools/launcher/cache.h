/*
 * The unpack cache: one directory (TRACEE_CACHE_DIR, default /var/cache/tracee for root) holding
 * one entry per package, named after the package's hash.
 *
 * Trust: the cache directory must be owned by the user running tracee and writable by nobody
 * else, and every directory above it owned by root or that user and not writable by others
 * (unless sticky, as /tmp). An entry is unpacked into a fresh 0700 directory, every file checked
 * against its sha256 from the manifest, then renamed into place in one step (concurrent starts
 * either win the rename or use the winner's entry). A stamp written after the check records each
 * file's inode, size, mtime and ctime: a later start that finds every file still the one that was
 * checked (ctime changes with any write, chmod or chown and cannot be set back) uses the entry at
 * once; otherwise it hashes the files again, uses them when they match (renewing the stamp) and
 * unpacks them again when they do not. Each start marks its entry used (the entry directory's
 * mtime); unpacking a new entry removes the entries of other builds unused for an hour.
 */
#ifndef TRACEE_LAUNCHER_CACHE_H
#define TRACEE_LAUNCHER_CACHE_H

#include <limits.h>
#include <sys/types.h>

#include "package.h"

struct cache {
	char root[PATH_MAX]; /* resolved path of the cache directory */
	int rootfd;
	uid_t uid;
};

/* Creates (if needed) and vets the cache directory `dir`. Fails with one line when unsafe. */
void cache_open(struct cache *c, const char *dir);

/* Makes sure the package's entry is unpacked and verified; writes its path to `entry`. */
void cache_entry(struct cache *c, const struct package *p, char entry[PATH_MAX]);

#endif
