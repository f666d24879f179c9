/**
 * json straight from ring buffer records into the output buffer: when nothing in a run needs the
 * decoded event (no signatures, process tree, argument filters, enrichment, sorting or
 * parse-arguments: e.g. `-e openat -o json`), each record is written as the very line
 * JsonPrinter prints for it, without building an event object or strings. The parts that stay
 * the same for a thread, an event id or a policies bitmap are kept as bytes; numbers are written
 * digit by digit; ASCII strings are copied from the record. Arguments of other kinds (string
 * arrays, addresses, buffers, paths, non-ASCII or escaped text) are decoded and printed as
 * JsonPrinter does. A malformed record writes nothing and is counted, as the decoder counts it.
 */
import { type Cursor, decodeArg, DecodeError, decodeString } from "../decode/args.ts";
import { type DecoderStats, openRecord } from "../decode/decoder.ts";
import { EventContext as C, TASK_COMM_LEN } from "../decode/layout.ts";
import { ArgKind } from "../events/arg_kind.ts";
import type { EventDef } from "../events/event_def.ts";
import type { EpochClock, EpochTime } from "./clock.ts";
import {
  containerPart,
  eventPart,
  HOST_CONTAINER,
  policiesPart,
  syscallPart,
  type TaskFields,
  taskPart,
} from "./json.ts";
import type { EventContainer } from "../decode/event.ts";
import type { PolicyNamer } from "./printer.ts";
import type { SyncWriter } from "./writer.ts";
import { OutputClosedError } from "./writer.ts";
import { jsonValue } from "./values.ts";

const encoder = new TextEncoder();
const bytesOf = (s: string) => encoder.encode(s);

const TWO_32 = 4294967296;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const T_TIMESTAMP = bytesOf('{"timestamp":');
const T_START = bytesOf(',"threadStartTime":');
const T_CPU = bytesOf(',"processorId":');
const T_POLICIES = bytesOf(',"matchedPolicies":');
const T_ARGSNUM = bytesOf(',"argsNum":');
const T_RET = bytesOf(',"returnValue":');
const T_ARGS = bytesOf(',"args":[');
const T_END = bytesOf("]}\n");
const HEX = bytesOf("0123456789abcdef");
const T_TRUE = bytesOf("true");
const HOST_CONTAINER_BYTES = bytesOf(HOST_CONTAINER);
const T_FALSE = bytesOf("false");
/** Offsets of the 32-bit words of the context taskPart depends on: pid..pid_ns, comm, cgroup. */
const TASK_WORDS: readonly number[] = [
  ...Array.from({ length: (C.uts_ns - C.pid) / 4 }, (_, i) => C.pid + 4 * i),
  ...Array.from({ length: TASK_COMM_LEN / 4 }, (_, i) => C.comm + 4 * i),
  C.cgroup_id,
  C.cgroup_id + 4,
];

/** Writes events as json lines into a byte buffer, flushed in large writes. */
export class DirectJsonWriter {
  readonly stats: DecoderStats = { decoded: 0, errors: 0 };
  #buf: Uint8Array;
  #pos = 0;
  readonly #digits = new Uint8Array(24);
  readonly #t: EpochTime = { sec: 0, nsec: 0 };
  readonly #cursor: Cursor = { pos: 0, end: 0 };
  /** Per event id: `,"eventId":…,"eventName":…` and each argument's `{"name":…,"value":`. */
  readonly #eventBytes: Uint8Array[] = [];
  readonly #argPrefix: Uint8Array[][] = [];
  readonly #syscallBytes: Uint8Array[] = [];
  /** Last thread context bytes and its encoded task part. */
  readonly #lastTask = new Uint32Array(TASK_WORDS.length);
  #taskBytes = new Uint8Array(0);
  #lastPolicies: [number, number] = [-1, -1];
  #policiesBytes = new Uint8Array(0);
  #lastStartHi = -1;
  #lastStartLo = -1;
  #startBytes = new Uint8Array(0);
  #lastSec = -1;
  #secBytes = new Uint8Array(0);

  /** The last container's record, its version and its encoded part. */
  #lastContainer: EventContainer | undefined;
  #lastContainerVersion = -1;
  #containerBytes = HOST_CONTAINER_BYTES;

