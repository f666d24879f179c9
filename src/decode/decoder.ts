/** Decodes ring buffer records (struct event_context + payload) into TraceeEvents. */
import type { EventDef } from "../events/event_def.ts";
import { eventById } from "../events/table.ts";
import { type Cursor, decodeArg, DecodeError, decodeString } from "./args.ts";
import type { EventArg, TraceeEvent } from "./event.ts";
import { EventContext as C, TASK_COMM_LEN } from "./layout.ts";

const TWO_32 = 4294967296;

/** Reads a u64 field as a number (exact below 2^53, which ids and start times stay under). */
function u64(dv: DataView, at: number): number {
  return dv.getUint32(at + 4, true) * TWO_32 + dv.getUint32(at, true);
}

/**
 * The event of the record at `off` (`len` bytes), its header checked against its length, with
 * `cur` set to its payload. Throws DecodeError for a record too short or of an unknown event.
 */
export function openRecord(dv: DataView, off: number, len: number, cur: Cursor): EventDef {
  if (len < C.size) throw new DecodeError(`record of ${len} bytes is shorter than its header`);
  const eventId = dv.getUint32(off + C.event_id, true);
  const def = eventById(eventId);
  if (!def) throw new DecodeError(`unknown event id ${eventId}`);
  const payload = dv.getUint32(off + C.payload_size, true);
  if (C.size + payload > len) {
    throw new DecodeError(`payload of ${payload} bytes exceeds the record`);
  }
  cur.pos = off + C.size;
  cur.end = cur.pos + payload;
  return def;
}

/** What the decoder received and rejected. */
export interface DecoderStats {
  decoded: number;
  errors: number;
}

/** Turns raw records into events; counts records it cannot decode. */
export class EventDecoder {
  readonly stats: DecoderStats = { decoded: 0, errors: 0 };
  readonly #cursor: Cursor = { pos: 0, end: 0 };
  /** The last comm's four u32 words and its string: records come in runs from one thread. */
  readonly #lastComm = new Uint32Array(4);
  #lastCommString = "";

  /** The process name at `at`, decoded only when it differs from the previous record's. */
  #comm(dv: DataView, bytes: Uint8Array, at: number): string {
    const c = this.#lastComm;
    const w0 = dv.getUint32(at, true), w1 = dv.getUint32(at + 4, true);
    const w2 = dv.getUint32(at + 8, true), w3 = dv.getUint32(at + 12, true);
    if (w0 !== c[0] || w1 !== c[1] || w2 !== c[2] || w3 !== c[3] || this.#lastCommString === "") {
      c[0] = w0;
      c[1] = w1;
      c[2] = w2;
      c[3] = w3;
      this.#lastCommString = decodeString(bytes, at, commLength(bytes, at));
    }
    return this.#lastCommString;
  }

  /**
   * Decodes the record at `off` (`len` bytes) of `dv`/`bytes` (two views of the same memory).
   * Returns null, and counts an error, for a malformed record.
   */
  decode(dv: DataView, bytes: Uint8Array, off: number, len: number): TraceeEvent | null {
    try {
      const e = this.#decode(dv, bytes, off, len);
      this.stats.decoded++;
      return e;
    } catch (err) {
      if (!(err instanceof DecodeError)) throw err;
      this.stats.errors++;
      return null;
    }
  }

  #decode(dv: DataView, bytes: Uint8Array, off: number, len: number): TraceeEvent {
    const cur = this.#cursor;
    const def = openRecord(dv, off, len, cur);
    const argnum = dv.getUint8(off + C.argnum);
    const params = def.params;
    const n = Math.min(argnum, params.length);
    const args: EventArg[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const p = params[i]!;
      args[i] = { name: p.name, type: p.type, value: decodeArg(p.kind, dv, bytes, cur) };
    }

    const retLo = dv.getUint32(off + C.retval, true);
    const retHi = dv.getInt32(off + C.retval + 4, true);
    return {
      def,
      tsHi: dv.getUint32(off + C.ts + 4, true),
      tsLo: dv.getUint32(off + C.ts, true),
      threadStartTime: u64(dv, off + C.start_time),
      processStartTime: u64(dv, off + C.leader_start_time),
      processorId: dv.getUint16(off + C.cpu, true),
      processId: dv.getUint32(off + C.pid, true),
      threadId: dv.getUint32(off + C.tid, true),
      parentProcessId: dv.getUint32(off + C.ppid, true),
      hostProcessId: dv.getUint32(off + C.host_pid, true),
      hostThreadId: dv.getUint32(off + C.host_tid, true),
      hostParentProcessId: dv.getUint32(off + C.host_ppid, true),
      userId: dv.getUint32(off + C.uid, true),
      mountNamespace: dv.getUint32(off + C.mnt_ns, true),
      pidNamespace: dv.getUint32(off + C.pid_ns, true),
      utsNamespace: dv.getUint32(off + C.uts_ns, true),
      processName: this.#comm(dv, bytes, off + C.comm),
      cgroupId: u64(dv, off + C.cgroup_id),
      containerKey: u64(dv, off + C.container),
      container: undefined,
      eventId: def.id,
      returnValue: retHi * TWO_32 + retLo,
      policiesLo: dv.getUint32(off + C.matched_policies, true),
      policiesHi: dv.getUint32(off + C.matched_policies + 4, true),
      syscall: dv.getInt32(off + C.syscall, true),
      flags: dv.getUint8(off + C.flags),
      args,
    };
  }
}

function commLength(bytes: Uint8Array, at: number): number {
  for (let i = 0; i < TASK_COMM_LEN; i++) if (bytes[at + i] === 0) return i;
  return TASK_COMM_LEN;
}
