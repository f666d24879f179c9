/**
 * TRC-106 cgroup_notify_on_release: the container's own cgroup notify_on_release opened for
 * writing (nothing written) in the container fires; read there, or opened for writing from the
 * host, it does not.
 */
import assert from "node:assert/strict";
import { kernelTest } from "../../helpers/kernel.ts";
import { findingsBy, triggerArg } from "../../helpers/detect.ts";
import { detectHeld, heldPython } from "../../helpers/held_trigger.ts";
import { type FakeContainer, withContainer } from "../../helpers/container.ts";

const notifyFile = (c: FakeContainer) => `${c.cgroup}/notify_on_release`;
const openForWrite = (path: string) => `os.close(os.open('${path}', os.O_WRONLY | os.O_APPEND))`;

kernelTest("cgroup_notify_on_release: opened for writing in a container", async () => {
  await withContainer(async (c) => {
    const { findings, hostPid } = await detectHeld(
      ["cgroup_notify_on_release"],
      () => c.python(openForWrite(notifyFile(c))),
    );
    const mine = findingsBy(findings, hostPid);
    assert.equal(mine.length, 1);
    assert.equal(mine[0]!.metadata?.Properties.signatureID, "TRC-106");
    assert.equal(triggerArg(mine[0]!, "pathname"), notifyFile(c));
  });
});

kernelTest("cgroup_notify_on_release near-miss: read in a container", async () => {
  await withContainer(async (c) => {
    const { findings, hostPid } = await detectHeld(
      ["cgroup_notify_on_release"],
      () => c.python(`open('${notifyFile(c)}').read()`),
    );
    assert.equal(findingsBy(findings, hostPid).length, 0);
  });
});

kernelTest("cgroup_notify_on_release near-miss: opened for writing from the host", async () => {
  await withContainer(async (c) => {
    const { findings, hostPid } = await detectHeld(
      ["cgroup_notify_on_release"],
      () => heldPython(openForWrite(notifyFile(c))),
    );
    assert.equal(findingsBy(findings, hostPid).length, 0);
  });
});
