/** `tracee version` / `--version`: parsed the same way, printing what the tool carries. */
import assert from "node:assert/strict";
import type { EmbeddedAssets } from "../../src/bpfobject/assets.ts";
import { parseArgs } from "../../src/cli/flags.ts";
import { versionText } from "../../src/cli/version.ts";

Deno.test("version, --version and -v all ask for the version text", () => {
  for (const argv of [["version"], ["--version"], ["-v"]]) {
    assert.deepEqual(parseArgs(argv, "v1.2.3"), { command: "version" }, argv.join(" "));
  }
  assert.throws(() => parseArgs(["version", "extra"]), /Cannot parse flags: too many arguments/);
});

const core = new Uint8Array([1, 2, 3]);
const packaged: EmbeddedAssets = {
  coreObject: core,
  btfhub: new Map([
    ["ubuntu/20.04/x86_64/5.4.0-91-generic", new Uint8Array(10)],
    ["debian/12/x86_64/6.1.0-18-amd64", new Uint8Array(7)],
  ]),
  version: "v1.2.3-4-gabc",
  packaging: {
    format: "self-extracting, bundled script",
    libbpf: { version: "1.1.2", libraries: ["libelf.so.1", "libz.so.1"] },
  },
};

Deno.test("version text of the packaged tool: every embedded asset, libbpf embedded and in use", async () => {
  const text = await versionText(packaged, {
    execPath: "/var/cache/tracee/0123456789abcdef0123456789abcdef/tracee",
    libbpfPath: "/var/cache/tracee/0123456789abcdef0123456789abcdef/lib/libbpf.so.1",
  });
  assert.deepEqual(text.split("\n"), [
    "tracee v1.2.3-4-gabc",
    `deno ${Deno.version.deno} (v8 ${Deno.version.v8}, typescript ${Deno.version.typescript})`,
    "package: self-extracting, bundled script, running from /var/cache/tracee/0123456789abcdef0123456789abcdef",
    // sha256 of 01 02 03
    "eBPF object: tracee.bpf.core.o (CO-RE), 3 bytes, sha256 039058c6f2c0cb49",
    "BTFHub archives: 2",
    "  debian/12/x86_64/6.1.0-18-amd64 (7 bytes)",
    "  ubuntu/20.04/x86_64/5.4.0-91-generic (10 bytes)",
    "libbpf: 1.1.2 embedded with libelf.so.1, libz.so.1, used when the host has no libbpf.so.1 >= 1.1.2",
    "libbpf in use: /var/cache/tracee/0123456789abcdef0123456789abcdef/lib/libbpf.so.1",
  ]);
});

Deno.test("version text run from source: no package, no object, the host's libbpf", async () => {
  const text = await versionText(
    { coreObject: undefined, btfhub: new Map(), version: "v0.0.0-dev" },
    { execPath: "/src/node_modules/deno/deno", libbpfPath: undefined },
  );
  assert.match(text, /^package: none \(run from source by \/src\/node_modules\/deno\/deno\)$/m);
  assert.match(text, /^eBPF object: none embedded$/m);
  assert.match(text, /^BTFHub archives: 0$/m);
  assert.doesNotMatch(text, /embedded with/);
  assert.match(text, /^libbpf in use: libbpf\.so\.1 from the host's library path$/m);
});
