/**
 * The eBPF object selection chain (seeds 000/001), each case on the kernel as that user would
 * see it: BTF visible or hidden (private mount namespace), env variables, BTFHub, non CO-RE.
 * "Events flow" means a real openat triggered here is decoded with its path and -ENOENT.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { nonCoreObjectName } from "../../src/bpfobject/select.ts";
import { DEFAULT_RUNTIME_SOCKETS } from "../../src/osinfo/runtime_sockets.ts";
import { pathExists } from "../../src/path_exists.ts";
import {
  kernelTest,
  ourKernelObjectsAfterRelease,
  ROOT,
  trigger,
  uniqueName,
} from "../helpers/kernel.ts";
import { hideBtf, runTracee, TraceeProcess, type TraceeResult } from "../helpers/tracee_process.ts";

const VERSION = Deno.readTextFileSync(`${ROOT}dist/VERSION`).trim();
const NOCORE_BUILT = `${ROOT}dist/${nonCoreObjectName(Deno.osRelease(), VERSION)}`;

/** A root-owned 0700 scratch directory (a trusted place for files). */
function scratch(): string {
  return Deno.makeTempDirSync({ prefix: "tracee-sel-" });
}

/** os-release of an OS no BTFHub archive is embedded for. */
function foreignOsRelease(dir: string): string {
  const p = join(dir, "os-release");
  Deno.writeTextFileSync(p, 'ID=nosuchos\nVERSION_ID="1.0"\n');
  return p;
}

/** Installs the built non CO-RE object into `dir` as tracee expects to find it. */
function installNonCore(dir: string, mode = 0o644): string {
  const p = join(dir, nonCoreObjectName(Deno.osRelease(), VERSION));
  Deno.copyFileSync(NOCORE_BUILT, p);
  Deno.chmodSync(p, mode);
  return p;
}

interface Flow {
  logs: Record<string, unknown>[];
  msgs: string[];
}

/** Starts tracee, triggers a real openat, checks it is decoded, stops; returns the logs. */
async function eventsFlow(
  args: string[],
  env: Record<string, string>,
  wrap: string[] = [],
): Promise<Flow> {
  const name = uniqueName("sel");
  const path = `/tmp/${name}`;
  const t = new TraceeProcess(
    ["--output", "json", "--events", "openat", "--log", "debug", ...args],
    env,
    wrap,
  );
  try {
    await t.ready();
    assert.equal(trigger("cat", [path]).code, 1);
    const line = await t.waitFor("stdout", (l) => l.includes(name));
    const e = JSON.parse(line);
    assert.equal(e.eventName, "openat");
    assert.equal(e.processName, "cat");
    assert.equal(e.returnValue, -2);
    assert.equal(e.args.find((a: { name: string }) => a.name === "pathname").value, path);
  } finally {
    const st = await t.stop();
    assert.equal(st.code, 0, t.stderrLines.join("\n"));
  }
  assert.deepEqual(
    await ourKernelObjectsAfterRelease(t.held),
    { progs: [], links: 0 },
    "nothing of ours left",
  );
  const logs = t.stderrLines.filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
  return { logs, msgs: logs.map((l) => String(l.msg)) };
}

function btfLine(f: Flow): unknown {
  const l = f.logs.find((x) => x.msg === "BTF")!;
  return { bpfenv: l.bpfenv, btfenv: l.btfenv, vmlinux: l.vmlinux };
}

/** Exit 2, the error as the first line, an optional hint line, no stack trace. */
function assertRefused(r: TraceeResult, re: RegExp): void {
  assert.equal(r.code, 2, r.stderr);
  const lines = r.stderr.trim().split("\n").filter((l) => !l.startsWith("{"));
  assert.match(lines[0]!, re);
  assert.ok(lines.length <= 2 && (lines.length === 1 || lines[1]!.startsWith("hint: ")), r.stderr);
  assert.doesNotMatch(r.stderr, /\n\s+at |Stack backtrace/);
}

kernelTest("(a) BTF visible: the embedded CO-RE object, events flow", async () => {
  const f = await eventsFlow([], {});
  assert.deepEqual(btfLine(f), { bpfenv: false, btfenv: false, vmlinux: true });
  assert.ok(f.msgs.includes("BPF: using embedded BPF object"));
});

