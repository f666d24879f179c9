/**
 * Opens the files tracee loads into the kernel or runs (eBPF objects, BTF, signatures) so that
 * no other user can have planted or swapped them. The check and the use are one open: there is
 * no second lookup of the path for anyone to race.
 *
 * - The path is walked from "/" one component at a time, each opened with O_PATH|O_NOFOLLOW and
 *   judged by statx on that descriptor (never by a path lookup).
 * - Every directory on the way is owned by root (or tracee's own uid) and writable by no group
 *   or other user. One exception, for /tmp: a root-owned sticky directory that others may write
 *   into can be crossed into a subdirectory (the sticky bit stops them renaming or removing the
 *   root-owned entry), but a file or link directly in it is refused, and so is the directory
 *   the files are read from or written to.
 * - A symbolic link is followed only when it is owned by root (or tracee's uid) and sits in a
 *   directory no one else can write to; the walk goes on from its target, checked the same way.
 * - The file is a regular file owned by root (or tracee's uid) and writable by no group or other.
 * - Its bytes are read from that very descriptor; a library that takes a path (libbpf's BTF) is
 *   given /proc/self/fd/N, which the kernel resolves to the file opened, whatever the path names
 *   by then.
 *
 * A trust problem is a TraceeError naming the file, the problem and the fix (exit 2), unless the
 * caller's override flag was given: then one warning and the file is used. A file that cannot be
 * opened at all is an FsError (callers word "not found" their own way).
 */
import { errnoName } from "../../ffi/errno.ts";
import { AT_FDCWD, type FdStat, Fs, FsError, loadFs, O, S } from "../../ffi/fs.ts";
import { TraceeError } from "../errors.ts";
import { logger } from "../log/logger.ts";

export { FsError } from "../../ffi/fs.ts";

/** How a caller names what it opens, and the flag (if any) that accepts an untrusted one. */
export interface TrustOptions {
  /** For messages: "eBPF object", "BTF file", "install path", "signature", … */
  readonly what: string;
  /** The flag that loads an untrusted file anyway with a warning, and whether it was given. */
  readonly override?: { readonly flag: string; readonly given: boolean };
}

/** Symbolic links followed in one path at most (the kernel's MAXSYMLINKS). */
const MAX_LINKS = 40;
const ENOENT = 2;
const ENOTDIR = 20;
const EISDIR = 21;
const ELOOP = 40;

const ERRNO_TEXT: Readonly<Record<number, string>> = {
  [ENOENT]: "no such file or directory",
  13: "permission denied",
  [ENOTDIR]: "not a directory",
  [EISDIR]: "is a directory",
  [ELOOP]: "too many levels of symbolic links",
};

/** An FsError in a few words ("no such file or directory"). */
export function fsErrorText(e: FsError): string {
  return ERRNO_TEXT[e.errno] ?? errnoName(e.errno);
}

/** Whether `e` says the path does not exist. */
export function isNotFound(e: unknown): e is FsError {
  return e instanceof FsError && e.errno === ENOENT;
}

/** A regular file opened and vetted once; everything after reads through its descriptor. */
export class TrustedFile {
  #open = true;

  constructor(
    private readonly fs: Fs,
    /** The descriptor (read, or read-write for a file tracee created). */
    readonly fd: number,
    /** The path as given (for messages and logs). */
    readonly path: string,
  ) {}

  /** /proc/self/fd/N: the same open file, for a library that takes a path. */
  get procPath(): string {
    return `/proc/self/fd/${this.fd}`;
  }

  /** The file's bytes, read from the descriptor. */
  bytes(): Uint8Array<ArrayBuffer> {
    return this.fs.readAll(this.fd, this.path);
  }

  close(): void {
    if (this.#open) this.fs.close(this.fd);
    this.#open = false;
  }
}

/** A directory opened and vetted once: files are opened and created relative to it. */
export class TrustedDir {
  #open = true;

