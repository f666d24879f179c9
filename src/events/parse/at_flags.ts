/** The *at(2) family's directory descriptor and AT_* flags (linux/fcntl.h). */

import { bitmaskNames, type FlagTable } from "./flag_names.ts";

/** AT_FDCWD: the dirfd meaning "relative to the current working directory". */
const AT_FDCWD = -100;

/**
 * The AT_* flags. 0x200 has two names: AT_REMOVEDIR (unlinkat) and AT_EACCESS (faccessat); the
 * value alone cannot tell which was meant, so it prints as AT_REMOVEDIR. (Newer kernels also
 * give 0x200 to AT_HANDLE_FID for name_to_handle_at.) AT_STATX_FORCE_SYNC and AT_STATX_DONT_SYNC
 * are values of the two-bit field AT_STATX_SYNC_TYPE (0x6000) whose third value,
 * AT_STATX_SYNC_AS_STAT, is 0; both bits set (invalid) prints both names.
 */
export const AT_FLAGS: FlagTable = [
  [0x100n, "AT_SYMLINK_NOFOLLOW"],
  [0x200n, "AT_REMOVEDIR"],
  [0x400n, "AT_SYMLINK_FOLLOW"],
  [0x800n, "AT_NO_AUTOMOUNT"],
  [0x1000n, "AT_EMPTY_PATH"],
  [0x2000n, "AT_STATX_FORCE_SYNC"],
  [0x4000n, "AT_STATX_DONT_SYNC"],
  [0x8000n, "AT_RECURSIVE"],
];

/**
 * A directory file descriptor: −100 → `AT_FDCWD`, any other value in decimal. The argument is a
 * C int: its low 32 bits, read as signed, so 0xffffff9c is AT_FDCWD too.
 */
export function dirfd(v: number): string {
  const fd = v | 0;
  return fd === AT_FDCWD ? "AT_FDCWD" : String(fd);
}

/** AT_* flags, e.g. 0x100 → `AT_SYMLINK_NOFOLLOW`; 0 → `0`. Only the low 32 bits count. */
export function atFlags(v: number): string {
  return bitmaskNames(v >>> 0, AT_FLAGS);
}
