/**
 * TRC-1025 process_vm_write_inject: process_vm_writev into a child's memory fires; into the
 * caller's own memory it does not.
 */
import assert from "node:assert/strict";
import { kernelTest } from "../../helpers/kernel.ts";
import { detectWhile, findingsBy, triggerArg } from "../../helpers/detect.ts";
import { pythonSpawn, withChild } from "../../helpers/triggers.ts";

/** Writes a buffer's own bytes to the same address in process `target` (a fork: same layout). */
const vmWrite = (target: string) =>
  String.raw`
import ctypes
class iovec(ctypes.Structure):
    _fields_ = [('base', ctypes.c_void_p), ('len', ctypes.c_size_t)]
buf = ctypes.create_string_buffer(b'payload!')
iov = iovec(ctypes.addressof(buf), len(buf))
libc = ctypes.CDLL(None, use_errno=True)
n = libc.process_vm_writev(${target}, ctypes.byref(iov), 1, ctypes.byref(iov), 1, 0)
assert n == len(buf), ctypes.get_errno()
`;

kernelTest("process_vm_write_inject: process_vm_writev into a child", async () => {
  const { findings, acted } = await detectWhile(
    ["process_vm_write_inject"],
    () => pythonSpawn(withChild(vmWrite("C"))),
  );
  const mine = findingsBy(findings, acted.pid);
  assert.equal(mine.length, 1);
  assert.equal(mine[0]!.metadata?.Properties.signatureID, "TRC-1025");
  assert.equal(Number(triggerArg(mine[0]!, "pid")), Number(acted.out[0]));
});

kernelTest("process_vm_write_inject near-miss: process_vm_writev into itself", async () => {
  const { findings, acted } = await detectWhile(
    ["process_vm_write_inject"],
    () => pythonSpawn(vmWrite("os.getpid()")),
  );
  assert.equal(findingsBy(findings, acted.pid).length, 0);
});
