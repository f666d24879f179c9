/**
 * TRC-1027 scheduled_task_mod: /etc/crontab opened for writing (nothing written), a file renamed
 * into /etc/cron.d, and a program named crontab run, fire; a cron.d look-alike under another
 * root, the cron.d directory read, or a program named otherwise run, do not. Files are the
 * test's own (named with a dot, which cron ignores in cron.d) and removed again.
 */
import assert from "node:assert/strict";
import { kernelTest } from "../../helpers/kernel.ts";
import { detectWhile, findingsBy, triggerArg } from "../../helpers/detect.ts";
import { pythonSpawn, runAs } from "../../helpers/triggers.ts";
import { FS_OPS, withTempDir } from "../../helpers/safe_fs.ts";

kernelTest(
  "scheduled_task_mod: crontab opened for writing; a job renamed into cron.d; crontab run",
  async () => {
    const job = `/etc/cron.d/tracee-test.${crypto.randomUUID().slice(0, 8)}`;
    await withTempDir(async (dir) => {
      const { findings, acted } = await detectWhile(
        ["scheduled_task_mod"],
        () =>
          pythonSpawn(
            `${FS_OPS}\nopen_for_write('/etc/crontab')\nrename_into('${job}', '/etc')\n` +
              runAs(`${dir}/crontab`),
          ),
      );
      const mine = findingsBy(findings, acted.pid);
      assert.equal(mine.length, 2);
      assert.equal(triggerArg(mine[0]!, "pathname"), "/etc/crontab");
      assert.equal(triggerArg(mine[1]!, "new_path"), job);
      const ran = findingsBy(findings, Number(acted.out[0]));
      assert.equal(ran.length, 1);
      assert.equal(triggerArg(ran[0]!, "pathname"), `${dir}/crontab`);
      assert.ok([...mine, ...ran].every((f) => f.metadata?.Properties.signatureID === "TRC-1027"));
    });
  },
);

kernelTest(
  "scheduled_task_mod near-miss: cron.d under another root; cron.d read; crontabs run",
  async () => {
    await withTempDir(async (dir) => {
      Deno.mkdirSync(`${dir}/etc/cron.d`, { recursive: true });
      const { findings, acted } = await detectWhile(
        ["scheduled_task_mod"],
        () =>
          pythonSpawn(
            `${FS_OPS}\nrename_into('${dir}/etc/cron.d/job', '${dir}')\nos.listdir('/etc/cron.d')\n` +
              runAs(`${dir}/crontabs`),
          ),
      );
      assert.equal(findingsBy(findings, acted.pid).length, 0);
      assert.equal(findingsBy(findings, Number(acted.out[0])).length, 0);
    });
  },
);
