/**
 * TRC-1021 proc_kcore_read: /proc/kcore opened for reading in a container fires; another /proc
 * file read there, or /proc/kcore read on the host, does not. Kernels built without
 * CONFIG_PROC_KCORE have no such file: the trigger then stands one in, on a tmpfs over /proc in
 * its own mount namespace, so that the kernel still resolves the path it opens to /proc/kcore.
 */
import assert from "node:assert/strict";
import { kernelTest } from "../../helpers/kernel.ts";
import { findingsBy, triggerArg } from "../../helpers/detect.ts";
import { detectHeld, privateMountsPython } from "../../helpers/held_trigger.ts";
import { detectInContainer } from "../../helpers/container.ts";

const KCORE = String.raw`
import stat, subprocess
if not os.path.exists('/proc/kcore'):
    subprocess.run(['mount', '-t', 'tmpfs', 'tmpfs', '/proc'], check=True)
    os.mknod('/proc/kcore', 0o400 | stat.S_IFREG)
os.close(os.open('/proc/kcore', os.O_RDONLY))
`;

kernelTest("proc_kcore_read: /proc/kcore opened for reading in a container", async () => {
  const { findings, hostPid } = await detectInContainer(["proc_kcore_read"], KCORE);
  const mine = findingsBy(findings, hostPid);
  assert.equal(mine.length, 1);
  assert.equal(mine[0]!.metadata?.Properties.signatureID, "TRC-1021");
  assert.equal(triggerArg(mine[0]!, "pathname"), "/proc/kcore");
});

kernelTest("proc_kcore_read near-miss: /proc/meminfo read in a container", async () => {
  const { findings, hostPid } = await detectInContainer(
    ["proc_kcore_read"],
    "open('/proc/meminfo').read()",
  );
  assert.equal(findingsBy(findings, hostPid).length, 0);
});

kernelTest("proc_kcore_read near-miss: /proc/kcore opened for reading on the host", async () => {
  const { findings, hostPid } = await detectHeld(
    ["proc_kcore_read"],
    () => privateMountsPython(KCORE),
  );
  assert.equal(findingsBy(findings, hostPid).length, 0);
});
