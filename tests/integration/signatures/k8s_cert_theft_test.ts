/**
 * TRC-1018 k8s_cert_theft: a key under /etc/kubernetes/pki read, and moved out, fires; the same
 * key read by the kubelet, or written, does not. The key is the test's own; directories it had
 * to make are removed again.
 */
import assert from "node:assert/strict";
import { kernelTest } from "../../helpers/kernel.ts";
import { detectWhile, findingsBy, triggerArg } from "../../helpers/detect.ts";
import { pythonSpawn } from "../../helpers/triggers.ts";
import { FS_OPS } from "../../helpers/safe_fs.ts";

const PKI = "/etc/kubernetes/pki";
const PR_SET_NAME = 15;

/** Makes a key in the pki directory, runs `body` (with KEY set), removes all again. */
function withKey(body: string): string {
  return `${FS_OPS}
KEY = '${PKI}/tracee-test-%d.key' % os.getpid()
made = make_parents(KEY)
try:
    os.close(os.open(KEY, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
${body.split("\n").map((l) => `    ${l}`).join("\n")}
finally:
    if os.path.exists(KEY): os.unlink(KEY)
    remove_dirs(made)
print(KEY)`;
}

kernelTest("k8s_cert_theft: a key read, then moved out of /etc/kubernetes/pki", async () => {
  const { findings, acted } = await detectWhile(
    ["k8s_cert_theft"],
    () =>
      pythonSpawn(
        withKey(
          "open(KEY).read()\nSTOLEN = '/etc/.tracee-test-%d' % os.getpid()\n" +
            "os.rename(KEY, STOLEN)\nos.unlink(STOLEN)",
        ),
      ),
  );
  const key = acted.out[0];
  const mine = findingsBy(findings, acted.pid);
  assert.equal(mine.length, 2);
  assert.ok(mine.every((f) => f.metadata?.Properties.signatureID === "TRC-1018"));
  assert.equal(triggerArg(mine[0]!, "pathname"), key);
  assert.equal(triggerArg(mine[1]!, "old_path"), key);
});

kernelTest("k8s_cert_theft near-miss: the key read by kubelet; the key written", async () => {
  const { findings, acted } = await detectWhile(
    ["k8s_cert_theft"],
    () =>
      pythonSpawn(
        withKey(
          "os.close(os.open(KEY, os.O_WRONLY | os.O_APPEND))\nimport ctypes\n" +
            `ctypes.CDLL(None).prctl(${PR_SET_NAME}, b'kubelet', 0, 0, 0)\nopen(KEY).read()`,
        ),
      ),
  );
  assert.equal(findingsBy(findings, acted.pid).length, 0);
});
