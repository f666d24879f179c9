/** Scope filters run in the kernel: proven with the kernel's own counters. */
import assert from "node:assert/strict";
import { cliPolicy } from "../../src/filters/cli_policy.ts";
import type { KernelCounts } from "../../src/runtime/counters.ts";
import { kernelTest } from "../helpers/kernel.ts";
import { python, traceWhile } from "../helpers/trace_in_process.ts";

const STORM = 20000;

async function storm(
  scopes: string[],
): Promise<{ counts: KernelCounts; seen: number; pid: number }> {
  let counts: KernelCounts | undefined;
  const policies = cliPolicy({ events: ["getppid"], filters: [], scopes }).set;
  const { seen, acted } = await traceWhile(
    ["getppid"],
    () =>
      python<{ pid: number }>(
        `import os,json\nfor _ in range(${STORM}): os.getppid()\nprint(json.dumps({"pid": os.getpid()}))`,
      ),
    (e, a) => e.hostProcessId === a.pid,
    (s) => s.length >= STORM || scopes.length > 0,
    { policies, counts: (c) => (counts = c) },
  );
  return { counts: counts!, seen: seen.length, pid: acted.pid };
}

kernelTest(
  "a scope that matches nothing: a syscall storm reserves no ring-buffer record",
  async () => {
    const { counts, seen } = await storm(["comm=no-such-comm"]);
    assert.equal(seen, 0);
    assert.equal(counts.submitted, 0, "nothing reached the ring buffer");
    assert.ok(
      counts.filtered >= STORM,
      `the kernel dropped the storm (${counts.filtered} filtered)`,
    );
  },
);

kernelTest("the same storm with a matching scope: every syscall is delivered", async () => {
  const { counts, seen } = await storm(["comm=python3"]);
  assert.equal(seen, STORM);
  assert.ok(counts.submitted >= STORM);
  assert.equal(counts.lostRing, 0);
});
