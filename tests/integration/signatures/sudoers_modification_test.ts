/**
 * TRC-1028 sudoers_modification: /etc/sudoers opened for writing (nothing written; created and
 * removed again where sudo is not installed) and a file renamed into /etc/sudoers.d fire; files
 * merely named like sudoers written, or sudoers read, do not. The sudoers.d file is named with a
 * dot, which sudo ignores there, and removed again (with the directory, if the test made it).
 */
import assert from "node:assert/strict";
import { kernelTest } from "../../helpers/kernel.ts";
import { detectWhile, findingsBy, triggerArg } from "../../helpers/detect.ts";
import { pythonSpawn } from "../../helpers/triggers.ts";
import { FS_OPS } from "../../helpers/safe_fs.ts";

kernelTest(
  "sudoers_modification: sudoers opened for writing; a file renamed into sudoers.d",
  async () => {
    const dropIn = `/etc/sudoers.d/tracee-test.${crypto.randomUUID().slice(0, 8)}`;
    const { findings, acted } = await detectWhile(
      ["sudoers_modification"],
      () =>
        pythonSpawn(`${FS_OPS}\nopen_for_write('/etc/sudoers')\nrename_into('${dropIn}', '/etc')`),
    );
    const mine = findingsBy(findings, acted.pid);
    assert.equal(mine.length, 2);
    assert.ok(mine.every((f) => f.metadata?.Properties.signatureID === "TRC-1028"));
    assert.equal(triggerArg(mine[0]!, "pathname"), "/etc/sudoers");
    assert.equal(triggerArg(mine[1]!, "new_path"), dropIn);
  },
);

kernelTest(
  "sudoers_modification near-miss: sudoers look-alikes written; sudoers read",
  async () => {
    const tag = crypto.randomUUID().slice(0, 8);
    const { findings, acted } = await detectWhile(
      ["sudoers_modification"],
      () =>
        pythonSpawn(
          `${FS_OPS}\nopen_for_write('/etc/sudoers.tracee-test-${tag}')\n` +
            `open_for_write('/etc/sudoers.dtracee-test-${tag}')\n` +
            "if os.path.exists('/etc/sudoers'): open('/etc/sudoers', 'rb').read(1)",
        ),
    );
    assert.equal(findingsBy(findings, acted.pid).length, 0);
  },
);
