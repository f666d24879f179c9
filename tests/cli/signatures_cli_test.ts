/**
 * Detections as a user runs them: a CEL rule file and a TypeScript module in --signatures-dir
 * firing on real triggers, a throwing signature that does not stop the others, the errors of bad
 * files and untrusted directories, and `tracee list`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { kernelTest, trigger, uniqueName } from "../helpers/kernel.ts";
import { runTracee, TraceeProcess } from "../helpers/tracee_process.ts";

/** A root-owned 0755 directory holding `files`. */
function sigDir(files: Record<string, string>): string {
  const dir = Deno.makeTempDirSync({ prefix: "tracee-sigs-" });
  Deno.chmodSync(dir, 0o755);
  for (const [name, text] of Object.entries(files)) {
    Deno.writeTextFileSync(join(dir, name), text);
    Deno.chmodSync(join(dir, name), 0o644);
  }
  return dir;
}

const CEL = (marker: string) =>
  `kind: SignaturesConfig
apiVersion: tracee.aquasecurity.github.io/v1alpha1
signatures:
  - metadata:
      id: "CEL-MARK"
      version: "1"
      name: "Marker file opened"
      eventName: marker_opened
      description: a test rule
      properties:
        Severity: 2
        Category: test
    eventSelectors:
      - source: tracee
        name: security_file_open
    expression: |-
      input.stringArg('syscall_pathname').endsWith('${marker}') &&
      input.stringArg('flags').contains('O_RDONLY') && input.processName == 'cat'
`;

const MODULE = (marker: string) => `
export default [
  {
    metadata: {
      id: "USR-1", version: "1", name: "Marker opened (module)", eventName: "module_marker",
      description: "a user module", properties: { Severity: 1 },
    },
    selectedEvents: [{ name: "security_file_open" }],
    onEvent(e, ctx) {
      if (ctx.helpers.stringArg(e, "syscall_pathname").endsWith(${JSON.stringify(marker)})) {
        ctx.detect({ seen: ctx.helpers.basename(ctx.helpers.stringArg(e, "pathname")) });
      }
    },
  },
  {
    metadata: {
      id: "USR-THROW", version: "1", name: "Always throws", eventName: "always_throws",
      description: "broken on purpose", properties: { Severity: 0 },
    },
    selectedEvents: [{ name: "security_file_open" }],
    onEvent() { throw new Error("boom"); },
  },
];
`;

kernelTest(
  "--signatures-dir: a CEL rule and a TypeScript module fire on a real open; a throwing one is logged once",
  async () => {
    const marker = uniqueName("sig");
    const path = `/tmp/${marker}`;
    Deno.writeTextFileSync(path, "x");
    const dir = sigDir({ "rules.yaml": CEL(marker), "mine.ts": MODULE(marker) });
    const t = new TraceeProcess([
      "--signatures-dir",
      dir,
      "-e",
      "marker_opened,module_marker,always_throws",
      "-o",
      "json",
      "--log",
      "debug",
    ]);
    try {
      await t.ready();
      trigger("cat", [path]);
      trigger("cat", [path]);
      await t.waitFor("stdout", (l) => l.includes('"module_marker"'));
      await t.waitFor("stdout", (l) => l.includes('"marker_opened"'));
    } finally {
      assert.equal((await t.stop()).code, 0, t.stderrLines.join("\n"));
      Deno.removeSync(path);
      Deno.removeSync(dir, { recursive: true });
    }
    const events = t.jsonEvents();
    const cel = events.filter((e) => e.eventName === "marker_opened");
    assert.equal(cel.length, 2, "one finding per open");
    const m = cel[0]!.metadata as { Properties: Record<string, unknown> };
    assert.equal(m.Properties.signatureID, "CEL-MARK");
    assert.equal(m.Properties.Severity, 2);
    assert.equal(cel[0]!.processName, "cat");
    const mod = events.find((e) => e.eventName === "module_marker")!;
    const args = mod.args as { name: string; value: unknown }[];
    assert.equal(args.find((a) => a.name === "seen")?.value, marker);
    assert.equal(
      (args.find((a) => a.name === "triggeredBy")?.value as { name: string }).name,
      "security_file_open",
    );
    assert.equal(
      events.filter((e) => e.eventName === "security_file_open").length,
      0,
      "not selected",
    );
    const failed = t.stderrLines.filter((l) => l.includes("Signature failed"));
    assert.equal(failed.length, 1, "logged once");
    assert.match(failed[0]!, /"signature":"USR-THROW".*"error":"boom"/);
    const counts = JSON.parse(t.stderrLines.find((l) => l.includes('"msg":"Signatures"'))!);
    assert.ok(counts["USR-THROW"].errors >= 2, "every failure counted");
    assert.equal(counts["USR-1"].findings, 2);
    assert.match(t.stderrLines.at(-1)!, /, 4 detections$/);
  },
);

kernelTest(
  "bad signature files and untrusted directories: one line naming the file, exit 2",
  () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ "bad.ts": "export default {" }, /^Cannot load signature module .*\/bad\.ts: /],
      [
        { "none.js": "export const x = 1;" },
        /^Cannot load signature module .*\/none\.js: it exports no signature/,
      ],
      [
        {
          "shape.js": "export default { metadata: { id: 'X' }, selectedEvents: [], onEvent() {} };",
        },
        /^Cannot load signature from .*\/shape\.js: metadata\.version is missing/,
      ],
      [
        { "r.yaml": CEL("x").replace("input.stringArg('syscall_pathname')", "input.stringArg(") },
        /^Cannot compile CEL signature CEL-MARK in .*\/r\.yaml: line 1, column \d+/,
      ],
      [
        { "dup.yaml": CEL("x").replace("marker_opened", "anti_debugging") },
        /event name 'anti_debugging' is already used/,
      ],
    ];
    for (const [files, re] of cases) {
      const dir = sigDir(files);
      try {
        const r = runTracee(["--signatures-dir", dir, "-e", "openat"]);
        assert.equal(r.code, 2, r.stderr);
        const lines = r.stderr.trim().split("\n").filter((l) => !l.startsWith("{"));
        assert.equal(lines.length, 1, r.stderr);
        assert.match(lines[0]!, re);
      } finally {
        Deno.removeSync(dir, { recursive: true });
      }
    }
  },
);

kernelTest("a signatures directory or file others can write to is refused", () => {
  const open = sigDir({ "rules.yaml": CEL("x") });
  const writable = sigDir({ "rules.yaml": CEL("x") });
  try {
    Deno.chmodSync(open, 0o777);
    Deno.chmodSync(join(writable, "rules.yaml"), 0o666);
    for (const [dir, re] of [[open, /world-writable/], [writable, /world-writable/]] as const) {
      const r = runTracee(["--signatures-dir", dir, "-e", "openat"]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr.split("\n")[0]!, /^Cannot .*signature/);
      assert.match(r.stderr, re);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    }
  } finally {
    Deno.removeSync(open, { recursive: true });
    Deno.removeSync(writable, { recursive: true });
  }
});

kernelTest(
  "tracee list: each signature, its severity, its events, and whether this kernel feeds it",
  () => {
    const r = runTracee(["list"]);
    assert.equal(r.code, 0, r.stderr);
    const row = (id: string) => r.stdout.split("\n").find((l) => l.startsWith(`${id} `)) ?? "";
    assert.match(row("TRC-102"), /anti_debugging\s+1\s+ptrace\s+yes$/);
    assert.match(row("TRC-104"), /dynamic_code_loading\s+2\s+mem_prot_alert\s+yes$/);
  },
);
