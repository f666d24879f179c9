/** Sums the per-CPU kernel_counters map (struct kernel_counters per possible CPU). */
import type { BpfMap } from "../../ffi/libbpf.ts";
import { KernelCounters as L } from "../decode/layout.ts";

/** What the kernel side counted, summed over CPUs. */
export interface KernelCounts {
  /** Records written to the ring buffer. */
  submitted: number;
  /** Records lost because the ring buffer was full. */
  lostRing: number;
  /** execve events encoded at entry that could not be kept until exit (stash full). */
  lostStash: number;
  /** Selected events no policy's scope wanted: dropped before anything was built. */
  filtered: number;
}

/** Reads and sums the counters map. */
export function readKernelCounts(map: BpfMap, possibleCpus: number): KernelCounts {
  const stride = Math.ceil(L.size / 8) * 8;
  const value = new Uint8Array(stride * possibleCpus);
  const out: KernelCounts = { submitted: 0, lostRing: 0, lostStash: 0, filtered: 0 };
  if (!map.lookup(new Uint8Array(4), value)) return out;
  const dv = new DataView(value.buffer);
  for (let cpu = 0; cpu < possibleCpus; cpu++) {
    const base = cpu * stride;
    out.submitted += Number(dv.getBigUint64(base + L.submitted, true));
    out.lostRing += Number(dv.getBigUint64(base + L.lost_ring, true));
    out.lostStash += Number(dv.getBigUint64(base + L.lost_stash, true));
    out.filtered += Number(dv.getBigUint64(base + L.filtered, true));
  }
  return out;
}
