/** TRC-103 ptrace_code_injection: PTRACE_POKEDATA into a traced child fires; PEEKDATA does not. */
import assert from "node:assert/strict";
import { kernelTest } from "../../helpers/kernel.ts";
import { detectWhile, findingsBy, triggerArg } from "../../helpers/detect.ts";
import { pythonSpawn, withChild } from "../../helpers/triggers.ts";

const PTRACE_PEEKDATA = 2;
const PTRACE_POKEDATA = 5;

/** Attaches to a sleeping child, then reads (and with `poke`, writes back) one word of it. */
function tracer(poke: boolean): string {
  return "import ctypes\nlibc = ctypes.CDLL(None)\nlibc.ptrace.restype = ctypes.c_long\n" +
    "libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]\n" +
    "word = ctypes.c_long(0x1122334455667788)\n" +
    withChild(
      [
        "libc.ptrace(16, C, None, None)", // PTRACE_ATTACH
        "os.waitpid(C, 0)",
        // the child is a copy: the word is at the same address there
        `v = libc.ptrace(${PTRACE_PEEKDATA}, C, ctypes.addressof(word), None)`,
        poke ? `libc.ptrace(${PTRACE_POKEDATA}, C, ctypes.addressof(word), v)` : "",
      ].join("\n"),
    );
}

kernelTest("ptrace_code_injection: PTRACE_POKEDATA into a traced child", async () => {
  const { findings, acted } = await detectWhile(
    ["ptrace_code_injection"],
    () => pythonSpawn(tracer(true)),
  );
  const mine = findingsBy(findings, acted.pid);
  assert.equal(mine.length, 1);
  assert.equal(mine[0]!.metadata?.Properties.signatureID, "TRC-103");
  assert.equal(Number(triggerArg(mine[0]!, "request")), PTRACE_POKEDATA);
  assert.equal(Number(triggerArg(mine[0]!, "pid")), Number(acted.out[0]));
});

kernelTest("ptrace_code_injection near-miss: attaching and reading (PEEKDATA) only", async () => {
  const { findings, acted } = await detectWhile(
    ["ptrace_code_injection"],
    () => pythonSpawn(tracer(false)),
  );
  assert.equal(findingsBy(findings, acted.pid).length, 0);
});
