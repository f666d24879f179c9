/**
 * TRC-1010 cgroup_release_agent: the hierarchy's release_agent opened for writing (nothing
 * written), and a file renamed to release_agent, in a container fire; release_agent read there,
 * or opened for writing from the host, does not.
 */
import assert from "node:assert/strict";
import { kernelTest } from "../../helpers/kernel.ts";
import { findingsBy, triggerArg } from "../../helpers/detect.ts";
import { detectHeld, heldPython } from "../../helpers/held_trigger.ts";
import { type FakeContainer, withContainer } from "../../helpers/container.ts";
import { FS_OPS, withTempDir } from "../../helpers/safe_fs.ts";

/** release_agent is in the root of a cgroup v1 hierarchy: the one holding the container's. */
const agentFile = (c: FakeContainer) =>
  `${c.cgroup.slice(0, c.cgroup.lastIndexOf("/"))}/release_agent`;
const openForWrite = (path: string) => `os.close(os.open('${path}', os.O_WRONLY | os.O_APPEND))`;

kernelTest("cgroup_release_agent: opened for writing, and renamed to, in a container", async () => {
  await withTempDir(async (dir) => {
    await withContainer(async (c) => {
      const { findings, hostPid } = await detectHeld(
        ["cgroup_release_agent"],
        () =>
          c.python(
            `${FS_OPS}\n${
              openForWrite(agentFile(c))
            }\nrename_into('${dir}/release_agent', '${dir}')`,
          ),
      );
      const mine = findingsBy(findings, hostPid);
      assert.equal(mine.length, 2);
      assert.ok(mine.every((f) => f.metadata?.Properties.signatureID === "TRC-1010"));
      assert.equal(triggerArg(mine[0]!, "pathname"), agentFile(c));
      assert.equal(triggerArg(mine[1]!, "new_path"), `${dir}/release_agent`);
    });
  });
});

kernelTest("cgroup_release_agent near-miss: read in a container", async () => {
  await withContainer(async (c) => {
    const { findings, hostPid } = await detectHeld(
      ["cgroup_release_agent"],
      () => c.python(`open('${agentFile(c)}').read()`),
    );
    assert.equal(findingsBy(findings, hostPid).length, 0);
  });
});

kernelTest("cgroup_release_agent near-miss: opened for writing from the host", async () => {
  await withContainer(async (c) => {
    const { findings, hostPid } = await detectHeld(
      ["cgroup_release_agent"],
      () => heldPython(openForWrite(agentFile(c))),
    );
    assert.equal(findingsBy(findings, hostPid).length, 0);
  });
});
