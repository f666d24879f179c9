/**
 * TRC-1029 sched_debug_recon: the scheduler's debug file read in a container fires; the CPU
 * statistics (/proc/stat) read there, or the debug file read on the host, do not. debugfs is mounted in
 * the trigger's own mount namespace when the host has not mounted it.
 */
import assert from "node:assert/strict";
import { kernelTest } from "../../helpers/kernel.ts";
import { findingsBy, triggerArg } from "../../helpers/detect.ts";
import { detectHeld, privateMountsPython } from "../../helpers/held_trigger.ts";
import { detectInContainer } from "../../helpers/container.ts";

const DEBUGFS = "import subprocess\nif not os.path.exists('/sys/kernel/debug/sched'):\n" +
  "    subprocess.run(['mount', '-t', 'debugfs', 'debugfs', '/sys/kernel/debug'], check=True)\n";
const READ_DEBUG = `${DEBUGFS}open('/sys/kernel/debug/sched/debug').read()`;

kernelTest("sched_debug_recon: sched/debug read in a container", async () => {
  const { findings, hostPid } = await detectInContainer(["sched_debug_recon"], READ_DEBUG);
  const mine = findingsBy(findings, hostPid);
  assert.equal(mine.length, 1);
  assert.equal(mine[0]!.metadata?.Properties.signatureID, "TRC-1029");
  assert.equal(triggerArg(mine[0]!, "pathname"), "/sys/kernel/debug/sched/debug");
});

kernelTest("sched_debug_recon near-miss: /proc/stat read in a container", async () => {
  const { findings, hostPid } = await detectInContainer(
    ["sched_debug_recon"],
    "open('/proc/stat').read()",
  );
  assert.equal(findingsBy(findings, hostPid).length, 0);
});

kernelTest("sched_debug_recon near-miss: sched/debug read on the host", async () => {
  const { findings, hostPid } = await detectHeld(
    ["sched_debug_recon"],
    () => privateMountsPython(READ_DEBUG),
  );
  assert.equal(findingsBy(findings, hostPid).length, 0);
});
