/**
 * TRC-1016 illegitimate_shell: a process named nginx running /bin/sh fires; nginx running another
 * program, or another process running a shell, does not.
 */
import assert from "node:assert/strict";
import { kernelTest } from "../../helpers/kernel.ts";
import { detectWhile, findingsBy, triggerArg } from "../../helpers/detect.ts";
import { pythonSpawn } from "../../helpers/triggers.ts";

const PR_SET_NAME = 15;

/** A child that takes the name `name` (or keeps python's), then runs `program`; prints its pid. */
function child(name: string | undefined, program: string): string {
  return [
    "import ctypes",
    "c = os.fork()",
    "if c == 0:",
    name ? `    ctypes.CDLL(None).prctl(${PR_SET_NAME}, b'${name}', 0, 0, 0)` : "    pass",
    `    os.execv('${program}', ['${program}', '-c', 'true'])`,
    "os.waitpid(c, 0)",
    "print(c)",
  ].join("\n");
}

kernelTest("illegitimate_shell: a process named nginx runs /bin/sh", async () => {
  const { findings, acted } = await detectWhile(
    ["illegitimate_shell"],
    () => pythonSpawn(child("nginx", "/bin/sh")),
  );
  const mine = findingsBy(findings, Number(acted.out[0]));
  assert.equal(mine.length, 1);
  assert.equal(mine[0]!.metadata?.Properties.signatureID, "TRC-1016");
  assert.equal(mine[0]!.processName, "nginx", "the name before the exec");
  assert.match(String(triggerArg(mine[0]!, "pathname")), /\/(sh|dash)$/);
});

kernelTest("illegitimate_shell near-miss: nginx runs /bin/true; python runs /bin/sh", async () => {
  const { findings, acted } = await detectWhile(
    ["illegitimate_shell"],
    () => pythonSpawn(`${child("nginx", "/bin/true")}\n${child(undefined, "/bin/sh")}`),
  );
  assert.equal(acted.out.length, 2);
  for (const pid of acted.out) assert.equal(findingsBy(findings, Number(pid)).length, 0);
});
