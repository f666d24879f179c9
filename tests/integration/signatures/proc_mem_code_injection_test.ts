/**
 * TRC-1024 proc_mem_code_injection: a child's /proc/<pid>/mem opened for writing (nothing
 * written) fires; opened for reading it does not.
 */
import assert from "node:assert/strict";
import { kernelTest } from "../../helpers/kernel.ts";
import { detectWhile, findingsBy, triggerArg } from "../../helpers/detect.ts";
import { pythonSpawn, withChild } from "../../helpers/triggers.ts";

kernelTest("proc_mem_code_injection: a child's memory opened for writing", async () => {
  const { findings, acted } = await detectWhile(
    ["proc_mem_code_injection"],
    () => pythonSpawn(withChild("os.close(os.open(f'/proc/{C}/mem', os.O_RDWR))")),
  );
  const mine = findingsBy(findings, acted.pid);
  assert.equal(mine.length, 1);
  assert.equal(mine[0]!.metadata?.Properties.signatureID, "TRC-1024");
  assert.equal(triggerArg(mine[0]!, "pathname"), `/proc/${acted.out[0]}/mem`);
});

kernelTest("proc_mem_code_injection near-miss: the child's memory opened for reading", async () => {
  const { findings, acted } = await detectWhile(
    ["proc_mem_code_injection"],
    () => pythonSpawn(withChild("os.close(os.open(f'/proc/{C}/mem', os.O_RDONLY))")),
  );
  assert.equal(findingsBy(findings, acted.pid).length, 0);
});
