/**
 * Reading an event's arguments in signatures. Signatures see the values as decoded from the
 * kernel (numbers stay numbers: flags, requests, protections), before any output option rewrites
 * them; these helpers read them by name and type and answer the questions rules ask of them.
 */
import type { ArgValue, SockaddrValue, TraceeEvent } from "../decode/event.ts";

/** The argument's value, or undefined when the event has no such argument. */
export function argOf(e: TraceeEvent, name: string): ArgValue | undefined {
  for (const a of e.args) if (a.name === name) return a.value;
  return undefined;
}

/** A string argument ("" when absent or not a string). */
export function stringArg(e: TraceeEvent, name: string): string {
  const v = argOf(e, name);
  return typeof v === "string" ? v : "";
}

/** A numeric argument (NaN when absent or not a number). */
export function numberArg(e: TraceeEvent, name: string): number {
  const v = argOf(e, name);
  return typeof v === "number" ? v : typeof v === "bigint" ? Number(v) : NaN;
}

/** A string array argument (argv, env; [] when absent). */
export function stringsArg(e: TraceeEvent, name: string): readonly string[] {
  const v = argOf(e, name);
  return Array.isArray(v) && v.every((s) => typeof s === "string") ? v as string[] : [];
}

/** A socket address argument ({} when absent). */
export function sockaddrArg(e: TraceeEvent, name: string): SockaddrValue {
  const v = argOf(e, name);
  return v !== undefined && typeof v === "object" && !Array.isArray(v) &&
      !(v instanceof Uint8Array)
    ? v as SockaddrValue
    : {};
}

/** A bytes argument (empty when absent). */
export function bytesArg(e: TraceeEvent, name: string): Uint8Array {
  const v = argOf(e, name);
  return v instanceof Uint8Array ? v : new Uint8Array(0);
}

const O_ACCMODE = 0o3;
const O_WRONLY = 0o1;
const O_RDWR = 0o2;
const O_CREAT = 0o100;
const O_TRUNC = 0o1000;

/** open(2) flags that allow writing (O_WRONLY, O_RDWR). */
export function isFileWrite(flags: number): boolean {
  const mode = flags & O_ACCMODE;
  return mode === O_WRONLY || mode === O_RDWR;
}

/** open(2) flags that allow reading (O_RDONLY, O_RDWR). */
export function isFileRead(flags: number): boolean {
  const mode = flags & O_ACCMODE;
  return mode === 0 || mode === O_RDWR;
}

/** open(2) flags that create or truncate. */
export function isFileCreateOrTruncate(flags: number): boolean {
  return (flags & (O_CREAT | O_TRUNC)) !== 0;
}

/**
 * The file an event modifies: the pathname of a security_file_open that opened it for writing,
 * or the new_path of a security_inode_rename ("" for any other event or a read-only open).
 */
export function writtenPath(e: TraceeEvent): string {
  switch (e.def.name) {
    case "security_file_open":
      return isFileWrite(numberArg(e, "flags")) ? stringArg(e, "pathname") : "";
    case "security_inode_rename":
      return stringArg(e, "new_path");
    default:
      return "";
  }
}

/** Whether `path` is one of `files`, or starts with one of `prefixes` (directories). */
export function inPaths(
  path: string,
  files: readonly string[],
  prefixes: readonly string[],
): boolean {
  return files.includes(path) || prefixes.some((p) => path.startsWith(p));
}

/** The pathname of a security_file_open that opened it for reading ("" otherwise). */
export function readPath(e: TraceeEvent): string {
  return e.def.name === "security_file_open" && isFileRead(numberArg(e, "flags"))
    ? stringArg(e, "pathname")
    : "";
}

/** Where a file lives in memory only: memfd_create(2) files and the shm mounts. */
export function isMemoryPath(path: string): boolean {
  return path.startsWith("memfd:") || path.startsWith("/memfd:") || path.startsWith("/dev/shm/") ||
    path.startsWith("/run/shm/");
}

const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];

/** Whether bytes start with the ELF magic (\x7fELF). */
export function isElf(bytes: Uint8Array): boolean {
  return bytes.length >= ELF_MAGIC.length && ELF_MAGIC.every((b, i) => bytes[i] === b);
}

/**
 * Whether a hooked-symbols argument (hooked_proc_fops, hooked_seq_ops) names any: a non-empty
 * list or text.
 */
export function hasHookedSymbols(v: ArgValue | undefined): v is ArgValue {
  return (typeof v === "string" || Array.isArray(v)) && v.length > 0;
}

/** Whether a socket address is AF_INET or AF_INET6. */
export function isInternet(addr: SockaddrValue): boolean {
  return addr.sa_family === "AF_INET" || addr.sa_family === "AF_INET6";
}

/** The IP of an inet/inet6 address ("" otherwise). */
export function ipOf(addr: SockaddrValue): string {
  return addr.sin_addr ?? addr.sin6_addr ?? "";
}

/** The path of a unix socket address ("" for other families). */
export function unixPathOf(addr: SockaddrValue): string {
  return addr.sa_family === "AF_UNIX" ? addr.sun_path ?? "" : "";
}

/** The port of an inet/inet6 address (NaN otherwise). */
export function portOf(addr: SockaddrValue): number {
  return Number(addr.sin_port ?? addr.sin6_port ?? NaN);
}

/** The final component of a path. */
export function basename(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? path : path.slice(i + 1);
}
