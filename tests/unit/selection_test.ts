/** The object selection chain's decisions, without a kernel (files in a scratch directory). */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { EmbeddedAssets } from "../../src/bpfobject/assets.ts";
import { nonCoreObjectName, type SelectInput, selectObject } from "../../src/bpfobject/select.ts";
import { TraceeError } from "../../src/errors.ts";
import { setupLogging } from "../../src/log/logger.ts";
import type { OsInfo } from "../../src/osinfo/osinfo.ts";

const os: OsInfo = {
  id: "debian",
  versionId: "12",
  kernelRelease: "6.1.0-9-amd64",
  arch: "x86_64",
  release: new Map(),
};
const core = new Uint8Array([1, 2, 3]);

/** A minimal valid eBPF ELF: header + null section + section-name table. */
function tinyElf(): Uint8Array<ArrayBuffer> {
  const names = new TextEncoder().encode("\0.shstrtab\0");
  const buf = new Uint8Array(64 + names.length + 2 * 64 + 8);
  const dv = new DataView(buf.buffer);
  buf.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
  dv.setUint16(18, 247, true);
  const shoff = 64 + names.length + 8 - ((64 + names.length) % 8);
  dv.setUint32(40, shoff, true);
  dv.setUint16(58, 64, true);
  dv.setUint16(60, 2, true);
  dv.setUint16(62, 1, true);
  buf.set(names, 64);
  dv.setUint32(shoff + 64, 1, true);
  dv.setUint32(shoff + 64 + 4, 3, true);
  dv.setUint32(shoff + 64 + 24, 64, true);
  dv.setUint32(shoff + 64 + 32, names.length, true);
  return buf;
}

function logs(): { lines: Record<string, unknown>[] } {
  const out = { lines: [] as Record<string, unknown>[] };
  setupLogging("debug", {
    writeSync: (p) => {
      for (const l of new TextDecoder().decode(p).trim().split("\n")) out.lines.push(JSON.parse(l));
      return p.length;
    },
  });
  return out;
}

function input(
  dir: string,
  over: Partial<SelectInput> = {},
  btfhub = new Map<string, Uint8Array<ArrayBuffer>>(),
): SelectInput {
  const assets: EmbeddedAssets = { coreObject: core, btfhub, version: "v1.2.3-4-gabc" };
  return {
    vmlinux: false,
    os,
    installPath: join(dir, "install"),
    assets,
    allowInsecure: false,
    ...over,
  };
}

Deno.test("non CO-RE object name: dots become underscores in release and version", () => {
  assert.equal(
    nonCoreObjectName("6.18.44-fc-v669", "v0.1.0-12-gabc1234"),
    "tracee.bpf.6_18_44-fc-v669.v0_1_0-12-gabc1234.o",
  );
});

Deno.test("kernel BTF present: the embedded CO-RE object", async () => {
  const dir = Deno.makeTempDirSync();
  const log = logs();
  const c = await selectObject(input(dir, { vmlinux: true }));
  assert.equal(c.mode, "core");
  assert.equal(c.btfCustomPath, undefined);
  assert.deepEqual(log.lines.map((l) => l.msg), ["BTF", "BPF: using embedded BPF object"]);
});

Deno.test("TRACEE_BPF_FILE wins over CO-RE and carries TRACEE_BTF_FILE", async () => {
  const dir = Deno.makeTempDirSync();
  const obj = join(dir, "x.o");
  Deno.writeFileSync(obj, tinyElf());
  const btf = join(dir, "k.btf");
  const raw = new Uint8Array(24);
  new DataView(raw.buffer).setUint16(0, 0xeb9f, true);
  new DataView(raw.buffer).setUint32(4, 24, true);
  Deno.writeFileSync(btf, raw);
  const log = logs();
  const c = await selectObject(input(dir, { vmlinux: true, bpfFile: obj, btfFile: btf }));
  assert.equal(c.mode, "env");
  assert.equal(c.btfFile, btf);
  // libbpf gets the descriptor vetted, which reads as the file did
  assert.match(c.btfCustomPath!, /^\/proc\/self\/fd\/\d+$/);
  assert.deepEqual(Deno.readFileSync(c.btfCustomPath!), raw);
  c.release();
  assert.deepEqual(log.lines[0], {
    ...log.lines[0],
    msg: "BTF",
    bpfenv: true,
    btfenv: true,
    vmlinux: true,
  });
  assert.equal(log.lines[1]!.msg, "BPF: using BPF object from environment");
});

Deno.test("no kernel BTF, no env, no BTFHub match, nothing installed: error with hint", async () => {
  const dir = Deno.makeTempDirSync();
  logs();
  await assert.rejects(selectObject(input(dir)), (e: unknown) => {
    assert.ok(e instanceof TraceeError);
    assert.equal(
      e.message,
      "BPF: could not load CO-RE eBPF object and could not find non CO-RE object",
    );
    assert.match(
      e.hint!,
      /make install-bpf-nocore.*tracee\.bpf\.6_1_0-9-amd64\.v1_2_3-4-gabc\.o.*TRACEE_BTF_FILE/,
    );
    assert.equal(e.exitCode, 2);
    return true;
  });
});

Deno.test("no kernel BTF: the installed non CO-RE object, after the seed's two lines", async () => {
  const dir = Deno.makeTempDirSync();
  Deno.mkdirSync(join(dir, "install"), { mode: 0o755 });
  const obj = join(dir, "install", nonCoreObjectName(os.kernelRelease, "v1.2.3-4-gabc"));
  Deno.writeFileSync(obj, tinyElf(), { mode: 0o644 });
  const log = logs();
  const c = await selectObject(input(dir));
  assert.equal(c.mode, "nocore");
  assert.deepEqual(log.lines.map((l) => l.msg), [
    "BTF",
    "BPF: no BTF file was found or provided",
    "BPF: trying non CO-RE eBPF",
  ]);
  assert.equal(log.lines[2]!.file, obj);
});

Deno.test("a BTFHub archive is only used for the exact OS, version, arch and kernel", async () => {
  const dir = Deno.makeTempDirSync();
  const archive = new Uint8Array([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0]); // would fail to unpack if chosen
  logs();
  const other = new Map([["debian/11/x86_64/6.1.0-9-amd64", archive]]);
  await assert.rejects(selectObject(input(dir, {}, other)), /could not find non CO-RE object/);
  const same = new Map([["debian/12/x86_64/6.1.0-9-amd64", archive]]);
  await assert.rejects(
    selectObject(input(dir, {}, same)),
    /Cannot unpack the embedded BTFHub archive for 6\.1\.0-9-amd64/,
  );
});
