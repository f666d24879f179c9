/**
 * Writes the policies' scopes into the eBPF filter maps (bpf/filters.bpf.h): per filter type, a
 * hash of value → {policies with =value, policies with !=value}; the filter_config bitmaps and
 * range slots; and, for tree= and binary=, what the kernel should know of processes that were
 * running before tracee started. No recompilation: policies load at start.
 */
import type { BpfMap, BpfObject } from "../../ffi/libbpf.ts";
import {
  EqNeq,
  FilterConfig as FC,
  MAX_RANGES,
  ProcInfo,
  RangeSlot,
  ScopeFilter,
} from "../decode/layout.ts";
import { UsageError } from "../errors.ts";
import { fnv1a } from "./fnv.ts";
import {
  type ContainerScan,
  type IdFilter,
  writeContainerMaps,
} from "../containers/container_maps.ts";
import type { Policy, PolicySet } from "./policy.ts";
import { type EqNeq as EqNeqSet, scopeIsEmpty } from "./scope.ts";

/** A process running when tracee starts. */
export interface RunningProcess {
  readonly pid: number;
  readonly ppid: number;
  /** Its executable's path (/proc/<pid>/exe), when readable. */
  readonly exe?: string;
}

/** What writing the maps needs to know of the host. */
export interface FilterHost {
  /** CLOCK_MONOTONIC now, in ns (task start times use it). */
  readonly monotonicNowNs: bigint;
  /** The containers running now, and the cgroup v1 controllers to find containers in. */
  containers(): ContainerScan;
  /** Processes running now. */
  processes(): RunningProcess[];
}

/** Accumulated equality filters of one type: key → [eq bits, neq bits]. */
type EqNeqMap = Map<string, { key: Uint8Array<ArrayBuffer>; eq: bigint; neq: bigint }>;

function u64Key(v: bigint | number): Uint8Array<ArrayBuffer> {
  const k = new Uint8Array(8);
  new DataView(k.buffer).setBigUint64(0, BigInt(v), true);
  return k;
}

function commKey(s: string): Uint8Array<ArrayBuffer> {
  const k = new Uint8Array(16);
  new TextEncoder().encodeInto(s.slice(0, 15), k);
  return k;
}

function addEqNeq<T>(
  into: EqNeqMap,
  set: EqNeqSet<T>,
  bit: bigint,
  key: (v: T) => Uint8Array<ArrayBuffer>,
): void {
  const add = (v: T, field: "eq" | "neq") => {
    const k = key(v);
    const id = k.join(",");
    const entry = into.get(id) ?? { key: k, eq: 0n, neq: 0n };
    entry[field] |= bit;
    into.set(id, entry);
  };
  set.eq.forEach((v) => add(v, "eq"));
  set.neq.forEach((v) => add(v, "neq"));
}

/** The scope types in the order of enum scope_filter, with how each keys its map. */
function scopeTypes(
  p: Policy,
): [number, string, EqNeqSet<unknown>, (v: never) => Uint8Array<ArrayBuffer>][] {
  const s = p.scope;
  return [
    [ScopeFilter.UID, "uid_filter", s.uid, u64Key],
    [ScopeFilter.PID, "pid_filter", s.pid, u64Key],
    [ScopeFilter.MNTNS, "mntns_filter", s.mntns, u64Key],
    [ScopeFilter.PIDNS, "pidns_filter", s.pidns, u64Key],
    [ScopeFilter.UTS, "uts_filter", s.uts, (v: string) => u64Key(fnv1a(v))],
    [ScopeFilter.COMM, "comm_filter", s.comm, commKey],
    [ScopeFilter.BINARY, "binary_filter", s.binary, (v: string) => u64Key(fnv1a(v))],
  ] as [number, string, EqNeqSet<unknown>, (v: never) => Uint8Array<ArrayBuffer>][];
}

function writeEqNeq(map: BpfMap, entries: EqNeqMap): void {
  for (const { key, eq, neq } of entries.values()) {
    const v = new Uint8Array(EqNeq.size);
    const dv = new DataView(v.buffer);
    dv.setBigUint64(EqNeq.eq, eq, true);
    dv.setBigUint64(EqNeq.neq, neq, true);
    map.update(key, v);
  }
}