  constructor(
    private readonly clock: EpochClock,
    private readonly policies: PolicyNamer,
    private readonly out: SyncWriter,
    /** The container of a key records carry (0: the host), as the registry knows it. */
    private readonly containerOf: (key: number) => EventContainer | undefined = () => undefined,
    /** Bytes gathered before a write. */
    private readonly limit = 256 * 1024,
  ) {
    this.#buf = new Uint8Array(2 * limit);
  }

  /** Room for `n` more bytes. */
  #room(n: number): void {
    if (this.#pos + n <= this.#buf.length) return;
    const next = new Uint8Array(Math.max(2 * this.#buf.length, this.#pos + n));
    next.set(this.#buf.subarray(0, this.#pos));
    this.#buf = next;
  }

  #put(b: Uint8Array): void {
    this.#room(b.length);
    const buf = this.#buf;
    const p = this.#pos;
    if (b.length > 16) buf.set(b, p);
    else for (let i = 0; i < b.length; i++) buf[p + i] = b[i]!;
    this.#pos = p + b.length;
  }

  #putString(s: string): void {
    this.#room(3 * s.length);
    this.#pos += encoder.encodeInto(s, this.#buf.subarray(this.#pos)).written;
  }

  /** A non-negative safe integer in decimal. */
  #putUint(n: number): void {
    this.#room(20);
    if (n < 10) {
      this.#buf[this.#pos++] = 48 + n;
      return;
    }
    const d = this.#digits;
    let i = d.length;
    while (n > 0) {
      const q = Math.floor(n / 10);
      d[--i] = 48 + n - q * 10;
      n = q;
    }
    const buf = this.#buf;
    let p = this.#pos;
    while (i < d.length) buf[p++] = d[i++]!;
    this.#pos = p;
  }

