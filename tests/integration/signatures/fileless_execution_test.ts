/** TRC-105 fileless_execution: a program run from a memfd fires; one run from disk does not. */
import assert from "node:assert/strict";
import { kernelTest } from "../../helpers/kernel.ts";
import { detectWhile, triggerArg } from "../../helpers/detect.ts";
import { pythonSpawn } from "../../helpers/triggers.ts";

kernelTest("fileless_execution: /bin/true copied into a memfd and executed from it", async () => {
  const { findings, acted } = await detectWhile(
    ["fileless_execution"],
    () =>
      pythonSpawn(
        "fd=os.memfd_create('payload', 0)\nos.write(fd, open('/bin/true','rb').read())\n" +
          "pid=os.fork()\nif pid==0: os.execv(f'/proc/self/fd/{fd}', ['payload'])\nos.waitpid(pid,0)",
      ),
  );
  assert.equal(findings.length, 1, "one exec from memory");
  const f = findings[0]!;
  assert.notEqual(f.hostProcessId, acted.pid, "the forked child ran it");
  assert.match(String(triggerArg(f, "pathname")), /memfd:payload/);
});

kernelTest("fileless_execution near-miss: the same program run from disk", async () => {
  const { findings } = await detectWhile(
    ["fileless_execution"],
    () =>
      pythonSpawn("pid=os.fork()\nif pid==0: os.execv('/bin/true', ['true'])\nos.waitpid(pid,0)"),
  );
  assert.equal(findings.length, 0);
});