/** Descendants of `roots` (inclusive) among `procs`. */
export function treeOf(roots: ReadonlySet<number>, procs: readonly RunningProcess[]): Set<number> {
  const children = new Map<number, number[]>();
  for (const p of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p.pid]);
  const out = new Set<number>();
  const stack = [...roots];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    if (out.has(pid)) continue;
    out.add(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** Fills the filter maps of a loaded object from the policies. */
export function writeFilterMaps(obj: BpfObject, set: PolicySet, host: FilterHost): void {
  const cfg = new Uint8Array(FC.size);
  const dv = new DataView(cfg.buffer);
  const or = (off: number, bit: bigint) =>
    dv.setBigUint64(off, dv.getBigUint64(off, true) | bit, true);
  const perType = new Map<string, EqNeqMap>();
  const uidSlots: [bigint, number, number][] = [];
  const pidSlots: [bigint, number, number][] = [];
  const treeRoots = new Map<bigint, Set<number>>();
  const idFilters = new Map<string, IdFilter>();

  for (const p of set.policies) {
    if (scopeIsEmpty(p.scope)) continue;
    const bit = 1n << BigInt(p.id);
    or(FC.any, bit);
    for (const [type, mapName, values, key] of scopeTypes(p)) {
      if (values.eq.size === 0 && values.neq.size === 0) continue;
      or(FC.enabled + 8 * type, bit);
      if (values.eq.size > 0) or(FC.has_eq + 8 * type, bit);
      const entries = perType.get(mapName) ?? new Map();
      addEqNeq(entries, values, bit, key as (v: unknown) => Uint8Array<ArrayBuffer>);
      perType.set(mapName, entries);
    }
    const s = p.scope;
    if (s.uidRange) uidSlots.push([bit, s.uidRange.lo, s.uidRange.hi]);
    if (s.pidRange) pidSlots.push([bit, s.pidRange.lo, s.pidRange.hi]);
    if (s.follow) or(FC.follow, bit);
    if (s.tree.size > 0) {
      or(FC.tree, bit);
      treeRoots.set(bit, s.tree);
    }
    if (s.container === "any") or(FC.container, bit);
    if (s.container === "new") or(FC.container_new, bit);
    if (s.notContainer) or(FC.not_container, bit);
    for (
      const [field, prefixes] of [["eq", s.containerIds.eq], ["neq", s.containerIds.neq]] as const
    ) {
      for (const prefix of prefixes) {
        const f = idFilters.get(prefix) ?? { prefix, eq: 0n, neq: 0n };
        f[field] |= bit;
        idFilters.set(prefix, f);
        or(FC.container_ids, bit);
      }
    }
  }
  for (
    const [slots, at, what] of [[uidSlots, FC.uid_ranges, "uid"], [
      pidSlots,
      FC.pid_ranges,
      "pid",
    ]] as const
  ) {
    if (slots.length > MAX_RANGES) {
      throw new UsageError(
        `Cannot load policies: at most ${MAX_RANGES} policies may use ${what} ranges (<, >, <=, >=)`,
      );
    }
    slots.forEach(([bit, lo, hi], i) => {
      const base = at + i * RangeSlot.size;
      dv.setBigUint64(base + RangeSlot.policies, bit, true);
      dv.setBigUint64(base + RangeSlot.lo, BigInt(lo), true);
      dv.setBigUint64(base + RangeSlot.hi, BigInt(hi), true);
    });
  }
  dv.setBigUint64(FC.start_time, host.monotonicNowNs, true);
  writeContainerMaps(obj, [...idFilters.values()], host.containers());

  for (const [name, entries] of perType) writeEqNeq(obj.map(name), entries);
  seedProcesses(
    obj,
    host,
    treeRoots,
    dv.getBigUint64(FC.enabled + 8 * ScopeFilter.BINARY, true) !== 0n,
  );
  obj.map("filter_config").update(new Uint8Array(4), cfg);
}

/** proc_infos for processes already running: their tree= membership and executable's hash. */
function seedProcesses(
  obj: BpfObject,
  host: FilterHost,
  treeRoots: ReadonlyMap<bigint, ReadonlySet<number>>,
  binary: boolean,
): void {
  if (treeRoots.size === 0 && !binary) return;
  const procs = host.processes();
  const tree = new Map<number, bigint>();
  for (const [bit, roots] of treeRoots) {
    for (const pid of treeOf(roots, procs)) tree.set(pid, (tree.get(pid) ?? 0n) | bit);
  }
  const map = obj.map("proc_infos");
  for (const p of procs) {
    const bits = tree.get(p.pid) ?? 0n;
    const hash = binary && p.exe ? fnv1a(p.exe) : 0n;
    if (bits === 0n && hash === 0n) continue;
    const v = new Uint8Array(ProcInfo.size);
    const dv = new DataView(v.buffer);
    dv.setBigUint64(ProcInfo.tree, bits, true);
    dv.setBigUint64(ProcInfo.binary, hash, true);
    const key = new Uint8Array(4);
    new DataView(key.buffer).setUint32(0, p.pid, true);
    map.update(key, v);
  }
}
