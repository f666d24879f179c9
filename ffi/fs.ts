/**
 * The few libc file calls Deno does not offer, for opening a path one component at a time
 * without following links (src/trust/): openat with O_PATH|O_NOFOLLOW, statx on a descriptor,
 * readlinkat, and reading/writing through a descriptor. Symbols as data, then a thin wrapper
 * that turns -1 into an FsError carrying the call and errno.
 *
 * libc is opened on first use (loadFs), not at import time.
 */
import { errnoName } from "./errno.ts";

/** libc symbols, each with its C signature. */
export const fsSymbols = {
  // int openat(int dirfd, const char *pathname, int flags, mode_t mode);
  openat: { parameters: ["i32", "buffer", "i32", "u32"], result: "i32" },
  // int statx(int dirfd, const char *pathname, int flags, unsigned int mask, struct statx *buf);
  statx: { parameters: ["i32", "buffer", "i32", "u32", "buffer"], result: "i32" },
  // ssize_t readlinkat(int dirfd, const char *pathname, char *buf, size_t bufsiz);
  readlinkat: { parameters: ["i32", "buffer", "buffer", "usize"], result: "isize" },
  // ssize_t pread(int fd, void *buf, size_t count, off_t offset);
  pread: { parameters: ["i32", "buffer", "usize", "i64"], result: "isize" },
  // ssize_t write(int fd, const void *buf, size_t count);
  write: { parameters: ["i32", "buffer", "usize"], result: "isize" },
  // int fchmod(int fd, mode_t mode);
  fchmod: { parameters: ["i32", "u32"], result: "i32" },
  // int renameat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath);
  renameat: { parameters: ["i32", "buffer", "i32", "buffer"], result: "i32" },
  // int unlinkat(int dirfd, const char *pathname, int flags);
  unlinkat: { parameters: ["i32", "buffer", "i32"], result: "i32" },
  // int close(int fd);
  close: { parameters: ["i32"], result: "i32" },
  // int *__errno_location(void);
  __errno_location: { parameters: [], result: "pointer" },
} as const satisfies Deno.ForeignLibraryInterface;

type FsSymbols = Deno.DynamicLibrary<typeof fsSymbols>["symbols"];

/** open(2) flags and other constants (x86_64 / asm-generic). */
export const O = {
  RDONLY: 0o0,
  RDWR: 0o2,
  CREAT: 0o100,
  EXCL: 0o200,
  NONBLOCK: 0o4000,
  DIRECTORY: 0o200000,
  NOFOLLOW: 0o400000,
  CLOEXEC: 0o2000000,
  PATH: 0o10000000,
} as const;
export const AT_FDCWD = -100;
const AT_SYMLINK_NOFOLLOW = 0x100;
const AT_EMPTY_PATH = 0x1000;
const STATX_BASIC_STATS = 0x7ff;

/** File type bits of st_mode. */
export const S = {
  IFMT: 0o170000,
  IFDIR: 0o040000,
  IFREG: 0o100000,
  IFLNK: 0o120000,
  ISVTX: 0o1000,
} as const;

/**
 * struct statx (include/uapi/linux/stat.h): the offsets read here. tests/unit/ffi_layout_test.ts
 * compiles them against <sys/stat.h>.
 */
export const STATX = {
  size: 256,
  stx_uid: 20,
  stx_gid: 24,
  stx_mode: 28,
  stx_ino: 32,
  stx_size: 40,
  stx_dev_major: 136,
  stx_dev_minor: 140,
} as const;

/** A file call failed. */
export class FsError extends Error {
  constructor(readonly call: string, readonly errno: number, readonly path: string) {
    super(`${call} ${path}: ${errnoName(errno)}`);
    this.name = "FsError";
  }

  get errnoName(): string {
    return errnoName(this.errno);
  }
}

/** What statx says of an open descriptor. */
export interface FdStat {
  readonly uid: number;
  readonly gid: number;
  readonly mode: number;
  readonly ino: bigint;
  readonly dev: string;
  readonly size: number;
}

