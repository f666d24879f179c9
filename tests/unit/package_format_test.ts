/** The package format and the build host facts the packer reads (tools/package). */
import assert from "node:assert/strict";
import { manifestText, PACKAGE_MAGIC, trailer, TRAILER_LEN } from "../../tools/package/manifest.ts";
import { libbpfVersion, parseLdconfig, parseLdd } from "../../tools/package/native_libs.ts";

const SHA = "ab".repeat(32);

Deno.test("manifest: one record per line, files in payload order, modes in octal", () => {
  const text = manifestText({
    exec: "tracee",
    args: ["run", "{}/tracee.js"],
    env: ["DENO_DIR={}/deno-dir"],
    dirs: ["deno-dir", "lib"],
    files: [
      { rel: "tracee", mode: 0o500, size: 10, sha256: SHA },
      { rel: "lib/libbpf.so.1", mode: 0o400, size: 3, sha256: SHA },
    ],
    libbpf: { version: "1.1.2", rel: "lib/libbpf.so.1" },
  });
  assert.equal(
    text,
    [
      "tracee-package 1",
      "exec tracee",
      "arg run",
      "arg {}/tracee.js",
      "env DENO_DIR={}/deno-dir",
      "dir deno-dir",
      "dir lib",
      `file 0500 10 ${SHA} tracee`,
      `file 0400 3 ${SHA} lib/libbpf.so.1`,
      "libbpf 1.1.2 lib/libbpf.so.1",
      "",
    ].join("\n"),
  );
});

Deno.test("manifest: paths leaving the entry, bad env and newlines are refused", () => {
  const base = { exec: "x", args: [], env: [], dirs: [], files: [] };
  for (const bad of ["/abs", "../up", "a/../b", "a//b", "./a", ""]) {
    assert.throws(() => manifestText({ ...base, exec: bad }), /bad path/, bad);
  }
  assert.throws(() => manifestText({ ...base, env: ["no-equals"] }), /bad env/);
  assert.throws(() => manifestText({ ...base, args: ["a\nexec evil"] }), /newline/);
});

Deno.test("trailer: magic then little-endian payload offset, payload size, manifest size", () => {
  const t = trailer(1000, 0x1_0000_0001, 77);
  assert.equal(t.length, TRAILER_LEN);
  assert.equal(new TextDecoder().decode(t.subarray(0, 8)), PACKAGE_MAGIC);
  const dv = new DataView(t.buffer);
  assert.equal(dv.getBigUint64(8, true), 1000n);
  assert.equal(dv.getBigUint64(16, true), 0x1_0000_0001n);
  assert.equal(dv.getBigUint64(24, true), 77n);
});

Deno.test("ldd output: name => path pairs, without the vdso and the loader", () => {
  const libs = parseLdd(
    "\tlinux-vdso.so.1 (0x00007ffd)\n" +
      "\tlibelf.so.1 => /lib/x86_64-linux-gnu/libelf.so.1 (0x00007f39)\n" +
      "\tlibz.so.1 => /lib/x86_64-linux-gnu/libz.so.1 (0x00007f38)\n" +
      "\t/lib64/ld-linux-x86-64.so.2 (0x00007f3a)\n",
  );
  assert.deepEqual(libs, [
    { name: "libelf.so.1", path: "/lib/x86_64-linux-gnu/libelf.so.1" },
    { name: "libz.so.1", path: "/lib/x86_64-linux-gnu/libz.so.1" },
  ]);
});

Deno.test("ldconfig -p: libbpf.so.1 of this architecture; its version from the file name", () => {
  const text = "1234 libs found in cache `/etc/ld.so.cache'\n" +
    "\tlibbpf.so.1 (libc6) => /usr/lib/i386-linux-gnu/libbpf.so.1\n" +
    "\tlibbpf.so.1 (libc6,x86-64) => /lib/x86_64-linux-gnu/libbpf.so.1\n" +
    "\tlibbpf.so (libc6,x86-64) => /lib/x86_64-linux-gnu/libbpf.so\n";
  assert.equal(parseLdconfig(text, "x86-64"), "/lib/x86_64-linux-gnu/libbpf.so.1");
  assert.equal(parseLdconfig(text, "AArch64"), undefined);
  assert.equal(parseLdconfig("\tlibbpf.so (libc6,x86-64) => /x/libbpf.so\n"), undefined);
  assert.equal(libbpfVersion("/usr/lib/x86_64-linux-gnu/libbpf.so.1.1.2"), "1.1.2");
  assert.equal(libbpfVersion("/usr/lib64/libbpf.so.1"), "1");
  assert.equal(libbpfVersion("/usr/lib64/libbpf-1.so"), undefined);
});
