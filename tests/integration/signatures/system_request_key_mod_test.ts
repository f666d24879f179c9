/**
 * TRC-1031 system_request_key_mod: the SysRq setting opened for writing (nothing written) in a
 * container fires; read there, or opened for writing on the host, it does not. Kernels built
 * without CONFIG_MAGIC_SYSRQ have no such file: the trigger then stands one in, on a tmpfs over
 * /proc/sys/kernel in its own mount namespace, so that the kernel still resolves the path it
 * opens to /proc/sys/kernel/sysrq.
 */
import assert from "node:assert/strict";
import { kernelTest } from "../../helpers/kernel.ts";
import { findingsBy, triggerArg } from "../../helpers/detect.ts";
import { detectHeld, privateMountsPython } from "../../helpers/held_trigger.ts";
import { detectInContainer } from "../../helpers/container.ts";

const SYSRQ = "/proc/sys/kernel/sysrq";
const STAND_IN = String.raw`
import stat, subprocess
if not os.path.exists('${SYSRQ}'):
    subprocess.run(['mount', '-t', 'tmpfs', 'tmpfs', '/proc/sys/kernel'], check=True)
    os.mknod('${SYSRQ}', 0o644 | stat.S_IFREG)
`;
const OPEN_FOR_WRITE = `${STAND_IN}os.close(os.open('${SYSRQ}', os.O_WRONLY))`;

kernelTest("system_request_key_mod: sysrq opened for writing in a container", async () => {
  const { findings, hostPid } = await detectInContainer(["system_request_key_mod"], OPEN_FOR_WRITE);
  const mine = findingsBy(findings, hostPid);
  assert.equal(mine.length, 1);
  assert.equal(mine[0]!.metadata?.Properties.signatureID, "TRC-1031");
  assert.equal(triggerArg(mine[0]!, "pathname"), SYSRQ);
});

kernelTest("system_request_key_mod near-miss: sysrq read in a container", async () => {
  const { findings, hostPid } = await detectInContainer(
    ["system_request_key_mod"],
    `${STAND_IN}open('${SYSRQ}').read()`,
  );
  assert.equal(findingsBy(findings, hostPid).length, 0);
});

kernelTest("system_request_key_mod near-miss: sysrq opened for writing on the host", async () => {
  const { findings, hostPid } = await detectHeld(
    ["system_request_key_mod"],
    () => privateMountsPython(OPEN_FOR_WRITE),
  );
  assert.equal(findingsBy(findings, hostPid).length, 0);
});