const enc = new TextEncoder();
function cpath(s: string): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(enc.encode(s).length + 1);
  enc.encodeInto(s, b);
  return b;
}

/** Bytes read or written in one call at most. */
const CHUNK = 1 << 20;

/** The wrapper: every call throws FsError on failure. */
export class Fs {
  constructor(private readonly lib: FsSymbols) {}

  #errno(): number {
    const p = this.lib.__errno_location();
    return p === null ? 0 : new Deno.UnsafePointerView(p).getInt32();
  }

  #check(call: string, path: string, ret: number | bigint): number {
    const n = Number(ret);
    if (n < 0) throw new FsError(call, this.#errno(), path);
    return n;
  }

  /** openat(2); `where` names the path in errors. */
  openat(dirfd: number, name: string, flags: number, mode = 0, where = name): number {
    return this.#check("open", where, this.lib.openat(dirfd, cpath(name), flags, mode));
  }

  /** statx of the descriptor itself (AT_EMPTY_PATH), not following a link it stands for. */
  fstat(fd: number, where: string): FdStat {
    const buf = new Uint8Array(STATX.size);
    this.#check(
      "stat",
      where,
      this.lib.statx(
        fd,
        cpath(""),
        AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW,
        STATX_BASIC_STATS,
        buf,
      ),
    );
    const dv = new DataView(buf.buffer);
    return {
      uid: dv.getUint32(STATX.stx_uid, true),
      gid: dv.getUint32(STATX.stx_gid, true),
      mode: dv.getUint16(STATX.stx_mode, true),
      ino: dv.getBigUint64(STATX.stx_ino, true),
      dev: `${dv.getUint32(STATX.stx_dev_major, true)}:${dv.getUint32(STATX.stx_dev_minor, true)}`,
      size: Number(dv.getBigUint64(STATX.stx_size, true)),
    };
  }

  /** The target of the symlink `fd` (opened with O_PATH|O_NOFOLLOW) stands for. */
  readlink(fd: number, where: string): string {
    const buf = new Uint8Array(4096);
    const n = this.#check("readlink", where, this.lib.readlinkat(fd, cpath(""), buf, 4096n));
    return new TextDecoder().decode(buf.subarray(0, n));
  }

  /** Every byte of the file `fd`, read through the descriptor. */
  readAll(fd: number, where: string): Uint8Array<ArrayBuffer> {
    const parts: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const chunk = new Uint8Array(CHUNK);
      const n = this.#check("read", where, this.lib.pread(fd, chunk, BigInt(CHUNK), BigInt(total)));
      if (n === 0) break;
      parts.push(chunk.subarray(0, n));
      total += n;
    }
    const out = new Uint8Array(total);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  /** Writes all of `bytes` to `fd`. */
  writeAll(fd: number, bytes: Uint8Array, where: string): void {
    for (let at = 0; at < bytes.length;) {
      const part = bytes.slice(at, Math.min(at + CHUNK, bytes.length));
      at += this.#check("write", where, this.lib.write(fd, part, BigInt(part.length)));
    }
  }

  fchmod(fd: number, mode: number, where: string): void {
    this.#check("chmod", where, this.lib.fchmod(fd, mode));
  }

  renameat(dirfd: number, from: string, to: string, where: string): void {
    this.#check("rename", where, this.lib.renameat(dirfd, cpath(from), dirfd, cpath(to)));
  }

  /** Removes `name` from the directory `dirfd`; errors are ignored (cleanup). */
  unlinkQuietly(dirfd: number, name: string): void {
    this.lib.unlinkat(dirfd, cpath(name), 0);
  }

  close(fd: number): void {
    this.lib.close(fd);
  }
}

let loaded: Fs | undefined;

/** The file calls, opening libc on first use. */
export function loadFs(): Fs {
  loaded ??= new Fs(Deno.dlopen("libc.so.6", fsSymbols).symbols);
  return loaded;
}
