import assert from "node:assert/strict";
import {
  checkBtfFile,
  coreRelocationCount,
  elfSections,
  ObjectFormatError,
  programSections,
} from "../../src/bpfobject/elf.ts";
import { nonCoreObjectName } from "../../src/bpfobject/select.ts";
import { builtTest, ROOT } from "../helpers/kernel.ts";

const version = (() => {
  try {
    return Deno.readTextFileSync(`${ROOT}dist/VERSION`).trim();
  } catch {
    return "unbuilt";
  }
})();
const NOCORE = `${ROOT}dist/${nonCoreObjectName(Deno.osRelease(), version)}`;
const CORE = `${ROOT}dist/tracee.bpf.core.o`;

builtTest(
  "the non CO-RE object has no CO-RE relocations and only BTF-free program types",
  [NOCORE],
  () => {
    const bytes = Deno.readFileSync(NOCORE);
    const sections = elfSections(bytes);
    assert.equal(coreRelocationCount(bytes, sections), 0);
    const progs = programSections(sections);
    assert.ok(progs.length >= 5, progs.join(" "));
    for (const p of progs) assert.match(p, /^(raw_tracepoint|tracepoint|raw_tp|tp)\//, p);
  },
);

builtTest(
  "the CO-RE object carries CO-RE relocations and its tp_btf program is optional",
  [CORE],
  () => {
    const bytes = Deno.readFileSync(CORE);
    const sections = elfSections(bytes);
    assert.ok(coreRelocationCount(bytes, sections) > 0);
    const progs = programSections(sections);
    for (
      const p of progs.filter((x) =>
        x.includes("tp_btf") || x.includes("fentry") || x.includes("lsm")
      )
    ) {
      assert.ok(p.startsWith("?"), `${p} must be optional (SEC("?..."))`);
    }
  },
);

Deno.test("non-ELF, wrong machine and truncated files are ObjectFormatErrors", () => {
  assert.throws(
    () => elfSections(new TextEncoder().encode("#!/bin/sh\necho hi\n".repeat(10))),
    /not an ELF file/,
  );
  const elf = new Uint8Array(64);
  elf.set([0x7f, 0x45, 0x4c, 0x46, 2, 1]);
  new DataView(elf.buffer).setUint16(18, 62, true); // x86_64
  assert.throws(() => elfSections(elf), /machine 62, not eBPF/);
  new DataView(elf.buffer).setUint16(18, 247, true);
  new DataView(elf.buffer).setUint32(40, 1000, true); // section headers past the end
  new DataView(elf.buffer).setUint16(58, 64, true);
  new DataView(elf.buffer).setUint16(60, 3, true);
  assert.throws(
    () => elfSections(elf),
    (e: unknown) => e instanceof ObjectFormatError && /truncated/.test(e.message),
  );
});

Deno.test("BTF files: raw BTF is checked for magic and length", () => {
  const btf = new Uint8Array(24 + 16);
  const dv = new DataView(btf.buffer);
  dv.setUint16(0, 0xeb9f, true);
  dv.setUint32(4, 24, true);
  dv.setUint32(12, 8, true); // type_len
  dv.setUint32(16, 8, true); // str_off
  dv.setUint32(20, 8, true); // str_len
  assert.doesNotThrow(() => checkBtfFile(btf));
  dv.setUint32(20, 800, true);
  assert.throws(() => checkBtfFile(btf), /truncated BTF/);
  assert.throws(() => checkBtfFile(new Uint8Array(100)), /bad magic/);
});
