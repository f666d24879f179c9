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

/** Whether a socket address is AF_INET or AF_INET6. */
export function isInternet(addr: SockaddrValue): boolean {
  return addr.sa_family === "AF_INET" || addr.sa_family === "AF_INET6";
}

/** The IP of an inet/inet6 address ("" otherwise). */
export function ipOf(addr: SockaddrValue): string {
  return addr.sin_addr ?? addr.sin6_addr ?? "";
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
