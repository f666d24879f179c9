/**
 * Events this kernel cannot trace: a warning each when the user named them; when they came with
 * the default set, a debug line each and one info line counting them.
 */
import assert from "node:assert/strict";
import { setupLogging } from "../../src/log/logger.ts";
import { Tracer, type TracerConfig } from "../../src/runtime/tracer.ts";
import type { FakeSpec } from "../helpers/fake_libbpf.ts";
import { fakeTraceeObject, fakeTracerConfig } from "../helpers/fake_object.ts";

type Line = Record<string, unknown>;

/** Runs configure → load → attach on the fake object with logs at `level`; returns the lines. */
function plan(
  names: string[],
  implicitEvents: boolean,
  fail: FakeSpec["fail"] = {},
  level: "debug" | "info" = "debug",
): { lines: Line[]; live: string[] } {
  const lines: Line[] = [];
  setupLogging(level, {
    writeSync: (p) => (lines.push(JSON.parse(new TextDecoder().decode(p))), p.length),
  });
  const cfg: TracerConfig = { ...fakeTracerConfig(names), implicitEvents };
  const t = Tracer.open(fakeTraceeObject(fail).libs(), cfg);
  try {
    t.configure();
    t.load();
    t.attach();
    return { lines, live: t.liveEvents.map((e) => e.name) };
  } finally {
    t.destroy();
  }
}

const cannot = (lines: Line[], level: string) =>
  lines.filter((l) => l.level === level && l.msg === "Event cannot be traced on this kernel")
    .map((l) => l.event);

Deno.test("events the user named: one warning each, no summary line", () => {
  const { lines, live } = plan(["commit_creds", "cap_capable", "openat"], false);
  assert.deepEqual(live, ["openat"]);
  assert.deepEqual(cannot(lines, "warn"), ["cap_capable", "commit_creds"]);
  assert.equal(lines.filter((l) => l.level === "info").length, 0);
});

Deno.test("default-set events: no warning, a debug line each, one info line with the count", () => {
  const { lines, live } = plan(["commit_creds", "cap_capable", "openat"], true);
  assert.deepEqual(live, ["openat"]);
  assert.deepEqual(cannot(lines, "warn"), []);
  assert.deepEqual(cannot(lines, "debug"), ["cap_capable", "commit_creds"]);
  const info = lines.filter((l) => l.level === "info");
  assert.equal(info.length, 1);
  assert.equal(info[0]!.msg, "Default events this kernel cannot trace were left out");
  assert.equal(info[0]!.count, 2);
  assert.match(String(info[0]!.hint), /--log debug/);
});

Deno.test("default-set events whose hook fails at attach are counted in the same one line", () => {
  const { lines, live } = plan(
    ["module_load", "commit_creds", "openat"],
    true,
    { "attach tracee_module_load": 2 },
    "info",
  );
  assert.deepEqual(live, ["openat"]);
  assert.deepEqual(lines.map((l) => [l.level, l.count]), [["info", 2]], "one line at info level");
});
