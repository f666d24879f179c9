/**
 * TRC-1015 hidden_file_created: a program (ELF) written to a dot-file fires; the same program
 * written to a visible file, or a script written to a dot-file, does not.
 */
import assert from "node:assert/strict";
import { kernelTest } from "../../helpers/kernel.ts";
import { detectWhile, findingsBy, triggerArg } from "../../helpers/detect.ts";
import { pythonSpawn } from "../../helpers/triggers.ts";
import { withTempDir } from "../../helpers/safe_fs.ts";

const copyTrue = (to: string) => `open('${to}', 'wb').write(open('/bin/true', 'rb').read())`;

kernelTest("hidden_file_created: a program copied to a dot-file", async () => {
  await withTempDir(async (dir) => {
    const { findings, acted } = await detectWhile(
      ["hidden_file_created"],
      () => pythonSpawn(copyTrue(`${dir}/.cache-helper`)),
    );
    const mine = findingsBy(findings, acted.pid);
    assert.equal(mine.length, 1);
    assert.equal(mine[0]!.metadata?.Properties.signatureID, "TRC-1015");
    assert.equal(triggerArg(mine[0]!, "pathname"), `${dir}/.cache-helper`);
  });
});

kernelTest(
  "hidden_file_created near-miss: a program to a visible file; a script to a dot-file",
  async () => {
    await withTempDir(async (dir) => {
      const { findings, acted } = await detectWhile(
        ["hidden_file_created"],
        () =>
          pythonSpawn(
            `${
              copyTrue(`${dir}/helper`)
            }\nopen('${dir}/.profile', 'w').write('#!/bin/sh\\necho hi\\n')`,
          ),
      );
      assert.equal(findingsBy(findings, acted.pid).length, 0);
    });
  },
);
