/**
 * TRC-1019 docker_abuse: a container connecting to a docker.sock fires; a container connecting to
 * another unix socket, or the host connecting to docker.sock, does not. The sockets are the
 * test's own (no Docker daemon is involved).
 */
import assert from "node:assert/strict";
import { kernelTest } from "../../helpers/kernel.ts";
import { findingsBy, triggerArg } from "../../helpers/detect.ts";
import { detectHeld, heldPython } from "../../helpers/held_trigger.ts";
import { detectInContainer } from "../../helpers/container.ts";
import { withTempDir } from "../../helpers/safe_fs.ts";

/** Listens on a unix socket at `path` and connects to it. */
const connectTo = (path: string) =>
  `import socket\nsrv = socket.socket(socket.AF_UNIX)\nsrv.bind('${path}')\nsrv.listen(1)\n` +
  `socket.socket(socket.AF_UNIX).connect('${path}')`;

kernelTest("docker_abuse: a container connects to a docker.sock", async () => {
  await withTempDir(async (dir) => {
    const { findings, hostPid } = await detectInContainer(
      ["docker_abuse"],
      connectTo(`${dir}/docker.sock`),
    );
    const mine = findingsBy(findings, hostPid);
    assert.equal(mine.length, 1);
    assert.equal(mine[0]!.metadata?.Properties.signatureID, "TRC-1019");
    assert.equal(
      (triggerArg(mine[0]!, "remote_addr") as Record<string, string>).sun_path,
      `${dir}/docker.sock`,
    );
  });
});

kernelTest("docker_abuse near-miss: a container connects to containerd.sock", async () => {
  await withTempDir(async (dir) => {
    const { findings, hostPid } = await detectInContainer(
      ["docker_abuse"],
      connectTo(`${dir}/containerd.sock`),
    );
    assert.equal(findingsBy(findings, hostPid).length, 0);
  });
});

kernelTest("docker_abuse near-miss: the host connects to docker.sock", async () => {
  await withTempDir(async (dir) => {
    const { findings, hostPid } = await detectHeld(
      ["docker_abuse"],
      () => heldPython(connectTo(`${dir}/docker.sock`)),
    );
    assert.equal(findingsBy(findings, hostPid).length, 0);
  });
});
