import assert from "node:assert/strict";
import { EventDecoder } from "../../src/decode/decoder.ts";
import type { TraceeEvent } from "../../src/decode/event.ts";
import { EpochClock, epochNsString } from "../../src/output/clock.ts";
import { escapeControl } from "../../src/output/escape.ts";
import { JsonPrinter } from "../../src/output/json.ts";
import { TABLE_HEADER, TablePrinter } from "../../src/output/table.ts";
import { LineWriter, OutputClosedError } from "../../src/output/writer.ts";
import { Payload, record, sockaddrIn } from "../helpers/records.ts";

function event(rec: Uint8Array<ArrayBuffer>): TraceeEvent {
  return new EventDecoder().decode(new DataView(rec.buffer), rec, 0, rec.length)!;
}

const openat = () =>
  event(record(
    {
      eventId: 257,
      pid: 7,
      tid: 8,
      hostPid: 1007,
      hostTid: 1008,
      uid: 1000,
      retval: -2n,
      comm: "cat",
      syscall: 257,
      ts: 5_000_000_123n,
    },
    new Payload().u64(-100).str("/tmp/x").u64(0).u64(0),
  ));

Deno.test("table header is exactly Tracee's", () => {
  assert.equal(
    TABLE_HEADER,
    "TIME             UID    COMM             PID     TID     RET              EVENT                ARGS",
  );
});

Deno.test("table row: columns aligned under the header, host ids, args as name: value", () => {
  const line = new TablePrinter(new EpochClock(0n)).format(openat());
  assert.match(
    line,
    /^\d\d:\d\d:\d\d:\d{6} {2}1000 {3}cat {14}1007 {4}1008 {4}-2 {15}openat {15}dirfd: -100, pathname: \/tmp\/x, flags: 0, mode: 0$/,
  );
  const cols = ["UID", "COMM", "PID", "TID", "RET", "EVENT", "ARGS"].map((c) =>
    TABLE_HEADER.indexOf(c)
  );
  const values = ["1000", "cat", "1007", "1008", "-2", "openat", "dirfd"].map((v, i) =>
    line.indexOf(v, cols[i]! - 1)
  );
  assert.deepEqual(values, cols);
});

Deno.test("table shows arrays and socket addresses the way Go prints them", () => {
  const p = new TablePrinter(new EpochClock(0n));
  const exec = p.format(
    event(record({ eventId: 59 }, new Payload().str("/bin/ls").strArr(["ls", "-l"]).strArr([]))),
  );
  assert.ok(exec.endsWith("pathname: /bin/ls, argv: [ls -l], envp: []"));
  const conn = p.format(
    event(
      record({ eventId: 42 }, new Payload().u64(3).bytes(sockaddrIn(80, [10, 0, 0, 1])).u64(16)),
    ),
  );
  assert.ok(
    conn.endsWith("addr: map[sa_family:AF_INET sin_addr:10.0.0.1 sin_port:80], addrlen: 16"),
    conn,
  );
});

Deno.test("control characters in comm and paths are escaped in the table, never raw", () => {
  assert.equal(escapeControl("a\nb\tc\x1b[31m"), "a\\nb\\tc\\x1b[31m");
  assert.equal(escapeControl("plain"), "plain");
  const line = new TablePrinter(new EpochClock(0n)).format(
    event(record({ eventId: 2, comm: "ev\x1bil" }, new Payload().str("/tmp/a\nb").u64(0).u64(0))),
  );
  // deno-lint-ignore no-control-regex
  assert.doesNotMatch(line, /[\x00-\x1f]/);
  assert.ok(line.includes("ev\\x1bil") && line.includes("/tmp/a\\nb"));
});

Deno.test("json line carries Tracee's field names and exact values", () => {
  const clock = new EpochClock(1_700_000_000_000_000_000n);
  const obj = JSON.parse(new JsonPrinter(clock, () => ["default"]).format(openat()));
  assert.deepEqual(Object.keys(obj), [
    "timestamp",
    "threadStartTime",
    "processorId",
    "processId",
    "cgroupId",
    "threadId",
    "parentProcessId",
    "hostProcessId",
    "hostThreadId",
    "hostParentProcessId",
    "userId",
    "mountNamespace",
    "pidNamespace",
    "processName",
    "containerId",
    "container",
    "kubernetes",
    "eventId",
    "eventName",
    "matchedPolicies",
    "argsNum",
    "returnValue",
    "syscall",
    "args",
  ]);
  assert.equal(obj.eventId, "257");
  assert.equal(obj.eventName, "openat");
  assert.equal(obj.processName, "cat");
  assert.equal(obj.returnValue, -2);
  assert.equal(obj.argsNum, 4);
  assert.deepEqual(obj.args[1], { name: "pathname", type: "const char*", value: "/tmp/x" });
  assert.deepEqual(obj.matchedPolicies, ["default"]);
  assert.deepEqual([obj.containerId, obj.container, obj.kubernetes], ["", {}, {}], "the host");
});

Deno.test("json timestamp is the exact integer of epoch nanoseconds", () => {
  const clock = new EpochClock(1_700_000_000_999_999_999n);
  const line = new JsonPrinter(clock, () => []).format(openat());
  // 5_000_000_123 + 1_700_000_000_999_999_999, as an integer with no float rounding
  assert.ok(line.startsWith('{"timestamp":1700000006000000122,'), line.slice(0, 40));
});

Deno.test("boot→epoch conversion is exact for any uptime", () => {
  const clock = new EpochClock(1_700_000_000_123_456_789n);
  for (
    const boot of [
      0n,
      1n,
      999_999_999n,
      4_294_967_296n,
      123_456_789_012_345_678n,
      (1n << 62n) + 12345n,
    ]
  ) {
    const hi = Number(boot >> 32n);
    const lo = Number(boot & 0xffff_ffffn);
    assert.equal(
      epochNsString(clock.toEpoch(hi, lo, { sec: 0, nsec: 0 })),
      String(boot + 1_700_000_000_123_456_789n),
    );
  }
});

Deno.test("line writer batches lines and reports a closed reader as OutputClosedError", () => {
  const chunks: string[] = [];
  const w = new LineWriter({
    writeSync: (p) => (chunks.push(new TextDecoder().decode(p)), p.length),
  }, 10);
  w.line("aaaa");
  assert.equal(chunks.length, 0);
  w.line("bbbbbbbb");
  assert.deepEqual(chunks, ["aaaa\nbbbbbbbb\n"]);
  const broken = new LineWriter({
    writeSync: () => {
      throw new Deno.errors.BrokenPipe("closed");
    },
  });
  broken.line("x");
  assert.throws(() => broken.flush(), OutputClosedError);
});
