/** Builds ring buffer records the way the eBPF programs write them (bpf/types.h, arg_kind.ts). */
import { EventContext as C } from "../../src/decode/layout.ts";

/** Context fields of a test record (anything left out is 0). */
export interface RecordContext {
  ts?: bigint;
  eventId: number;
  pid?: number;
  tid?: number;
  ppid?: number;
  hostPid?: number;
  hostTid?: number;
  hostPpid?: number;
  uid?: number;
  mntNs?: number;
  pidNs?: number;
  cgroupId?: bigint;
  retval?: bigint;
  comm?: string;
  cpu?: number;
  flags?: number;
  syscall?: number;
  policies?: bigint;
  startTime?: bigint;
  /** The container key (bpf/containers.bpf.h), 0 on the host. */
  containerKey?: bigint;
}

/** Appends encoded arguments. */
export class Payload {
  readonly parts: number[] = [];
  argnum = 0;

  u64(v: bigint | number): this {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, BigInt(v)), true);
    this.parts.push(...b);
    this.argnum++;
    return this;
  }

  #len(n: number): void {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, n, true);
    this.parts.push(...b);
  }

  #str(s: string): void {
    const bytes = [...new TextEncoder().encode(s), 0];
    this.#len(bytes.length);
    this.parts.push(...bytes);
  }

  str(s: string): this {
    this.#str(s);
    this.argnum++;
    return this;
  }

  strArr(list: string[]): this {
    this.#len(list.length);
    for (const s of list) this.#str(s);
    this.argnum++;
    return this;
  }

  bytes(b: number[]): this {
    this.#len(b.length);
    this.parts.push(...b);
    this.argnum++;
    return this;
  }
}

/** One record: context + payload. */
export function record(
  ctx: RecordContext,
  payload: Payload = new Payload(),
): Uint8Array<ArrayBuffer> {
  const buf = new Uint8Array(C.size + payload.parts.length);
  const dv = new DataView(buf.buffer);
  dv.setBigUint64(C.ts, ctx.ts ?? 0n, true);
  dv.setBigUint64(C.cgroup_id, ctx.cgroupId ?? 0n, true);
  dv.setBigUint64(C.matched_policies, ctx.policies ?? 1n, true);
  dv.setBigInt64(C.retval, ctx.retval ?? 0n, true);
  dv.setBigUint64(C.start_time, ctx.startTime ?? 0n, true);
  dv.setBigUint64(C.container, ctx.containerKey ?? 0n, true);
  dv.setUint32(C.event_id, ctx.eventId, true);
  dv.setUint32(C.pid, ctx.pid ?? 0, true);
  dv.setUint32(C.tid, ctx.tid ?? 0, true);
  dv.setUint32(C.ppid, ctx.ppid ?? 0, true);
  dv.setUint32(C.host_pid, ctx.hostPid ?? ctx.pid ?? 0, true);
  dv.setUint32(C.host_tid, ctx.hostTid ?? ctx.tid ?? 0, true);
  dv.setUint32(C.host_ppid, ctx.hostPpid ?? ctx.ppid ?? 0, true);
  dv.setUint32(C.uid, ctx.uid ?? 0, true);
  dv.setUint32(C.mnt_ns, ctx.mntNs ?? 0, true);
  dv.setUint32(C.pid_ns, ctx.pidNs ?? 0, true);
  dv.setUint32(C.payload_size, payload.parts.length, true);
  dv.setUint16(C.cpu, ctx.cpu ?? 0, true);
  dv.setUint8(C.argnum, payload.argnum);
  dv.setUint8(C.flags, ctx.flags ?? 0);
  dv.setInt32(C.syscall, ctx.syscall ?? -1, true);
  new TextEncoder().encodeInto((ctx.comm ?? "").slice(0, 15), buf.subarray(C.comm, C.comm + 16));
  buf.set(payload.parts, C.size);
  return buf;
}

/** An AF_INET sockaddr (port and address in network order). */
export function sockaddrIn(port: number, addr: [number, number, number, number]): number[] {
  return [2, 0, port >> 8, port & 0xff, ...addr, 0, 0, 0, 0, 0, 0, 0, 0];
}
