/**
 * TRC-1017 kernel_module_loading: init_module(2) fires (with an image the kernel refuses: nothing
 * is loaded); reading a module file does not. finit_module loads are seen through
 * security_kernel_read_file, a kprobe event (tests/unit/signatures_builtin_test.ts).
 */
import assert from "node:assert/strict";
import { kernelTest } from "../../helpers/kernel.ts";
import { detectWhile, findingsBy } from "../../helpers/detect.ts";
import { pythonSpawn } from "../../helpers/triggers.ts";
import { withTempDir } from "../../helpers/safe_fs.ts";

const SYS_INIT_MODULE = 175;

kernelTest("kernel_module_loading: init_module with an image the kernel refuses", async () => {
  const { findings, acted } = await detectWhile(
    ["kernel_module_loading"],
    () =>
      pythonSpawn(
        "import ctypes\nimage = b'\\x7fELF' + bytes(60)\n" +
          `print(ctypes.CDLL(None).syscall(${SYS_INIT_MODULE}, image, len(image), b''))`,
      ),
  );
  assert.equal(acted.out[0], "-1", "the kernel refused it");
  const mine = findingsBy(findings, acted.pid);
  assert.equal(mine.length, 1);
  assert.equal(mine[0]!.metadata?.Properties.signatureID, "TRC-1017");
  const by = mine[0]!.args.find((a) => a.name === "triggeredBy")!.value as { name: string };
  assert.equal(by.name, "init_module");
});

kernelTest("kernel_module_loading near-miss: a module file read", async () => {
  await withTempDir(async (dir) => {
    Deno.writeFileSync(`${dir}/helper.ko`, new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]));
    const { findings, acted } = await detectWhile(
      ["kernel_module_loading"],
      () => pythonSpawn(`open('${dir}/helper.ko', 'rb').read()`),
    );
    assert.equal(findingsBy(findings, acted.pid).length, 0);
  });
});
