/**
 * TRC-1026 rcd_modification: a script in /etc/init.d written, and renamed into place, and a
 * program named update-rc.d run, fire; an init script read, a look-alike directory written, or a
 * program named otherwise run, do not. Files are the test's own and removed again.
 *
 * Exec is matched on the program run (sched_process_exec's pathname): Debian's update-rc.d is a
 * perl script, which the kernel runs as /usr/bin/perl, so the test runs a program of that name.
 */
import assert from "node:assert/strict";
import { kernelTest } from "../../helpers/kernel.ts";
import { detectWhile, findingsBy, triggerArg } from "../../helpers/detect.ts";
import { FS_OPS, withTempDir } from "../../helpers/safe_fs.ts";
import { pythonSpawn, runAs } from "../../helpers/triggers.ts";

kernelTest("rcd_modification: an init script written and renamed in; update-rc.d run", async () => {
  const script = `/etc/init.d/tracee-test-${crypto.randomUUID().slice(0, 8)}`;
  await withTempDir(async (dir) => {
    const { findings, acted } = await detectWhile(
      ["rcd_modification"],
      () =>
        pythonSpawn(
          `${FS_OPS}\nopen_for_write('${script}')\nrename_into('${script}', '/etc')\n` +
            runAs(`${dir}/update-rc.d`),
        ),
    );
    const mine = findingsBy(findings, acted.pid);
    assert.equal(mine.length, 2);
    assert.equal(triggerArg(mine[0]!, "pathname"), script);
    assert.equal(triggerArg(mine[1]!, "new_path"), script);
    const ran = findingsBy(findings, Number(acted.out[0]));
    assert.equal(ran.length, 1);
    assert.equal(triggerArg(ran[0]!, "pathname"), `${dir}/update-rc.d`);
    assert.ok([...mine, ...ran].every((f) => f.metadata?.Properties.signatureID === "TRC-1026"));
  });
});

kernelTest(
  "rcd_modification near-miss: init scripts read; a file in /etc written; update-rc run",
  async () => {
    await withTempDir(async (dir) => {
      const { findings, acted } = await detectWhile(
        ["rcd_modification"],
        () =>
          pythonSpawn(
            `${FS_OPS}\nfor f in os.listdir('/etc/init.d'): open('/etc/init.d/' + f, 'rb').read(1)\n` +
              `open_for_write('/etc/tracee-test-%d' % os.getpid())\n` + runAs(`${dir}/update-rc`),
          ),
      );
      assert.equal(findingsBy(findings, acted.pid).length, 0);
      assert.equal(findingsBy(findings, Number(acted.out[0])).length, 0);
    });
  },
);
