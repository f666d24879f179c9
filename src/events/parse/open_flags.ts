/**
 * open(2)/openat(2)/openat2(2) flags, x86_64 values (asm-generic/fcntl.h, written in octal as
 * there).
 */

import { bitmaskNames, enumName, type FlagTable } from "./flag_names.ts";

/** O_ACCMODE: the low two bits hold the access mode, an enumeration rather than flags. */
const O_ACCMODE = 0o3;

/**
 * The access modes, `flags & O_ACCMODE`. Linux gives the fourth value, 3, a meaning of its own
 * (check read and write permission, allow neither: used by some ioctl-only opens); it has no
 * name of its own, so it prints as O_ACCMODE, as strace does.
 */
export const OPEN_ACCESS_MODES: ReadonlyMap<number, string> = new Map([
  [0o0, "O_RDONLY"],
  [0o1, "O_WRONLY"],
  [0o2, "O_RDWR"],
  [0o3, "O_ACCMODE"],
]);

/**
 * The file creation and status flags above the access mode. O_SYNC (__O_SYNC | O_DSYNC) comes
 * before O_DSYNC and O_TMPFILE (__O_TMPFILE | O_DIRECTORY) before O_DIRECTORY, so each prints
 * alone. FASYNC, the kernel's name for 0o20000, prints as O_ASYNC, its POSIX name.
 */
export const OPEN_FLAGS: FlagTable = [
  [0o100n, "O_CREAT"],
  [0o200n, "O_EXCL"],
  [0o400n, "O_NOCTTY"],
  [0o1000n, "O_TRUNC"],
  [0o2000n, "O_APPEND"],
  [0o4000n, "O_NONBLOCK"],
  [0o4010000n, "O_SYNC"],
  [0o10000n, "O_DSYNC"],
  [0o20000n, "O_ASYNC"],
  [0o40000n, "O_DIRECT"],
  [0o100000n, "O_LARGEFILE"],
  [0o20200000n, "O_TMPFILE"],
  [0o200000n, "O_DIRECTORY"],
  [0o400000n, "O_NOFOLLOW"],
  [0o1000000n, "O_NOATIME"],
  [0o2000000n, "O_CLOEXEC"],
  [0o10000000n, "O_PATH"],
];

/**
 * open(2) flags: the access mode first, then the other flags, e.g. 0x80000 → `O_RDONLY|O_CLOEXEC`
 * and 0x241 → `O_WRONLY|O_CREAT|O_TRUNC`. The argument is a C int: only its low 32 bits count.
 */
export function openFlags(v: number): string {
  const flags = v >>> 0;
  const mode = enumName(flags & O_ACCMODE, OPEN_ACCESS_MODES);
  const rest = (flags & ~O_ACCMODE) >>> 0;
  return rest === 0 ? mode : `${mode}|${bitmaskNames(rest, OPEN_FLAGS)}`;
}
