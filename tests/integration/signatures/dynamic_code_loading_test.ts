/** TRC-104 dynamic_code_loading: writable memory made executable fires; R→RX does not. */
import assert from "node:assert/strict";
import { kernelTest } from "../../helpers/kernel.ts";
import { detectWhile, triggerArg } from "../../helpers/detect.ts";
import { pythonSpawn } from "../../helpers/triggers.ts";

const MMAP = "import ctypes\nlibc=ctypes.CDLL(None)\nlibc.mmap.restype=ctypes.c_void_p\n" +
  "libc.mmap.argtypes=[ctypes.c_void_p,ctypes.c_size_t,ctypes.c_int,ctypes.c_int,ctypes.c_int,ctypes.c_long]\n" +
  "libc.mprotect.argtypes=[ctypes.c_void_p,ctypes.c_size_t,ctypes.c_int]\n";

kernelTest(
  "dynamic_code_loading: code written to anonymous memory, then made executable",
  async () => {
    const { findings, acted } = await detectWhile(
      ["dynamic_code_loading"],
      () =>
        pythonSpawn(
          MMAP +
            "m=libc.mmap(None, 4096, 3, 0x22, -1, 0)\nlibc.mprotect(m, 4096, 5)\nprint(hex(m))",
        ),
    );
    // the interpreter itself may do the same with its own memory: look at this region's
    const mine = findings.filter((f) => triggerArg(f, "addr") === acted.out[0]);
    assert.equal(mine.length, 1);
    assert.equal(mine[0]!.hostProcessId, acted.pid);
    assert.equal(mine[0]!.metadata?.Properties.signatureID, "TRC-104");
  },
);

kernelTest("dynamic_code_loading near-miss: read-only memory made executable", async () => {
  const { findings, acted } = await detectWhile(
    ["dynamic_code_loading"],
    () =>
      pythonSpawn(
        MMAP + "m=libc.mmap(None, 4096, 1, 0x22, -1, 0)\nlibc.mprotect(m, 4096, 5)\nprint(hex(m))",
      ),
  );
  assert.equal(findings.filter((f) => triggerArg(f, "addr") === acted.out[0]).length, 0);
});