  /** A number as JavaScript prints it (integers digit by digit, the rest by String). */
  #putNumber(n: number): void {
    if (Number.isSafeInteger(n)) {
      if (n < 0) {
        this.#room(1);
        this.#buf[this.#pos++] = 0x2d;
        n = -n;
      }
      this.#putUint(n);
    } else {
      this.#putString(String(n));
    }
  }

  /** The epoch time of boot-time hi:lo ns, as epochNsString prints it. */
  #putEpoch(hi: number, lo: number): void {
    const t = this.clock.toEpoch(hi, lo, this.#t);
    if (t.sec === 0) {
      this.#putUint(t.nsec);
      return;
    }
    if (t.sec !== this.#lastSec) {
      this.#lastSec = t.sec;
      this.#secBytes = bytesOf(String(t.sec));
    }
    this.#put(this.#secBytes);
    this.#room(9);
    const buf = this.#buf;
    let n = t.nsec;
    for (let k = 8; k >= 0; k--) {
      const q = Math.floor(n / 10);
      buf[this.#pos + k] = 48 + n - q * 10;
      n = q;
    }
    this.#pos += 9;
  }

  /** A string argument copied from the record when it is plain ASCII; false otherwise. */
  #putAsciiString(bytes: Uint8Array, start: number, len: number): boolean {
    let end = start + len;
    while (end > start && bytes[end - 1] === 0) end--;
    for (let i = start; i < end; i++) {
      const c = bytes[i]!;
      if (c < 0x20 || c >= 0x7f || c === QUOTE || c === BACKSLASH) return false;
    }
    this.#room(end - start + 2);
    const buf = this.#buf;
    let p = this.#pos;
    buf[p++] = QUOTE;
    if (end - start > 16) {
      buf.set(bytes.subarray(start, end), p);
      p += end - start;
    } else {
      for (let i = start; i < end; i++) buf[p++] = bytes[i]!;
    }
    buf[p++] = QUOTE;
    this.#pos = p;
    return true;
  }

  /** A pointer as "0x…" (PTR arguments). */
  #putPointer(hi: number, lo: number): void {
    this.#room(20);
    const buf = this.#buf;
    let p = this.#pos;
    buf[p++] = QUOTE;
    buf[p++] = 48;
    buf[p++] = 0x78;
    const hex = (v: number, pad: boolean) => {
      let started = pad;
      for (let s = 28; s >= 0; s -= 4) {
        const d = (v >>> s) & 0xf;
        if (d !== 0 || started || s === 0) {
          buf[p++] = HEX[d]!;
          started = true;
        }
      }
    };
    if (hi !== 0) {
      hex(hi, false);
      hex(lo, true);
    } else hex(lo, false);
    buf[p++] = QUOTE;
    this.#pos = p;
  }

  #eventOf(def: EventDef): Uint8Array {
    return this.#eventBytes[def.id] ??= bytesOf(eventPart(def));
  }

  #argPrefixOf(def: EventDef, i: number): Uint8Array {
    const list = this.#argPrefix[def.id] ??= [];
    return list[i] ??= bytesOf(
      (i > 0 ? ',{"name":' : '{"name":') + JSON.stringify(def.params[i]!.name) + ',"type":' +
        JSON.stringify(def.params[i]!.type) + ',"value":',
    );
  }

  /** The task part, re-encoded only when the thread's context words change. */
  #putTask(dv: DataView, bytes: Uint8Array, off: number): void {
    const last = this.#lastTask;
    let same = this.#taskBytes.length > 0;
    for (let i = 0; same && i < TASK_WORDS.length; i++) {
      same = last[i] === dv.getUint32(off + TASK_WORDS[i]!, true);
    }
    if (!same) {
      for (let i = 0; i < TASK_WORDS.length; i++) {
        last[i] = dv.getUint32(off + TASK_WORDS[i]!, true);
      }
      this.#taskBytes = bytesOf(taskPart(contextOf(dv, bytes, off)));
    }
    this.#put(this.#taskBytes);
  }

  /** The container fields, re-encoded when the container or what is known of it changes. */
  #putContainer(key: number): void {
    const c = key === 0 ? undefined : this.containerOf(key);
    if (c === undefined) {
      this.#put(HOST_CONTAINER_BYTES);
      return;
    }
    if (c !== this.#lastContainer || c.version !== this.#lastContainerVersion) {
      this.#lastContainer = c;
      this.#lastContainerVersion = c.version;
      this.#containerBytes = bytesOf(containerPart(c));
    }
    this.#put(this.#containerBytes);
  }

  /**
   * Writes the record at `off` (`len` bytes) as one json line; false (and counted) for a
   * malformed record, which writes nothing.
   */
  record(dv: DataView, bytes: Uint8Array, off: number, len: number): boolean {
    const start = this.#pos;
    try {
      this.#record(dv, bytes, off, len);
      this.stats.decoded++;
    } catch (err) {
      if (!(err instanceof DecodeError)) throw err;
      this.#pos = start;
      this.stats.errors++;
      return false;
    }
    if (this.#pos >= this.limit) this.flush();
    return true;
  }

  #record(dv: DataView, bytes: Uint8Array, off: number, len: number): void {
    const cur = this.#cursor;
    const def = openRecord(dv, off, len, cur);
    const n = Math.min(dv.getUint8(off + C.argnum), def.params.length);

    this.#put(T_TIMESTAMP);
    this.#putEpoch(dv.getUint32(off + C.ts + 4, true), dv.getUint32(off + C.ts, true));
    this.#put(T_START);
    const sHi = dv.getUint32(off + C.start_time + 4, true);
    const sLo = dv.getUint32(off + C.start_time, true);
    if (sHi !== this.#lastStartHi || sLo !== this.#lastStartLo) {
      this.#lastStartHi = sHi;
      this.#lastStartLo = sLo;
      const mark = this.#pos;
      // as JsonPrinter: the start time as one number, split again
      const st = sHi * TWO_32 + sLo;
      const hi = Math.floor(st / TWO_32);
      this.#putEpoch(hi, st - hi * TWO_32);
      this.#startBytes = this.#buf.slice(mark, this.#pos);
      this.#pos = mark;
    }
    this.#put(this.#startBytes);
    this.#put(T_CPU);
    this.#putUint(dv.getUint16(off + C.cpu, true));
    this.#putTask(dv, bytes, off);
    this.#putContainer(
      dv.getUint32(off + C.container + 4, true) * TWO_32 +
        dv.getUint32(off + C.container, true),
    );
    this.#put(this.#eventOf(def));
    this.#put(T_POLICIES);
    const pLo = dv.getUint32(off + C.matched_policies, true);
    const pHi = dv.getUint32(off + C.matched_policies + 4, true);
    if (pLo !== this.#lastPolicies[0] || pHi !== this.#lastPolicies[1]) {
      this.#lastPolicies = [pLo, pHi];
      this.#policiesBytes = bytesOf(policiesPart(this.policies, pLo, pHi));
    }
    this.#put(this.#policiesBytes);
    this.#put(T_ARGSNUM);
    this.#putUint(n);
    this.#put(T_RET);
    this.#putNumber(
      dv.getInt32(off + C.retval + 4, true) * TWO_32 + dv.getUint32(off + C.retval, true),
    );
    const syscall = dv.getInt32(off + C.syscall, true);
    this.#put(this.#syscallBytes[syscall + 1] ??= bytesOf(syscallPart(syscall)));
    this.#put(T_ARGS);
    for (let i = 0; i < n; i++) {
      this.#put(this.#argPrefixOf(def, i));
      this.#putArg(def.params[i]!.kind, dv, bytes, cur);
      this.#room(1);
      this.#buf[this.#pos++] = 0x7d; // }
    }
    this.#put(T_END);
  }

  #putArg(kind: number, dv: DataView, bytes: Uint8Array, cur: Cursor): void {
    switch (kind) {
      case ArgKind.S32:
      case ArgKind.U32: {
        if (cur.pos + 8 > cur.end) break;
        const v = kind === ArgKind.S32 ? dv.getInt32(cur.pos, true) : dv.getUint32(cur.pos, true);
        cur.pos += 8;
        this.#putNumber(v);
        return;
      }
      case ArgKind.S64:
      case ArgKind.U64: {
        if (cur.pos + 8 > cur.end) break;
        const lo = dv.getUint32(cur.pos, true);
        const hi = kind === ArgKind.S64
          ? dv.getInt32(cur.pos + 4, true)
          : dv.getUint32(cur.pos + 4, true);
        // within the range the decoder keeps as a number (beyond it: a bigint, printed below)
        if (hi >= -0x200000 && hi < 0x200000) {
          cur.pos += 8;
          this.#putNumber(hi * TWO_32 + lo);
          return;
        }
        break;
      }
      case ArgKind.BOOL: {
        if (cur.pos + 8 > cur.end) break;
        this.#put(dv.getUint32(cur.pos, true) !== 0 ? T_TRUE : T_FALSE);
        cur.pos += 8;
        return;
      }
      case ArgKind.PTR: {
        if (cur.pos + 8 > cur.end) break;
        this.#putPointer(dv.getUint32(cur.pos + 4, true), dv.getUint32(cur.pos, true));
        cur.pos += 8;
        return;
      }
      case ArgKind.STR:
      case ArgKind.KSTR: {
        if (cur.pos + 4 > cur.end) break;
        const len = dv.getUint32(cur.pos, true);
        if (cur.pos + 4 + len > cur.end) break;
        if (this.#putAsciiString(bytes, cur.pos + 4, len)) {
          cur.pos += 4 + len;
          return;
        }
        break;
      }
    }
    // everything else, and anything out of bounds: as the decoder and JsonPrinter do it
    this.#putString(jsonValue(decodeArg(kind, dv, bytes, cur)));
  }

  /** Writes what has gathered. */
  flush(): void {
    if (this.#pos === 0) return;
    const n = this.#pos;
    this.#pos = 0;
    let off = 0;
    try {
      while (off < n) off += this.out.writeSync(this.#buf.subarray(off, n));
    } catch (e) {
      if (e instanceof Deno.errors.BrokenPipe) throw new OutputClosedError();
      throw e;
    }
  }
}

/** The context fields taskPart reads, from a record's header. */
function contextOf(dv: DataView, bytes: Uint8Array, off: number): TaskFields {
  let end = off + C.comm;
  while (end < off + C.comm + TASK_COMM_LEN && bytes[end] !== 0) end++;
  return {
    processId: dv.getUint32(off + C.pid, true),
    cgroupId: dv.getUint32(off + C.cgroup_id + 4, true) * TWO_32 +
      dv.getUint32(off + C.cgroup_id, true),
    threadId: dv.getUint32(off + C.tid, true),
    parentProcessId: dv.getUint32(off + C.ppid, true),
    hostProcessId: dv.getUint32(off + C.host_pid, true),
    hostThreadId: dv.getUint32(off + C.host_tid, true),
    hostParentProcessId: dv.getUint32(off + C.host_ppid, true),
    userId: dv.getUint32(off + C.uid, true),
    mountNamespace: dv.getUint32(off + C.mnt_ns, true),
    pidNamespace: dv.getUint32(off + C.pid_ns, true),
    processName: decodeString(bytes, off + C.comm, end - off - C.comm),
  };
}
