/**
 * TRC-107 ld_preload: a program run with LD_PRELOAD, /etc/ld.so.preload opened for writing, and
 * a file renamed to etc/ld.so.preload in a root filesystem being prepared fire; variables that
 * merely look alike, and reading the file, do not.
 */
import assert from "node:assert/strict";
import { kernelTest } from "../../helpers/kernel.ts";
import { detectWhile, findingData, findingsBy, triggerArg } from "../../helpers/detect.ts";
import { pythonSpawn } from "../../helpers/triggers.ts";
import { FS_OPS, withTempDir } from "../../helpers/safe_fs.ts";

/** Runs /bin/true in a child with `env`; prints the child's pid. */
function runWith(env: Record<string, string>): string {
  return `c = os.fork()\nif c == 0: os.execve('/bin/true', ['true'], ${JSON.stringify(env)})\n` +
    "os.waitpid(c, 0)\nprint(c)";
}

kernelTest("ld_preload: a program run with LD_PRELOAD", async () => {
  const { findings, acted } = await detectWhile(
    ["ld_preload"],
    () => pythonSpawn(runWith({ LD_PRELOAD: "libc.so.6" })),
  );
  const mine = findingsBy(findings, Number(acted.out[0]));
  assert.equal(mine.length, 1);
  assert.equal(mine[0]!.metadata?.Properties.signatureID, "TRC-107");
  assert.equal(findingData(mine[0]!, "LD_PRELOAD"), "LD_PRELOAD=libc.so.6");
  assert.match(String(triggerArg(mine[0]!, "pathname")), /\/true$/);
});

kernelTest("ld_preload: /etc/ld.so.preload opened for writing (unchanged)", async () => {
  const { findings, acted } = await detectWhile(
    ["ld_preload"],
    () => pythonSpawn(`${FS_OPS}\nopen_for_write('/etc/ld.so.preload')`),
  );
  const mine = findingsBy(findings, acted.pid);
  assert.equal(mine.length, 1);
  assert.equal(triggerArg(mine[0]!, "pathname"), "/etc/ld.so.preload");
});

kernelTest("ld_preload: a file renamed to etc/ld.so.preload under another root", async () => {
  await withTempDir(async (root) => {
    Deno.mkdirSync(`${root}/etc`);
    const { findings, acted } = await detectWhile(
      ["ld_preload"],
      () => pythonSpawn(`${FS_OPS}\nrename_into('${root}/etc/ld.so.preload', '${root}')`),
    );
    const mine = findingsBy(findings, acted.pid);
    assert.equal(mine.length, 1);
    assert.equal(triggerArg(mine[0]!, "new_path"), `${root}/etc/ld.so.preload`);
  });
});

kernelTest("ld_preload near-miss: look-alike variables; a preload list read", async () => {
  await withTempDir(async (root) => {
    Deno.mkdirSync(`${root}/etc`);
    Deno.writeTextFileSync(`${root}/etc/ld.so.preload`, "");
    const { findings, acted } = await detectWhile(
      ["ld_preload"],
      () =>
        pythonSpawn(
          `open('${root}/etc/ld.so.preload').read()\n` +
            runWith({ MY_LD_PRELOAD: "libc.so.6", LD_PRELOADED: "1", LD_BIND_NOW: "1" }),
        ),
    );
    assert.equal(findingsBy(findings, acted.pid).length, 0);
    assert.equal(findingsBy(findings, Number(acted.out[0])).length, 0);
  });
});
