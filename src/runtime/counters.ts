/** Sums the per-CPU kernel_counters map (struct kernel_counters per possible CPU). */
import type { BpfMap } from "../../ffi/libbpf.ts";
import { KernelCounters as L } from "../decode/layout.ts";

/** What the kernel side counted, summed over CPUs. */
export interface KernelCounts {
  /** Records written to the ring buffer. */
  submitted: number;
  /** Selected events no policy's scope wanted: dropped before anything was built. */
  filtered: number;
  /** Records lost because the ring buffer was full. */
  lostRing: number;
  /** execve events encoded at entry that could not be kept until exit (stash full). */
  lostStash: number;
  /** execve events still pending when their thread exited. */
  lostStashExit: number;
  /** execve events whose sys_exit never came for them (another exit or execve came first). */
  lostStashOrphan: number;
}

/** Offset of each count in struct kernel_counters. */
const OFFSETS: Readonly<Record<keyof KernelCounts, number>> = {
  submitted: L.submitted,
  filtered: L.filtered,
  lostRing: L.lost_ring,
  lostStash: L.lost_stash,
  lostStashExit: L.lost_stash_exit,
  lostStashOrphan: L.lost_stash_orphan,
};

/** Every kernel loss counter, with the words the exit summary and the debug log use for it. */
export const KERNEL_LOSSES: readonly (readonly [keyof KernelCounts, string, string])[] = [
  ["lostRing", "ring buffer full", "lost_ring"],
  ["lostStash", "execve stash full", "lost_stash"],
  ["lostStashExit", "execve pending at thread exit", "lost_stash_exit"],
  ["lostStashOrphan", "execve without its exit", "lost_stash_orphan"],
];

/** Records the kernel lost, all reasons together. */
export function kernelLost(c: KernelCounts): number {
  return KERNEL_LOSSES.reduce((sum, [key]) => sum + c[key], 0);
}

/** Reads and sums the counters map. */
export function readKernelCounts(map: BpfMap, possibleCpus: number): KernelCounts {
  const stride = Math.ceil(L.size / 8) * 8;
  const value = new Uint8Array(stride * possibleCpus);
  const out = Object.fromEntries(
    Object.keys(OFFSETS).map((k) => [k, 0]),
  ) as unknown as KernelCounts;
  if (!map.lookup(new Uint8Array(4), value)) return out;
  const dv = new DataView(value.buffer);
  for (let cpu = 0; cpu < possibleCpus; cpu++) {
    for (const [key, off] of Object.entries(OFFSETS) as [keyof KernelCounts, number][]) {
      out[key] += Number(dv.getBigUint64(cpu * stride + off, true));
    }
  }
  return out;
}
