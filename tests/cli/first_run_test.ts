/** What `make run` shows on a first run: no --events, the default set, default log level. */
import assert from "node:assert/strict";
import { kernelTest } from "../helpers/kernel.ts";
import { TraceeProcess } from "../helpers/tracee_process.ts";

const LEFT_OUT = "Default events this kernel cannot trace were left out";

function logLines(t: TraceeProcess): Record<string, unknown>[] {
  return t.stderrLines.filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
}

kernelTest(
  "no --events: no warning for default events this kernel cannot trace, one info line counting them",
  async () => {
    // With --log debug: which default events were left out, one debug line each.
    const debug = new TraceeProcess(["--log", "debug"]);
    try {
      await debug.ready();
    } finally {
      assert.equal((await debug.stop()).code, 0, debug.stderrLines.join("\n"));
    }
    const logs = logLines(debug);
    assert.deepEqual(logs.filter((l) => l.level === "warn"), [], "no warning");
    const skipped = logs.filter((l) => l.msg === "Event cannot be traced on this kernel");
    assert.ok(skipped.every((l) => l.level === "debug" && typeof l.reason === "string"));
    const infos = logs.filter((l) => l.msg === LEFT_OUT);
    assert.deepEqual(infos.map((l) => l.count), skipped.length > 0 ? [skipped.length] : []);
    if (skipped.length === 0) return; // this kernel traces the whole default set: nothing to show

    // At the default log level: that one line, then the exit summary, nothing else.
    const plain = new TraceeProcess([]);
    try {
      await plain.waitFor("stderr", (l) => l.includes(LEFT_OUT));
    } finally {
      assert.equal((await plain.stop()).code, 0, plain.stderrLines.join("\n"));
    }
    assert.equal(plain.stderrLines.length, 2, plain.stderrLines.join("\n"));
    const info = JSON.parse(plain.stderrLines[0]!);
    assert.deepEqual([info.level, info.msg, info.count], ["info", LEFT_OUT, skipped.length]);
    assert.match(plain.stderrLines[1]!, /^tracee: \d+ events received/);
  },
);

kernelTest(
  "the same default set named with -e default: one warning per event left out",
  async () => {
    const implicit = new TraceeProcess(["--log", "debug"]);
    const named = new TraceeProcess(["--log", "debug", "-e", "default"]);
    try {
      await Promise.all([implicit.ready(), named.ready()]);
    } finally {
      assert.equal((await implicit.stop()).code, 0, implicit.stderrLines.join("\n"));
      assert.equal((await named.stop()).code, 0, named.stderrLines.join("\n"));
    }
    const cannot = (t: TraceeProcess, level: string) =>
      logLines(t).filter((l) =>
        l.level === level && l.msg === "Event cannot be traced on this kernel"
      )
        .map((l) => l.event);
    assert.deepEqual(cannot(named, "warn"), cannot(implicit, "debug"));
    assert.deepEqual(cannot(named, "debug"), []);
    assert.equal(logLines(named).filter((l) => l.msg === LEFT_OUT).length, 0);
  },
);