kernelTest(
  "(b) BTF hidden + TRACEE_BTF_FILE: CO-RE with the external BTF, events flow",
  async () => {
    const dir = scratch();
    const btf = join(dir, "vmlinux.btf");
    Deno.copyFileSync("/sys/kernel/btf/vmlinux", btf);
    const f = await eventsFlow(
      ["--install-path", join(dir, "install")],
      { TRACEE_BTF_FILE: btf },
      hideBtf(),
    );
    assert.deepEqual(btfLine(f), { bpfenv: false, btfenv: true, vmlinux: false });
    const used = f.logs.find((l) => l.msg === "BTF: using BTF file from environment");
    assert.equal(used?.file, btf);
    assert.ok(
      f.msgs.indexOf("BPF: using embedded BPF object") >
        f.msgs.indexOf("BTF: using BTF file from environment"),
    );
    Deno.removeSync(dir, { recursive: true });
  },
);

kernelTest(
  "(c) BTF hidden, this kernel in the embedded BTFHub: unpacked and used, events flow",
  async () => {
    const dir = scratch();
    const install = join(dir, "install");
    const f = await eventsFlow(["--install-path", install], {}, hideBtf());
    assert.deepEqual(btfLine(f), { bpfenv: false, btfenv: false, vmlinux: false });
    const line = f.logs.find((l) => l.msg === "BTF: using BTF file from embedded btfhub");
    assert.equal(line?.file, join(install, `${Deno.osRelease()}.btf`));
    const st = Deno.statSync(join(install, `${Deno.osRelease()}.btf`));
    assert.equal(st.mode! & 0o777, 0o644);
    assert.equal(Deno.statSync(install).mode! & 0o777, 0o755);
    // the optional tp_btf program is off without kernel BTF; the events still flow
    assert.ok(!f.msgs.includes("BPF: trying non CO-RE eBPF"));
    Deno.removeSync(dir, { recursive: true });
  },
);

kernelTest(
  "(d) BTF hidden, OS not in BTFHub, non CO-RE installed: the seed's two lines, events flow",
  async () => {
    const dir = scratch();
    const install = join(dir, "install");
    Deno.mkdirSync(install, { mode: 0o755 });
    Deno.chmodSync(install, 0o755);
    const obj = installNonCore(install);
    const f = await eventsFlow(["--install-path", install], {
      LIBBPFGO_OSRELEASE_FILE: foreignOsRelease(dir),
    }, hideBtf());
    assert.deepEqual(btfLine(f), { bpfenv: false, btfenv: false, vmlinux: false });
    const i = f.msgs.indexOf("BPF: no BTF file was found or provided");
    assert.ok(i > 0);
    assert.equal(f.msgs[i + 1], "BPF: trying non CO-RE eBPF");
    assert.equal(f.logs[i + 1]!.file, obj);
    Deno.removeSync(dir, { recursive: true });
  },
);

kernelTest("(e) as (d) with nothing installed: the error, the hint, exit 2", () => {
  const dir = scratch();
  const r = runTracee(["--install-path", join(dir, "empty"), "--events", "openat"], {
    LIBBPFGO_OSRELEASE_FILE: foreignOsRelease(dir),
  }, { wrap: hideBtf() });
  assertRefused(r, /^BPF: could not load CO-RE eBPF object and could not find non CO-RE object$/);
  assert.match(r.stderr, /^hint: .*make install-bpf-nocore.*TRACEE_BTF_FILE/m);
  Deno.removeSync(dir, { recursive: true });
});

kernelTest("(f) TRACEE_BPF_FILE with BTF visible: that object is used, events flow", async () => {
  const dir = scratch();
  const obj = join(dir, "custom.bpf.o");
  Deno.copyFileSync(NOCORE_BUILT, obj);
  const f = await eventsFlow([], { TRACEE_BPF_FILE: obj });
  assert.deepEqual(btfLine(f), { bpfenv: true, btfenv: false, vmlinux: true });
  assert.equal(f.logs.find((l) => l.msg === "BPF: using BPF object from environment")?.file, obj);
  assert.ok(!f.msgs.includes("BPF: using embedded BPF object"));
  Deno.removeSync(dir, { recursive: true });
});

kernelTest("TRACEE_BPF_FILE that cannot be opened: one line, exit 2", () => {
  const r = runTracee(["--events", "openat"], { TRACEE_BPF_FILE: "/nonexistent/tracee.bpf.o" });
  assertRefused(r, /could not open TRACEE_BPF_FILE \/nonexistent\/tracee\.bpf\.o$/);
});