  constructor(
    private readonly fs: Fs,
    private readonly opts: TrustOptions,
    /** An O_PATH descriptor of the directory. */
    readonly fd: number,
    readonly path: string,
  ) {}

  /** Names of the directory's entries (read through the descriptor). */
  names(): string[] {
    return [...Deno.readDirSync(`/proc/self/fd/${this.fd}`)].map((e) => e.name).sort();
  }

  /** Opens the file `name` in this directory, vetted as openTrustedFile does. */
  openFile(name: string, what = this.opts.what): TrustedFile {
    checkName(name);
    const path = joinPath(this.path.replace(/(.)\/+$/, "$1"), name);
    return new Walk(this.fs, path, { ...this.opts, what }).file(
      { fd: this.fd, path: this.path, openToOthers: undefined, owned: false },
      [name],
    );
  }

  /**
   * Writes `bytes` to a new file `name` here (created under a fresh name with O_EXCL, then
   * renamed into place) and returns it open: what is used is what was written.
   */
  createFile(name: string, bytes: Uint8Array, mode: number): TrustedFile {
    checkName(name);
    const fs = this.fs;
    const temp = `.${name}.${crypto.randomUUID()}`;
    const where = joinPath(this.path.replace(/(.)\/+$/, "$1"), name);
    const fd = fs.openat(
      this.fd,
      temp,
      O.RDWR | O.CREAT | O.EXCL | O.NOFOLLOW | O.CLOEXEC,
      mode,
      where,
    );
    try {
      fs.fchmod(fd, mode, where);
      fs.writeAll(fd, bytes, where);
      fs.renameat(this.fd, temp, name, where);
    } catch (e) {
      fs.close(fd);
      fs.unlinkQuietly(this.fd, temp);
      throw e;
    }
    return new TrustedFile(fs, fd, where);
  }

  close(): void {
    if (this.#open) this.fs.close(this.fd);
    this.#open = false;
  }
}

function checkName(name: string): void {
  if (name === "" || name === "." || name === ".." || name.includes("/")) {
    throw new Error(`Cannot open '${name}' in a trusted directory: not a plain file name`);
  }
}

/** Opens the regular file `path`, vetted as described above. */
export function openTrustedFile(path: string, opts: TrustOptions, fs: Fs = loadFs()): TrustedFile {
  const walk = new Walk(fs, path, opts);
  return walk.file(walk.root(), components(absolute(path)));
}

/** Opens the directory `path`, vetted as described above (it must not be open to others). */
export function openTrustedDir(path: string, opts: TrustOptions, fs: Fs = loadFs()): TrustedDir {
  const walk = new Walk(fs, path, opts);
  const dir = walk.dir(walk.root(), components(absolute(path)));
  return new TrustedDir(fs, opts, dir.fd, path);
}

function absolute(path: string): string {
  return path.startsWith("/") ? path : `${Deno.cwd()}/${path}`;
}

function components(path: string): string[] {
  return path.split("/").filter((c) => c !== "" && c !== ".");
}

function joinPath(dir: string, name: string): string {
  if (name === "..") return dir === "/" ? "/" : dir.slice(0, dir.lastIndexOf("/")) || "/";
  return dir === "/" ? `/${name}` : `${dir}/${name}`;
}

/** The directory the walk is in. */
interface Here {
  readonly fd: number;
  /** Its path, links resolved. */
  readonly path: string;
  /** "world-writable" / "group-writable" when others may create entries in it (sticky). */
  readonly openToOthers: string | undefined;
  /** Whether the walk owns `fd` (and must close it). */
  readonly owned: boolean;
}

/** One problem on the path: what is wrong, and the fix. */
interface Flaw {
  readonly why: string;
  readonly fix: string;
}

/** One walk of one path. */
class Walk {
  readonly #flaws: Flaw[] = [];
  readonly #self = Deno.uid() ?? 0;
  #links = 0;

  constructor(
    private readonly fs: Fs,
    private readonly path: string,
    private readonly opts: TrustOptions,
  ) {}

