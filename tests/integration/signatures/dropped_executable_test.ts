/**
 * TRC-1022 dropped_executable: a program (ELF) written to a file in a container fires; one
 * written to shared memory (/dev/shm) there, or to a file on the host, does not.
 */
import assert from "node:assert/strict";
import { kernelTest } from "../../helpers/kernel.ts";
import { findingData, findingsBy } from "../../helpers/detect.ts";
import { detectHeld, heldPython } from "../../helpers/held_trigger.ts";
import { detectInContainer } from "../../helpers/container.ts";

/** Copies /bin/true to `to`, then removes it. */
const drop = (to: string) =>
  `open('${to}', 'wb').write(open('/bin/true', 'rb').read())\nos.unlink('${to}')`;
const unique = () => `tracee-test-${crypto.randomUUID().slice(0, 8)}`;

kernelTest("dropped_executable: a program written to a file in a container", async () => {
  const path = `/tmp/${unique()}`;
  const { findings, hostPid } = await detectInContainer(["dropped_executable"], drop(path));
  const mine = findingsBy(findings, hostPid);
  assert.equal(mine.length, 1);
  assert.equal(mine[0]!.metadata?.Properties.signatureID, "TRC-1022");
  assert.equal(findingData(mine[0]!, "path"), path);
});

kernelTest(
  "dropped_executable near-miss: a program written to /dev/shm in a container",
  async () => {
    const { findings, hostPid } = await detectInContainer(
      ["dropped_executable"],
      drop(`/dev/shm/${unique()}`),
    );
    assert.equal(findingsBy(findings, hostPid).length, 0);
  },
);

kernelTest("dropped_executable near-miss: a program written to a file on the host", async () => {
  const { findings, hostPid } = await detectHeld(
    ["dropped_executable"],
    () => heldPython(drop(`/tmp/${unique()}`)),
  );
  assert.equal(findingsBy(findings, hostPid).length, 0);
});
