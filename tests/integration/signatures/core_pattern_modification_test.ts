/**
 * TRC-1011 core_pattern_modification: core_pattern opened for writing in a container fires; read
 * in a container, or opened for writing on the host, it does not.
 */
import assert from "node:assert/strict";
import { kernelTest } from "../../helpers/kernel.ts";
import { triggerArg } from "../../helpers/detect.ts";
import { detectHeld, heldPython } from "../../helpers/held_trigger.ts";
import { detectInContainer } from "../../helpers/container.ts";

const CORE_PATTERN = "/proc/sys/kernel/core_pattern";
// opened for writing, nothing written: the setting is unchanged
const OPEN_FOR_WRITE = `os.close(os.open('${CORE_PATTERN}', os.O_WRONLY))`;

kernelTest(
  "core_pattern_modification: core_pattern opened for writing in a container",
  async () => {
    const { findings, hostPid } = await detectInContainer(
      ["core_pattern_modification"],
      OPEN_FOR_WRITE,
    );
    const mine = findings.filter((f) => f.hostProcessId === hostPid);
    assert.equal(mine.length, 1);
    assert.equal(mine[0]!.metadata?.Properties.signatureID, "TRC-1011");
    assert.equal(triggerArg(mine[0]!, "pathname"), CORE_PATTERN);
  },
);

kernelTest("core_pattern_modification near-miss: read in a container", async () => {
  const { findings, hostPid } = await detectInContainer(
    ["core_pattern_modification"],
    `open('${CORE_PATTERN}').read()`,
  );
  assert.equal(findings.filter((f) => f.hostProcessId === hostPid).length, 0);
});

kernelTest("core_pattern_modification near-miss: opened for writing on the host", async () => {
  const { findings, hostPid } = await detectHeld(
    ["core_pattern_modification"],
    () => heldPython(OPEN_FOR_WRITE),
  );
  assert.equal(findings.filter((f) => f.hostProcessId === hostPid).length, 0);
});