  root(): Here {
    const fd = this.fs.openat(AT_FDCWD, "/", O.PATH | O.DIRECTORY | O.CLOEXEC, 0, "/");
    const here = { fd, path: "/", openToOthers: undefined, owned: true };
    try {
      return { ...here, openToOthers: this.#judgeDir(this.fs.fstat(fd, "/"), "/", false) };
    } catch (e) {
      this.fs.close(fd);
      throw e;
    }
  }

  /** Walks `todo` from `start` to a regular file; returns it opened for reading. */
  file(start: Here, todo: string[]): TrustedFile {
    const fs = this.fs;
    const end = this.#walk(start, todo);
    if (end.kind === "dir") {
      if (end.dir.owned) fs.close(end.dir.fd);
      throw new FsError("open", EISDIR, this.path);
    }
    const { fd, st, at, via, dir } = end;
    try {
      if ((st.mode & S.IFMT) !== S.IFREG) {
        this.#refuse({
          why: `${via ? `its target ${at}` : "it"} is not a regular file`,
          fix: "name a regular file",
        }, true);
      }
      this.#judgeFile(st, at, via, dir);
      // Read through the descriptor checked: /proc/self/fd/N reopens that very file.
      const rfd = fs.openat(AT_FDCWD, `/proc/self/fd/${fd}`, O.RDONLY | O.CLOEXEC, 0, this.path);
      const again = fs.fstat(rfd, this.path);
      if (again.ino !== st.ino || again.dev !== st.dev) {
        fs.close(rfd);
        throw new Error(`Cannot reopen ${this.path}: /proc/self/fd gave another file`);
      }
      this.#warnAccepted();
      return new TrustedFile(fs, rfd, this.path);
    } finally {
      fs.close(fd);
      if (dir.owned) fs.close(dir.fd);
    }
  }

  /** Walks `todo` from `start` to a directory; returns it (an O_PATH descriptor). */
  dir(start: Here, todo: string[]): Here {
    const end = this.#walk(start, todo);
    if (end.kind === "file") {
      this.fs.close(end.fd);
      if (end.dir.owned) this.fs.close(end.dir.fd);
      throw new FsError("open", ENOTDIR, this.path);
    }
    this.#warnAccepted();
    return end.dir;
  }

