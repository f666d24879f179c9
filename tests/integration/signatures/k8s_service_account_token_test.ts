/**
 * TRC-108 k8s_service_account_token: a pod's token (through its ..data link, as Kubernetes mounts
 * it) read in a container fires; read by kube-proxy there, or read on the host, it does not.
 */
import assert from "node:assert/strict";
import { kernelTest } from "../../helpers/kernel.ts";
import { findingsBy, triggerArg } from "../../helpers/detect.ts";
import { detectHeld, heldPython } from "../../helpers/held_trigger.ts";
import { detectInContainer } from "../../helpers/container.ts";
import { withTempDir } from "../../helpers/safe_fs.ts";

/** A service account volume as the kubelet lays it out; returns the token's path. */
function serviceAccountVolume(root: string): string {
  const dir = `${root}/secrets/kubernetes.io/serviceaccount`;
  const data = `${dir}/..2024_01_01_00_00_00.000000000`;
  Deno.mkdirSync(data, { recursive: true });
  Deno.writeTextFileSync(`${data}/token`, "eyJhbGciOiJSUzI1NiJ9.test.signature");
  Deno.symlinkSync("..2024_01_01_00_00_00.000000000", `${dir}/..data`);
  Deno.symlinkSync("..data/token", `${dir}/token`);
  return `${dir}/token`;
}

/** Runs `fn` with a token in a fresh volume. */
function withToken<T>(fn: (token: string) => Promise<T>): Promise<T> {
  return withTempDir(async (root) => {
    return await fn(serviceAccountVolume(root));
  });
}

const PR_SET_NAME = 15;
const read = (token: string) => `open('${token}').read()`;
const readAs = (name: string, token: string) =>
  `import ctypes\nctypes.CDLL(None).prctl(${PR_SET_NAME}, b'${name}', 0, 0, 0)\n${read(token)}`;

kernelTest("k8s_service_account_token: the token read in a container", async () => {
  await withToken(async (token) => {
    const { findings, hostPid } = await detectInContainer(
      ["k8s_service_account_token"],
      read(token),
    );
    const mine = findingsBy(findings, hostPid);
    assert.equal(mine.length, 1);
    assert.equal(mine[0]!.metadata?.Properties.signatureID, "TRC-108");
    assert.match(
      String(triggerArg(mine[0]!, "pathname")),
      /\/serviceaccount\/\.\.2024_01_01_00_00_00\.000000000\/token$/,
    );
  });
});

kernelTest("k8s_service_account_token near-miss: read by kube-proxy in a container", async () => {
  await withToken(async (token) => {
    const { findings, hostPid } = await detectInContainer(
      ["k8s_service_account_token"],
      readAs("kube-proxy", token),
    );
    assert.equal(findingsBy(findings, hostPid).length, 0);
  });
});

kernelTest("k8s_service_account_token near-miss: the token read on the host", async () => {
  await withToken(async (token) => {
    const { findings, hostPid } = await detectHeld(
      ["k8s_service_account_token"],
      () => heldPython(read(token)),
    );
    assert.equal(findingsBy(findings, hostPid).length, 0);
  });
});
