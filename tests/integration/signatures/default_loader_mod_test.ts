/**
 * TRC-1012 default_loader_mod: a loader-named file (ld-….so.2) in /usr/lib opened for writing and
 * renamed into place fires; the real loader read, or another file in /usr/lib written, does not.
 * The files are the test's own and removed again; the real loader is never opened for writing.
 */
import assert from "node:assert/strict";
import { kernelTest } from "../../helpers/kernel.ts";
import { detectWhile, findingsBy, triggerArg } from "../../helpers/detect.ts";
import { pythonSpawn } from "../../helpers/triggers.ts";
import { FS_OPS } from "../../helpers/safe_fs.ts";

kernelTest(
  "default_loader_mod: a loader in /usr/lib written, then replaced by a rename",
  async () => {
    const loader = `/usr/lib/ld-tracee-test-${crypto.randomUUID().slice(0, 8)}.so.2`;
    const { findings, acted } = await detectWhile(
      ["default_loader_mod"],
      () =>
        pythonSpawn(`${FS_OPS}\nopen_for_write('${loader}')\nrename_into('${loader}', '/usr/lib')`),
    );
    const mine = findingsBy(findings, acted.pid);
    assert.equal(mine.length, 2);
    assert.ok(mine.every((f) => f.metadata?.Properties.signatureID === "TRC-1012"));
    assert.equal(triggerArg(mine[0]!, "pathname"), loader);
    assert.equal(triggerArg(mine[1]!, "new_path"), loader);
  },
);

kernelTest(
  "default_loader_mod near-miss: the loader read; another /usr/lib file written",
  async () => {
    const other = `/usr/lib/tracee-test-${crypto.randomUUID().slice(0, 8)}.conf`;
    const { findings, acted } = await detectWhile(
      ["default_loader_mod"],
      () =>
        pythonSpawn(
          `${FS_OPS}\nopen('/lib64/ld-linux-x86-64.so.2', 'rb').read(4)\nopen_for_write('${other}')`,
        ),
    );
    assert.equal(findingsBy(findings, acted.pid).length, 0);
  },
);
