/** The kernel's counters summed over CPUs, and the exit summary naming every loss reason. */
import assert from "node:assert/strict";
import { BpfObject } from "../../ffi/libbpf.ts";
import { KernelCounters as L } from "../../src/decode/layout.ts";
import { kernelLost, readKernelCounts } from "../../src/runtime/counters.ts";
import { lossFields, summaryLine } from "../../src/runtime/summary.ts";
import { FakeLibbpf } from "../helpers/fake_libbpf.ts";

Deno.test("kernel counters: every field of struct kernel_counters summed over the CPUs", () => {
  const cpus = 2;
  // The fake stores what a lookup returns: one struct per possible CPU.
  const fake = new FakeLibbpf({
    maps: [{ name: "counters", valueSize: L.size * cpus, maxEntries: 1 }],
  });
  const map = BpfObject.openMem(fake.symbols, new Uint8Array(8), {}).map("counters");
  const value = new Uint8Array(L.size * cpus);
  const dv = new DataView(value.buffer);
  const fields = [
    L.submitted,
    L.lost_ring,
    L.lost_stash,
    L.filtered,
    L.lost_stash_exit,
    L.lost_stash_orphan,
  ];
  fields.forEach((off, i) => {
    dv.setBigUint64(off, BigInt(i + 1), true); // cpu 0
    dv.setBigUint64(L.size + off, BigInt((i + 1) * 100), true); // cpu 1
  });
  map.update(new Uint8Array(4), value);
  const c = readKernelCounts(map, cpus);
  assert.deepEqual(c, {
    submitted: 101,
    lostRing: 202,
    lostStash: 303,
    filtered: 404,
    lostStashExit: 505,
    lostStashOrphan: 606,
  });
  assert.equal(kernelLost(c), 202 + 303 + 505 + 606, "every loss, not the submitted or filtered");
});

Deno.test("exit summary: the totals, then every loss reason, zero or not", () => {
  const kernel = {
    submitted: 90,
    filtered: 7,
    lostRing: 5,
    lostStash: 1,
    lostStashExit: 2,
    lostStashOrphan: 3,
  };
  const s = { received: 90, printed: 88, lostKernel: kernelLost(kernel), lostUser: 2, kernel };
  assert.equal(
    summaryLine(s),
    "tracee: 90 events received, 11 lost in kernel, 2 lost in user space (ring buffer full: 5, " +
      "execve stash full: 1, execve pending at thread exit: 2, execve without its exit: 3, " +
      "undecodable: 2)",
  );
  assert.deepEqual(lossFields(s), {
    kernel_submitted: 90,
    received: 90,
    lost_ring: 5,
    lost_stash: 1,
    lost_stash_exit: 2,
    lost_stash_orphan: 3,
    lost_undecodable: 2,
  });
});
