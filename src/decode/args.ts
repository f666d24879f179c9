/**
 * Decoders for each argument kind's payload encoding (src/events/arg_kind.ts). Each reads at
 * `cursor.pos`, advances it past the argument and returns the value. `cursor.end` bounds every
 * read: a record whose payload runs past it throws DecodeError.
 */
import { ArgKind } from "../events/arg_kind.ts";
import type { ArgValue, SockaddrValue } from "./event.ts";

/** A record's payload is not what its event's table row says. */
export class DecodeError extends Error {
  constructor(message: string) {
    super(`Cannot decode event: ${message}`);
    this.name = "DecodeError";
  }
}

/** Read position inside one record. */
export interface Cursor {
  pos: number;
  end: number;
}

const utf8 = new TextDecoder();
const TWO_32 = 4294967296;

function need(cur: Cursor, n: number): void {
  if (cur.pos + n > cur.end) {
    throw new DecodeError(`argument runs past the record (${cur.pos}+${n} > ${cur.end})`);
  }
}

/** Decodes `len` bytes as UTF-8 (ASCII fast path), without a trailing NUL. */
export function decodeString(bytes: Uint8Array, start: number, len: number): string {
  let end = start + len;
  while (end > start && bytes[end - 1] === 0) end--;
  if (end - start <= 32) {
    let s = "";
    for (let i = start; i < end; i++) {
      const c = bytes[i]!;
      if (c >= 0x80) return utf8.decode(bytes.subarray(start, end));
      s += String.fromCharCode(c);
    }
    return s;
  }
  return utf8.decode(bytes.subarray(start, end));
}

function readLen(dv: DataView, cur: Cursor): number {
  need(cur, 4);
  const n = dv.getUint32(cur.pos, true);
  cur.pos += 4;
  need(cur, n);
  return n;
}

function readStr(dv: DataView, bytes: Uint8Array, cur: Cursor): string {
  const n = readLen(dv, cur);
  const s = decodeString(bytes, cur.pos, n);
  cur.pos += n;
  return s;
}

/**
 * An absolute path with "." and ".." components folded and repeated slashes collapsed, as the
 * kernel would have walked it ("/tmp/d/../x" → "/tmp/x"); ".." at the root stays at the root.
 * Relative or empty strings are returned as they are.
 */
export function foldPath(p: string): string {
  if (!p.startsWith("/") || !/\/\.|\/\//.test(p)) return p;
  const out: string[] = [];
  for (const part of p.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return "/" + out.join("/");
}

function readStrArr(dv: DataView, bytes: Uint8Array, cur: Cursor): string[] {
  need(cur, 4);
  const count = dv.getUint32(cur.pos, true);
  cur.pos += 4;
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(readStr(dv, bytes, cur));
  return out;
}

function readRegion(dv: DataView, bytes: Uint8Array, cur: Cursor): string[] {
  const n = readLen(dv, cur);
  const out: string[] = [];
  let start = cur.pos;
  const end = cur.pos + n;
  for (let i = cur.pos; i < end; i++) {
    if (bytes[i] === 0) {
      out.push(decodeString(bytes, start, i - start));
      start = i + 1;
    }
  }
  if (start < end) out.push(decodeString(bytes, start, end - start));
  cur.pos = end;
  return out;
}

const AF_UNIX = 1;
const AF_INET = 2;
const AF_INET6 = 10;

function ipv6(bytes: Uint8Array, at: number): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) {
    groups.push(((bytes[at + i]! << 8) | bytes[at + i + 1]!).toString(16));
  }
  // Longest run of zero groups becomes "::".
  let best = -1, bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== "0") {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === "0") j++;
    if (j - i > bestLen && j - i > 1) [best, bestLen] = [i, j - i];
    i = j;
  }
  if (best < 0) return groups.join(":");
  return `${groups.slice(0, best).join(":")}::${groups.slice(best + bestLen).join(":")}`;
}

