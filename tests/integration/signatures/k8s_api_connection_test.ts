/**
 * TRC-1013 k8s_api_connection: a container given KUBERNETES_SERVICE_HOST connecting to that
 * address fires; connecting elsewhere, or the same on the host, does not.
 */
import assert from "node:assert/strict";
import { kernelTest } from "../../helpers/kernel.ts";
import { findingData, findingsBy, triggerArg } from "../../helpers/detect.ts";
import { detectHeld, heldPython } from "../../helpers/held_trigger.ts";
import { detectInContainer } from "../../helpers/container.ts";

/** A loopback address of its own for each run (connections to it are refused at once). */
function apiServer(): string {
  const [a, b, c] = crypto.getRandomValues(new Uint8Array(3));
  return `127.${a}.${b}.${(c! % 250) + 2}`;
}

const connect = (ip: string) =>
  `import socket\ns = socket.socket()\ntry: s.connect(('${ip}', 443))\nexcept OSError: pass`;

kernelTest("k8s_api_connection: a container connects to its KUBERNETES_SERVICE_HOST", async () => {
  const ip = apiServer();
  const { findings, hostPid } = await detectInContainer(["k8s_api_connection"], connect(ip), {
    env: { KUBERNETES_SERVICE_HOST: ip },
  });
  const mine = findingsBy(findings, hostPid);
  assert.equal(mine.length, 1);
  assert.equal(mine[0]!.metadata?.Properties.signatureID, "TRC-1013");
  assert.equal(findingData(mine[0]!, "ip"), ip);
  assert.equal(
    (triggerArg(mine[0]!, "remote_addr") as Record<string, string>).sin_addr,
    ip,
  );
});

kernelTest("k8s_api_connection near-miss: a container connects to another address", async () => {
  const ip = apiServer();
  const { findings, hostPid } = await detectInContainer(
    ["k8s_api_connection"],
    connect(apiServer()),
    { env: { KUBERNETES_SERVICE_HOST: ip } },
  );
  assert.equal(findingsBy(findings, hostPid).length, 0);
});

kernelTest("k8s_api_connection near-miss: the same on the host", async () => {
  const ip = apiServer();
  const { findings, hostPid } = await detectHeld(
    ["k8s_api_connection"],
    () => heldPython(connect(ip), { env: { KUBERNETES_SERVICE_HOST: ip } }),
  );
  assert.equal(findingsBy(findings, hostPid).length, 0);
});
