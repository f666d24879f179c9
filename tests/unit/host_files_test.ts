/** tar reading, kernel config and runtime sockets. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { tarFiles } from "../../src/bpfobject/tar.ts";
import { unxz } from "../../src/bpfobject/btfhub.ts";
import { logAssumedKconfig, parseKconfig, readKernelConfig } from "../../src/osinfo/kconfig.ts";
import { logEnrichers, registerRuntimeSockets } from "../../src/osinfo/runtime_sockets.ts";
import { setupLogging } from "../../src/log/logger.ts";

function sh(cmd: string): void {
  const r = new Deno.Command("sh", { args: ["-c", cmd] }).outputSync();
  if (!r.success) throw new Error(`${cmd}: ${new TextDecoder().decode(r.stderr)}`);
}

Deno.test("tar + xz: the file inside a .tar.xz made by tar -cJf", async () => {
  const dir = Deno.makeTempDirSync();
  Deno.writeTextFileSync(join(dir, "6.1.0-9-amd64.btf"), "BTF-BYTES");
  sh(`tar -C ${dir} -cJf ${dir}/a.tar.xz 6.1.0-9-amd64.btf`);
  const tar = await unxz(Deno.readFileSync(join(dir, "a.tar.xz")));
  const files = tarFiles(tar);
  assert.deepEqual(files.map((f) => [f.name, new TextDecoder().decode(f.data)]), [[
    "6.1.0-9-amd64.btf",
    "BTF-BYTES",
  ]]);
  assert.throws(() => tarFiles(tar.slice(0, 515)), /Cannot read tar archive: truncated/);
});

Deno.test("kconfig: parsed from text, and the two warnings when unreadable", () => {
  const m = parseKconfig('# c\nCONFIG_BPF=y\nCONFIG_KPROBES is not set\nCONFIG_X="s"\n');
  assert.deepEqual([...m], [["CONFIG_BPF", "y"], ["CONFIG_X", "s"]]);
  const lines: Record<string, unknown>[] = [];
  setupLogging("debug", {
    writeSync: (p) => (lines.push(JSON.parse(new TextDecoder().decode(p))), p.length),
  });
  const k = readKernelConfig({
    env: () => undefined,
    kernelRelease: () => "5.4.0-91-generic",
    readBytes: (p) => {
      throw new Deno.errors.NotFound(p);
    },
    exists: () => false,
  });
  assert.equal(k.known, false);
  assert.equal(k.enabled("KPROBES", true), true);
  assert.deepEqual(lines.map((l) => [l.level, l.msg, l.error]), [
    [
      "warn",
      "KConfig: could not check enabled kconfig features",
      "could not read /boot/config-5.4.0-91-generic: stat /boot/config-5.4.0-91-generic: no such file or directory",
    ],
    ["warn", "KConfig: assuming kconfig values, might have unexpected behavior", undefined],
  ]);
});

Deno.test("runtime sockets: seed's debug line per absent default socket, in Tracee's order", () => {
  const lines: Record<string, unknown>[] = [];
  setupLogging("debug", {
    writeSync: (p) => (lines.push(JSON.parse(new TextDecoder().decode(p))), p.length),
  });
  const found = registerRuntimeSockets([], (p) => {
    if (p === "/var/run/docker.sock") return {};
    throw new Deno.errors.NotFound(p);
  });
  assert.deepEqual([...found], [["docker", "/var/run/docker.sock"]]);
  assert.deepEqual(lines.map((l) => [l.msg, l.socket]), [
    ["RuntimeSockets: failed to register default", "containerd"],
    ["RuntimeSockets: registered default", "docker"],
    ["RuntimeSockets: failed to register default", "crio"],
    ["RuntimeSockets: failed to register default", "podman"],
  ]);
  assert.equal(
    lines[0]!.error,
    "failed to register runtime socket stat /var/run/containerd/containerd.sock: no such file or directory",
  );
});

Deno.test("--cri: only the sockets named; cri-o is crio; bad values are one clear error", () => {
  const exists = (p: string) => {
    if (p.startsWith("/run/ok")) return {};
    throw new Deno.errors.NotFound(p);
  };
  assert.deepEqual(
    [...registerRuntimeSockets(["podman:/run/ok/p.sock", "cri-o:/run/ok/c.sock"], exists)],
    [["podman", "/run/ok/p.sock"], ["crio", "/run/ok/c.sock"]],
  );
  for (
    const [value, message] of [
      ["podman", /expected <runtime>:<socket path>/],
      ["rkt:/run/ok/x", /unknown runtime 'rkt'/],
      [
        "podman:/run/none.sock",
        /Cannot use --cri 'podman:\/run\/none.sock': stat \/run\/none.sock: no such file/,
      ],
    ] as const
  ) {
    assert.throws(() => registerRuntimeSockets([value], exists), message);
  }
});

Deno.test("seed's Enricher lines: containerd, crio, docker when absent; containerd has no client", () => {
  const lines: Record<string, unknown>[] = [];
  setupLogging("debug", {
    writeSync: (p) => (lines.push(JSON.parse(new TextDecoder().decode(p))), p.length),
  });
  logEnrichers(new Map());
  assert.deepEqual(lines.map((l) => [l.level, l.msg, l.error]), [
    ["debug", "Enricher", "error registering enricher: unsupported runtime containerd"],
    ["debug", "Enricher", "error registering enricher: unsupported runtime crio"],
    ["debug", "Enricher", "error registering enricher: unsupported runtime docker"],
  ]);
  lines.length = 0;
  logEnrichers(new Map([["docker", "/d.sock"], ["podman", "/p.sock"], ["containerd", "/c.sock"]]));
  assert.deepEqual(lines.map((l) => l.error), [
    "error registering enricher: containerd serves only gRPC, which tracee has no client for (its containers keep their ids only)",
    "error registering enricher: unsupported runtime crio",
  ]);
});

Deno.test("seed's closing KConfig debug line only when the config was not found", () => {
  const lines: Record<string, unknown>[] = [];
  setupLogging("debug", {
    writeSync: (p) => (lines.push(JSON.parse(new TextDecoder().decode(p))), p.length),
  });
  const host = (found: boolean) => ({
    env: () => undefined,
    kernelRelease: () => "6.1.0",
    readBytes: (p: string) => {
      if (found) return new TextEncoder().encode("CONFIG_BPF=y\n");
      throw new Deno.errors.NotFound(p);
    },
    exists: () => false,
  });
  logAssumedKconfig(readKernelConfig(host(true)));
  assert.equal(lines.length, 0);
  logAssumedKconfig(readKernelConfig(host(false)));
  const last = lines.at(-1)!;
  assert.deepEqual([last.level, last.msg], [
    "debug",
    "KConfig: warning: assuming kconfig values, might have unexpected behavior",
  ]);
  assert.equal(lines.length, 3, "the two warnings, then the closing debug line");
});
