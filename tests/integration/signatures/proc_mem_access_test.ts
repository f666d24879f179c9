/**
 * TRC-1023 proc_mem_access: a child's /proc/<pid>/mem opened for reading fires; its maps read, or
 * its mem opened write-only, does not.
 */
import assert from "node:assert/strict";
import { kernelTest } from "../../helpers/kernel.ts";
import { detectWhile, findingsBy, triggerArg } from "../../helpers/detect.ts";
import { pythonSpawn, withChild } from "../../helpers/triggers.ts";

kernelTest("proc_mem_access: a child's memory opened for reading", async () => {
  const { findings, acted } = await detectWhile(
    ["proc_mem_access"],
    () => pythonSpawn(withChild("os.close(os.open(f'/proc/{C}/mem', os.O_RDONLY))")),
  );
  const mine = findingsBy(findings, acted.pid);
  assert.equal(mine.length, 1);
  assert.equal(mine[0]!.metadata?.Properties.signatureID, "TRC-1023");
  assert.equal(triggerArg(mine[0]!, "pathname"), `/proc/${acted.out[0]}/mem`);
});

kernelTest(
  "proc_mem_access near-miss: the child's maps read; its mem opened write-only",
  async () => {
    const { findings, acted } = await detectWhile(
      ["proc_mem_access"],
      () =>
        pythonSpawn(
          withChild(
            "open(f'/proc/{C}/maps').read()\nos.close(os.open(f'/proc/{C}/mem', os.O_WRONLY))",
          ),
        ),
    );
    assert.equal(findingsBy(findings, acted.pid).length, 0);
  },
);
