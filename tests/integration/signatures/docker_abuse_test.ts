/**
 * TRC-1019 docker_abuse: a container connecting to a docker.sock fires; a container connecting to
 * another unix socket, or the host connecting to docker.sock, does not. The sockets are the
 * test's own (no Docker daemon is involved).
 */
import assert from "node:assert/strict";
import { kernelTest } from "../../helpers/kernel.ts";
import { findingsBy, triggerArg } from "../../helpers/detect.ts";
import { detectHeld, heldPython } from "../../helpers/held_trigger.ts";
import { withContainer } from "../../helpers/container.ts";

/** Listens on a unix socket at `path` and connects to it. */
const connectTo = (path: string) =>
  `import socket\nsrv = socket.socket(socket.AF_UNIX)\nsrv.bind('${path}')\nsrv.listen(1)\n` +
  `socket.socket(socket.AF_UNIX).connect('${path}')`;

/** Runs `fn` with a fresh directory. */
async function inTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = Deno.makeTempDirSync({ prefix: "tracee-test-" });
  try {
    return await fn(dir);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

kernelTest("docker_abuse: a container connects to a docker.sock", async () => {
  await inTempDir(async (dir) => {
    const { findings, hostPid } = await withContainer((c) =>
      detectHeld(["docker_abuse"], () => c.python(connectTo(`${dir}/docker.sock`)))
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
  await inTempDir(async (dir) => {
    const { findings, hostPid } = await withContainer((c) =>
      detectHeld(["docker_abuse"], () => c.python(connectTo(`${dir}/containerd.sock`)))
    );
    assert.equal(findingsBy(findings, hostPid).length, 0);
  });
});

kernelTest("docker_abuse near-miss: the host connects to docker.sock", async () => {
  await inTempDir(async (dir) => {
    const { findings, hostPid } = await detectHeld(
      ["docker_abuse"],
      () => heldPython(connectTo(`${dir}/docker.sock`)),
    );
    assert.equal(findingsBy(findings, hostPid).length, 0);
  });
});