  /**
   * Follows `todo` component by component. Ends on a directory (`dir`, the last one) or on a
   * non-directory (`file`: its O_PATH descriptor and the directory holding it).
   */
  #walk(
    start: Here,
    todo: string[],
  ):
    | { kind: "dir"; dir: Here }
    | { kind: "file"; fd: number; st: FdStat; at: string; via: boolean; dir: Here } {
    const fs = this.fs;
    let dir = start;
    let via = false;
    const leave = (next: Here) => {
      if (dir.owned) fs.close(dir.fd);
      dir = next;
    };
    try {
      while (todo.length > 0) {
        const name = todo.shift()!;
        const at = joinPath(dir.path, name);
        const fd = fs.openat(dir.fd, name, O.PATH | O.NOFOLLOW | O.CLOEXEC, 0, at);
        let st: FdStat;
        try {
          st = fs.fstat(fd, at);
        } catch (e) {
          fs.close(fd);
          throw e;
        }
        const type = st.mode & S.IFMT;
        if (type === S.IFLNK) {
          let target: string;
          try {
            if (++this.#links > MAX_LINKS) throw new FsError("open", ELOOP, this.path);
            this.#judgeLink(st, at, dir);
            target = fs.readlink(fd, at);
          } finally {
            fs.close(fd);
          }
          todo.unshift(...components(target));
          if (target.startsWith("/")) leave(this.root());
          via = true;
          continue;
        }
        if (type === S.IFDIR) {
          let openToOthers: string | undefined;
          try {
            openToOthers = this.#judgeDir(st, at, todo.length === 0);
          } catch (e) {
            fs.close(fd);
            throw e;
          }
          leave({ fd, path: at, openToOthers, owned: true });
          continue;
        }
        if (todo.length > 0) {
          fs.close(fd);
          throw new FsError("open", ENOTDIR, this.path);
        }
        return { kind: "file", fd, st, at, via, dir };
      }
      // Ended on a directory: it holds what is read or written, so no sticky exception.
      if (dir.openToOthers) {
        this.#flaw({
          why: `${
            via ? `its target ${dir.path}` : `its directory ${dir.path}`
          } is ${dir.openToOthers}`,
          fix: `make it writable by root only (chmod go-w ${dir.path})`,
        });
      }
      return { kind: "dir", dir };
    } catch (e) {
      if (dir.owned) fs.close(dir.fd);
      throw e;
    }
  }

  #ownedByUs(st: FdStat): boolean {
    return st.uid === 0 || st.uid === this.#self;
  }

  /** Whether others can write: "world-writable", "group-writable" or undefined. */
  #othersWrite(st: FdStat): string | undefined {
    if (st.mode & 0o002) return "world-writable";
    if (st.mode & 0o020) return "group-writable";
    return undefined;
  }

  /**
   * Judges a directory on the path; returns how others may write into it when that is
   * accepted for crossing (root-owned and sticky, not the last component).
   */
  #judgeDir(st: FdStat, at: string, last: boolean): string | undefined {
    if (!this.#ownedByUs(st)) {
      this.#flaw({
        why: `its directory ${at} is owned by uid ${st.uid}, not root`,
        fix: `make it root's (chown root:root ${at})`,
      });
    }
    const w = this.#othersWrite(st);
    if (w === undefined) return undefined;
    if (last || (st.uid === 0 && (st.mode & S.ISVTX) !== 0)) return w; // judged by what it holds
    this.#flaw({
      why: `its directory ${at} is ${w}`,
      fix: `make it writable by root only (chmod go-w ${at})`,
    });
    return undefined; // said once, not again for each entry
  }

  #judgeLink(st: FdStat, at: string, dir: Here): void {
    if (!this.#ownedByUs(st)) {
      this.#flaw({
        why: `its link ${at} is owned by uid ${st.uid}, not root`,
        fix: `name the file itself, not a link another user owns`,
      });
    }
    if (dir.openToOthers) {
      this.#flaw({
        why: `its link ${at} sits in ${dir.path}, which is ${dir.openToOthers}`,
        fix: `name the file itself, not a link in ${dir.path}`,
      });
    }
  }

  #judgeFile(st: FdStat, at: string, via: boolean, dir: Here): void {
    const it = via ? `its target ${at}` : "it";
    if (dir.openToOthers) {
      this.#flaw({
        why: `its directory ${dir.path} is ${dir.openToOthers}`,
        fix: `move it to a directory only root can write to`,
      });
    }
    if (!this.#ownedByUs(st)) {
      this.#flaw({
        why: `${it} is owned by uid ${st.uid}, not root`,
        fix: `make it root's (chown root:root ${at})`,
      });
    }
    const w = this.#othersWrite(st);
    if (w !== undefined) {
      this.#flaw({
        why: `${it} is ${w}`,
        fix: `make it writable by root only (chmod 0644 ${at})`,
      });
    }
  }

  /** Records a flaw the override flag may accept; refuses at once when it is not given. */
  #flaw(f: Flaw): void {
    this.#refuse(f, false);
  }

  #refuse(f: Flaw, always: boolean): void {
    const o = this.opts.override;
    if (o?.given && !always) {
      this.#flaws.push(f);
      return;
    }
    throw new TraceeError(
      `Cannot load ${this.opts.what} ${this.path}: ${f.why}`,
      2,
      o && !always ? `${f.fix}, or pass ${o.flag} to load it anyway` : f.fix,
    );
  }

  #warnAccepted(): void {
    if (this.#flaws.length === 0) return;
    logger("initialize").warn(`Using an insecure file (${this.opts.override!.flag})`, {
      file: this.path,
      kind: this.opts.what,
      reason: this.#flaws.map((f) => f.why).join("; "),
    });
  }
}
