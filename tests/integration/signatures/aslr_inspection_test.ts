/**
 * TRC-109 aslr_inspection: randomize_va_space read fires; opened for writing (nothing written),
 * or a neighbouring setting read, it does not.
 */
import assert from "node:assert/strict";
import { kernelTest } from "../../helpers/kernel.ts";
import { detectWhile, findingsBy, triggerArg } from "../../helpers/detect.ts";
import { pythonSpawn } from "../../helpers/triggers.ts";

const ASLR = "/proc/sys/kernel/randomize_va_space";

kernelTest("aslr_inspection: randomize_va_space read", async () => {
  const { findings, acted } = await detectWhile(
    ["aslr_inspection"],
    () => pythonSpawn(`open('${ASLR}').read()`),
  );
  const mine = findingsBy(findings, acted.pid);
  assert.equal(mine.length, 1);
  assert.equal(mine[0]!.metadata?.Properties.signatureID, "TRC-109");
  assert.equal(triggerArg(mine[0]!, "pathname"), ASLR);
});

kernelTest("aslr_inspection near-miss: opened write-only; another setting read", async () => {
  const { findings, acted } = await detectWhile(
    ["aslr_inspection"],
    () =>
      pythonSpawn(
        `os.close(os.open('${ASLR}', os.O_WRONLY))\nopen('/proc/sys/kernel/kptr_restrict').read()`,
      ),
  );
  assert.equal(findingsBy(findings, acted.pid).length, 0);
});