kernelTest(
  "(g) a world-writable object is refused with the fix; --allow-insecure-bpf-file overrides",
  async () => {
    const dir = scratch();
    const obj = join(dir, "ww.bpf.o");
    Deno.copyFileSync(NOCORE_BUILT, obj);
    Deno.chmodSync(obj, 0o666);
    const r = runTracee(["--events", "openat"], { TRACEE_BPF_FILE: obj });
    assertRefused(r, new RegExp(`^Cannot load eBPF object ${obj}: it is world-writable$`));
    assert.match(r.stderr, /hint: .*chmod 0644.*--allow-insecure-bpf-file/);

    const f = await eventsFlow(["--allow-insecure-bpf-file"], { TRACEE_BPF_FILE: obj });
    const warn = f.logs.find((l) => l.level === "warn" && String(l.msg).includes("insecure"));
    assert.equal(warn?.file, obj);
    Deno.removeSync(dir, { recursive: true });
  },
);

kernelTest("(g) a non CO-RE object in a world-writable install path is refused", () => {
  const dir = scratch();
  const install = join(dir, "install");
  Deno.mkdirSync(install);
  installNonCore(install);
  Deno.chmodSync(install, 0o777);
  const r = runTracee(["--install-path", install, "--events", "openat"], {
    LIBBPFGO_OSRELEASE_FILE: foreignOsRelease(dir),
  }, { wrap: hideBtf() });
  assertRefused(r, /^Cannot load eBPF object .*: its directory .* is world-writable$/);
  Deno.removeSync(dir, { recursive: true });
});

kernelTest(
  "(h) garbage and truncated objects, and a garbage BTF file, are one clear error each",
  () => {
    const dir = scratch();
    const garbage = join(dir, "garbage.o");
    Deno.writeFileSync(garbage, crypto.getRandomValues(new Uint8Array(4096)));
    assertRefused(
      runTracee(["-e", "openat"], { TRACEE_BPF_FILE: garbage }),
      /^Cannot load eBPF object .*garbage\.o: not an ELF file$/,
    );

    const truncated = join(dir, "truncated.o");
    Deno.writeFileSync(truncated, Deno.readFileSync(NOCORE_BUILT).slice(0, 2000));
    assertRefused(
      runTracee(["-e", "openat"], { TRACEE_BPF_FILE: truncated }),
      /^Cannot load eBPF object .*truncated\.o: truncated/,
    );

    const btf = join(dir, "garbage.btf");
    Deno.writeFileSync(btf, new TextEncoder().encode("this is not BTF at all, not even close"));
    assertRefused(
      runTracee(["-e", "openat"], { TRACEE_BTF_FILE: btf }),
      /^Cannot load BTF file .*garbage\.btf: not a BTF file/,
    );
    Deno.removeSync(dir, { recursive: true });
  },
);

kernelTest(
  "KConfig: without a readable kernel config, the seed's start-up lines in its order",
  async () => {
    const t = new TraceeProcess(["--log", "debug", "--events", "openat"], {
      LIBBPFGO_KCONFIG_FILE: "/nonexistent/config",
    });
    try {
      await t.ready();
    } finally {
      assert.equal((await t.stop()).code, 0, t.stderrLines.join("\n"));
    }
    const logs = t.stderrLines.filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
    const warns = logs.filter((l) => l.level === "warn").map((l) => [l.msg, l.error]);
    assert.deepEqual(warns, [
      [
        "KConfig: could not check enabled kconfig features",
        "could not read /nonexistent/config: stat /nonexistent/config: no such file or directory",
      ],
      ["KConfig: assuming kconfig values, might have unexpected behavior", undefined],
    ]);
    const absentSockets = DEFAULT_RUNTIME_SOCKETS.filter(([, p]) => !pathExists(p)).length;
    const msgs = logs.map((l) => l.msg);
    assert.deepEqual(msgs.slice(0, msgs.indexOf("BPF: attached")), [
      "osinfo",
      ...Array(absentSockets).fill("RuntimeSockets: failed to register default"),
      "osinfo",
      "KConfig: could not check enabled kconfig features",
      "KConfig: assuming kconfig values, might have unexpected behavior",
      "BTF",
      "BPF: using embedded BPF object",
      "Enricher",
      "Enricher",
      "Enricher",
      "KConfig: warning: assuming kconfig values, might have unexpected behavior",
    ]);
    const closing = logs.find((l) => l.msg.startsWith("KConfig: warning:"));
    assert.equal(closing.level, "debug");
  },
);
