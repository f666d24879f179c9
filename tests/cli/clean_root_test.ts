/**
 * dist/tracee copied alone into a clean root (tests/helpers/clean_root.ts: glibc and cat, no
 * Deno, no libbpf, no checkout) runs as on a fresh machine: it unpacks itself into
 * /var/cache/tracee with its own libbpf, and events flow, with the embedded CO-RE object and with
 * the seed's TRACEE_BPF_FILE pointing at a non CO-RE object copied beside it.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { nonCoreObjectName } from "../../src/bpfobject/select.ts";
import { filesUnder, inCleanRoot, makeCleanRoot } from "../helpers/clean_root.ts";
import { kernelTest, ROOT, TRACEE_BIN, trigger, uniqueName } from "../helpers/kernel.ts";
import { runTracee, TraceeProcess } from "../helpers/tracee_process.ts";

const VERSION = Deno.readTextFileSync(`${ROOT}dist/VERSION`).trim();
const NOCORE = nonCoreObjectName(Deno.osRelease(), VERSION);

/** Runs `cat /<name>` in the root until tracee prints a line of cat naming it (or 20 s pass). */
async function catUntilSeen(p: TraceeProcess, root: string, name: string): Promise<string> {
  Deno.writeTextFileSync(join(root, name), "x\n");
  const end = Date.now() + 20_000;
  const ofCat = (l: string) =>
    l.includes(`/${name}`) &&
    (l.startsWith("{") ? JSON.parse(l).processName === "cat" : /\bcat\b/.test(l));
  while (Date.now() < end) {
    trigger("chroot", [root, "/bin/cat", `/${name}`]);
    const hit = p.stdoutLines.find(ofCat);
    if (hit) return hit;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no event for /${name}; stderr:\n${p.stderrLines.slice(-5).join("\n")}`);
}

function withRoot(fn: (root: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const root = makeCleanRoot();
    try {
      Deno.copyFileSync(TRACEE_BIN, join(root, "tracee"));
      Deno.chmodSync(join(root, "tracee"), 0o755);
      const present = filesUnder(root);
      assert.ok(!present.some((f) => /libbpf|libelf|deno|node_modules/.test(f)), present.join(" "));
      await fn(root);
    } finally {
      Deno.removeSync(root, { recursive: true });
    }
  };
}

kernelTest(
  "in a clean root, ./tracee --events openat unpacks itself, uses its own libbpf, events flow",
  withRoot(async (root) => {
    const v = runTracee(["version"], {}, { wrap: inCleanRoot(root) });
    assert.equal(v.code, 0, v.stderr);
    const entry = v.stdout.match(
      /^libbpf in use: (\/var\/cache\/tracee\/[0-9a-f]{32})\/lib\/libbpf\.so\.1$/m,
    );
    assert.ok(entry, v.stdout);
    const st = Deno.statSync(join(root, entry[1]!));
    assert.equal(st.uid, 0);
    assert.equal(st.mode! & 0o7777, 0o700);

    const p = new TraceeProcess(
      ["--events", "openat", "-o", "json", "--log", "debug"],
      {},
      inCleanRoot(root),
    );
    try {
      await p.ready();
      const name = uniqueName("clean-root");
      const line = await catUntilSeen(p, root, name);
      const e = JSON.parse(line);
      assert.equal(e.eventName, "openat");
      assert.equal(e.processName, "cat");
      assert.ok(e.returnValue >= 0, line);
      assert.deepEqual(
        e.args.find((a: { name: string }) => a.name === "pathname"),
        { name: "pathname", type: "const char*", value: `/${name}` },
      );
    } finally {
      const st = await p.stop();
      assert.equal(st.code, 0, p.stderrLines.join("\n"));
    }
  }),
);

kernelTest(
  "in a clean root, the seed's TRACEE_BPF_FILE=<non CO-RE object> ./tracee --log debug: events flow",
  withRoot(async (root) => {
    Deno.copyFileSync(`${ROOT}dist/${NOCORE}`, join(root, NOCORE));
    Deno.chmodSync(join(root, NOCORE), 0o644);
    const p = new TraceeProcess(
      ["--log", "debug"],
      { TRACEE_BPF_FILE: `./${NOCORE}` },
      inCleanRoot(root),
    );
    try {
      await p.ready();
      const from = p.stderrLines.map((l) => JSON.parse(l)).find((l) =>
        l.msg === "BPF: using BPF object from environment"
      );
      assert.equal(from?.file, `./${NOCORE}`);
      await p.waitFor("stdout", () => true);
      assert.match(p.stdoutLines[0]!, /^TIME\s+UID\s+COMM\s+PID/);
      const name = uniqueName("clean-root-nocore");
      const line = await catUntilSeen(p, root, name);
      assert.match(line, /\bcat\b/);
    } finally {
      const st = await p.stop();
      assert.equal(st.code, 0, p.stderrLines.join("\n"));
    }
  }),
);