/** Decodes a struct sockaddr of `len` bytes at `at`, as Tracee's key/value map. */
export function decodeSockaddr(
  dv: DataView,
  bytes: Uint8Array,
  at: number,
  len: number,
): SockaddrValue {
  if (len < 2) return {};
  const family = dv.getUint16(at, true);
  if (family === AF_INET && len >= 8) {
    return {
      sa_family: "AF_INET",
      sin_port: String(dv.getUint16(at + 2, false)),
      sin_addr: `${bytes[at + 4]}.${bytes[at + 5]}.${bytes[at + 6]}.${bytes[at + 7]}`,
    };
  }
  if (family === AF_INET6 && len >= 24) {
    return {
      sa_family: "AF_INET6",
      sin6_port: String(dv.getUint16(at + 2, false)),
      sin6_flowinfo: String(dv.getUint32(at + 4, false)),
      sin6_addr: ipv6(bytes, at + 8),
      sin6_scopeid: String(len >= 28 ? dv.getUint32(at + 24, true) : 0),
    };
  }
  if (family === AF_UNIX) {
    if (len > 2 && bytes[at + 2] === 0) {
      // Abstract socket: the name is every byte up to addrlen.
      return { sa_family: "AF_UNIX", sun_path: "@" + decodeString(bytes, at + 3, len - 3) };
    }
    let end = at + 2;
    while (end < at + len && bytes[end] !== 0) end++;
    return { sa_family: "AF_UNIX", sun_path: decodeString(bytes, at + 2, end - at - 2) };
  }
  return { sa_family: String(family) };
}

/** Decodes one argument of `kind` at the cursor. */
export function decodeArg(kind: number, dv: DataView, bytes: Uint8Array, cur: Cursor): ArgValue {
  switch (kind) {
    case ArgKind.S32: {
      need(cur, 8);
      const v = dv.getInt32(cur.pos, true);
      cur.pos += 8;
      return v;
    }
    case ArgKind.U32: {
      need(cur, 8);
      const v = dv.getUint32(cur.pos, true);
      cur.pos += 8;
      return v;
    }
    case ArgKind.S64: {
      need(cur, 8);
      const lo = dv.getUint32(cur.pos, true);
      const hi = dv.getInt32(cur.pos + 4, true);
      cur.pos += 8;
      if (hi >= -0x200000 && hi < 0x200000) return hi * TWO_32 + lo;
      return dv.getBigInt64(cur.pos - 8, true);
    }
    case ArgKind.U64: {
      need(cur, 8);
      const lo = dv.getUint32(cur.pos, true);
      const hi = dv.getUint32(cur.pos + 4, true);
      cur.pos += 8;
      if (hi < 0x200000) return hi * TWO_32 + lo;
      return dv.getBigUint64(cur.pos - 8, true);
    }
    case ArgKind.PTR: {
      need(cur, 8);
      const lo = dv.getUint32(cur.pos, true);
      const hi = dv.getUint32(cur.pos + 4, true);
      cur.pos += 8;
      return "0x" +
        (hi === 0 ? lo.toString(16) : hi.toString(16) + lo.toString(16).padStart(8, "0"));
    }
    case ArgKind.BOOL: {
      need(cur, 8);
      const v = dv.getUint32(cur.pos, true) !== 0;
      cur.pos += 8;
      return v;
    }
    case ArgKind.STR:
    case ArgKind.KSTR:
      return readStr(dv, bytes, cur);
    case ArgKind.AT_PATH:
      return foldPath(readStr(dv, bytes, cur));
    case ArgKind.STR_ARR:
      return readStrArr(dv, bytes, cur);
    case ArgKind.STR_REGION:
      return readRegion(dv, bytes, cur);
    case ArgKind.SOCKADDR:
    case ArgKind.SOCKADDR_LENPTR: {
      const n = readLen(dv, cur);
      const v = decodeSockaddr(dv, bytes, cur.pos, n);
      cur.pos += n;
      return v;
    }
    case ArgKind.INT_ARR2: {
      const n = readLen(dv, cur);
      const v = n >= 8 ? [dv.getInt32(cur.pos, true), dv.getInt32(cur.pos + 4, true)] : [];
      cur.pos += n;
      return v;
    }
    case ArgKind.TIMESPEC: {
      const n = readLen(dv, cur);
      const v = n >= 16
        ? Number(dv.getBigInt64(cur.pos, true)) + Number(dv.getBigInt64(cur.pos + 8, true)) / 1e9
        : 0;
      cur.pos += n;
      return v;
    }
    case ArgKind.BUF: {
      const n = readLen(dv, cur);
      const v = bytes.slice(cur.pos, cur.pos + n);
      cur.pos += n;
      return v;
    }
    default:
      throw new DecodeError(`unknown argument kind ${kind}`);
  }
}
