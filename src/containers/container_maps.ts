/**
 * What the kernel's container maps (bpf/containers.bpf.h, bpf/container_events.bpf.h) hold at
 * start: container_config (the cgroup v1 controllers to look in, the policies' container=<id
 * prefix> filters), and the containers already running: their cgroups in container_ids, marked
 * CONTAINER_F_EXISTING (not container=new), and their count of cgroups in live_containers (so
 * their removal is one container_remove).
 */
import type { BpfObject } from "../../ffi/libbpf.ts";
import {
  CONTAINER_ID_LEN,
  ContainerConfig as CC,
  ContainerFlags,
  ContainerIdFilter as CF,
  ContainerInfo as CI,
  ContainerRuntime,
  MAX_CONTAINER_FILTERS,
} from "../decode/layout.ts";
import { UsageError } from "../errors.ts";
import type { RuntimeName } from "./cgroup_path.ts";
import type { ScannedContainer } from "./cgroup_scan.ts";

/** The containers at start, and where the kernel should look for them. */
export interface ContainerScan {
  /** cgroup v1 controllers mounted on their own hierarchy (bit = subsystem id). */
  readonly v1SubsysMask: number;
  readonly existing: readonly ScannedContainer[];
}

/** One id prefix filter: the policies with container=<prefix> and with container!=<prefix>. */
export interface IdFilter {
  readonly prefix: string;
  eq: bigint;
  neq: bigint;
}

/** The policies whose container=/container!= prefixes `id` matches. */
export function idFilterBits(
  filters: readonly IdFilter[],
  id: string,
): { eq: bigint; neq: bigint } {
  let eq = 0n, neq = 0n;
  for (const f of filters) {
    if (!id.startsWith(f.prefix)) continue;
    eq |= f.eq;
    neq |= f.neq;
  }
  return { eq, neq };
}

const encoder = new TextEncoder();

function u64Key(v: bigint): Uint8Array<ArrayBuffer> {
  const k = new Uint8Array(8);
  new DataView(k.buffer).setBigUint64(0, v, true);
  return k;
}

/** container_info of a container. */
export function containerInfoValue(
  id: string,
  runtime: RuntimeName,
  bits: { eq: bigint; neq: bigint },
  flags: number,
): Uint8Array<ArrayBuffer> {
  const v = new Uint8Array(CI.size);
  const dv = new DataView(v.buffer);
  encoder.encodeInto(id.slice(0, CONTAINER_ID_LEN), v.subarray(CI.id, CI.id + CONTAINER_ID_LEN));
  dv.setBigUint64(CI.scope_eq, bits.eq, true);
  dv.setBigUint64(CI.scope_neq, bits.neq, true);
  dv.setUint32(CI.runtime, ContainerRuntime[runtime], true);
  dv.setUint32(CI.flags, flags, true);
  return v;
}

/** Fills container_config, and container_ids / live_containers with the running containers. */
export function writeContainerMaps(
  obj: BpfObject,
  filters: readonly IdFilter[],
  scan: ContainerScan,
): void {
  if (filters.length > MAX_CONTAINER_FILTERS) {
    throw new UsageError(
      `Cannot load policies: at most ${MAX_CONTAINER_FILTERS} container=<id> values in all`,
    );
  }
  const cfg = new Uint8Array(CC.size);
  const dv = new DataView(cfg.buffer);
  dv.setUint32(CC.v1_subsys_mask, scan.v1SubsysMask, true);
  dv.setUint32(CC.count, filters.length, true);
  let idEq = 0n;
  filters.forEach((f, i) => {
    const at = CC.filters + i * CF.size;
    dv.setBigUint64(at + CF.eq, f.eq, true);
    dv.setBigUint64(at + CF.neq, f.neq, true);
    dv.setUint32(at + CF.len, f.prefix.length, true);
    encoder.encodeInto(f.prefix, cfg.subarray(at + CF.prefix, at + CF.prefix + CONTAINER_ID_LEN));
    idEq |= f.eq;
  });
  dv.setBigUint64(CC.id_eq, idEq, true);
  obj.map("container_config").update(new Uint8Array(4), cfg);

  const ids = obj.map("container_ids");
  const live = obj.map("live_containers");
  for (const c of scan.existing) {
    const value = containerInfoValue(
      c.id,
      c.runtime,
      idFilterBits(filters, c.id),
      ContainerFlags.EXISTING,
    );
    for (const cg of c.cgroups) ids.update(u64Key(cg.ino), value);
    const short = new Uint8Array(16);
    encoder.encodeInto(c.id.slice(0, 16), short);
    const count = new Uint8Array(4);
    new DataView(count.buffer).setUint32(0, c.cgroups.length, true);
    live.update(short, count);
  }
}

/** Reads a container key's id and runtime from container_ids (undefined when not there). */
export function containerIdsLookup(
  obj: BpfObject,
): (key: number) => { id: string; runtime: RuntimeName } | undefined {
  const map = obj.map("container_ids");
  const value = new Uint8Array(CI.size);
  const dv = new DataView(value.buffer);
  const names = Object.entries(ContainerRuntime) as [RuntimeName | "unknown", number][];
  return (key) => {
    if (!map.lookup(u64Key(BigInt(key)), value)) return undefined;
    const id = new TextDecoder().decode(value.subarray(CI.id, CI.id + CONTAINER_ID_LEN));
    const code = dv.getUint32(CI.runtime, true);
    const runtime = names.find(([, v]) => v === code)?.[0];
    return { id, runtime: runtime === undefined || runtime === "unknown" ? "docker" : runtime };
  };
}
