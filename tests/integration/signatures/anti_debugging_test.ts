/** TRC-102 anti_debugging: PTRACE_TRACEME fires; attaching to another process does not. */
import assert from "node:assert/strict";
import { kernelTest } from "../../helpers/kernel.ts";
import { detectWhile } from "../../helpers/detect.ts";
import { pythonSpawn } from "../../helpers/triggers.ts";

kernelTest("anti_debugging: a process that calls ptrace(PTRACE_TRACEME)", async () => {
  const { findings, acted } = await detectWhile(
    ["anti_debugging"],
    () => pythonSpawn("import ctypes; ctypes.CDLL(None).ptrace(0, 0, 0, 0)"),
  );
  assert.equal(findings.length, 1);
  const f = findings[0]!;
  assert.equal(f.def.name, "anti_debugging");
  assert.equal(f.hostProcessId, acted.pid);
  assert.equal(f.metadata?.Properties.signatureID, "TRC-102");
  assert.equal(f.metadata?.Properties.external_id, "T1622");
});

kernelTest("anti_debugging near-miss: PTRACE_ATTACH to a child is not anti-debugging", async () => {
  const { findings } = await detectWhile(
    ["anti_debugging"],
    () =>
      pythonSpawn(
        "import ctypes,os,time\nc=os.fork()\nif c==0: time.sleep(1); os._exit(0)\n" +
          "ctypes.CDLL(None).ptrace(16, c, 0, 0); os.kill(c, 9); os.waitpid(c, 0)",
      ),
  );
  assert.equal(findings.length, 0);
});
