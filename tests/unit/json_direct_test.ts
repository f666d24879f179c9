/**
 * The direct json writer prints exactly what decode + JsonPrinter + LineWriter print, for every
 * argument kind, odd strings, big numbers and the context changing between records.
 */
import assert from "node:assert/strict";
import { EventDecoder } from "../../src/decode/decoder.ts";
import { EventContext as C } from "../../src/decode/layout.ts";
import { EpochClock } from "../../src/output/clock.ts";
import { JsonPrinter } from "../../src/output/json.ts";
import { DirectJsonWriter } from "../../src/output/json_direct.ts";
import { LineWriter, type SyncWriter } from "../../src/output/writer.ts";
import { eventByName } from "../../src/events/table.ts";
import { Payload, record, type RecordContext, sockaddrIn } from "../helpers/records.ts";
import { ContainerRecord } from "../../src/containers/container_record.ts";

class Sink implements SyncWriter {
  readonly chunks: Uint8Array[] = [];
  writeSync(p: Uint8Array): number {
    this.chunks.push(p.slice());
    return p.length;
  }
  text(): string {
    return this.chunks.map((c) => new TextDecoder().decode(c)).join("");
  }
}

const clock = () => new EpochClock(1_764_000_000_123_456_789n);
const names = (lo: number, hi: number) =>
  Array.from({ length: 64 }, (_, i) => i).filter((i) =>
    i < 32 ? (lo >>> i) & 1 : (hi >>> (i - 32)) & 1
  ).map((i) => `p${i}`);

/** A container known by key 7; others unknown. */
const web = new ContainerRecord("ab".repeat(32), "podman");
const containerOf = (key: number) => (key === 7 ? web : undefined);

/** Both paths over the same records: [slow, direct, errors slow, errors direct]. */
function both(
  records: Uint8Array<ArrayBuffer>[],
  between?: (i: number) => void,
): [string, string, number, number] {
  const slowOut = new Sink();
  const lw = new LineWriter(slowOut);
  const printer = new JsonPrinter(clock(), names);
  const decoder = new EventDecoder();
  const fastOut = new Sink();
  const direct = new DirectJsonWriter(clock(), names, fastOut, containerOf, 4096);
  records.forEach((r, i) => {
    between?.(i);
    const dv = new DataView(r.buffer);
    const e = decoder.decode(dv, r, 0, r.length);
    if (e) {
      e.container = containerOf(e.containerKey);
      lw.line(printer.format(e));
    }
    direct.record(dv, r, 0, r.length);
  });
  lw.flush();
  direct.flush();
  return [slowOut.text(), fastOut.text(), decoder.stats.errors, direct.stats.errors];
}

const ctx = (id: string, more: Partial<RecordContext> = {}): RecordContext => ({
  eventId: eventByName(id)!.id,
  pid: 4242,
  tid: 4243,
  ppid: 1,
  uid: 1000,
  mntNs: 4026531841,
  pidNs: 4026531836,
  cgroupId: 77n,
  comm: "bash",
  cpu: 1,
  syscall: eventByName(id)!.syscall ? eventByName(id)!.id : -1,
  ts: 123_456_789_012n,
  startTime: 98_765_432_100n,
  ...more,
});

Deno.test("direct json: every argument kind prints as JsonPrinter prints it", () => {
  const recs = [
    record(ctx("getppid", { retval: 4000n })),
    record(
      ctx("openat", { retval: -2n }),
      new Payload().u64(-100).str("/etc/passwd").u64(0o2101102).u64(0o644),
    ),
    record(
      ctx("execve", { comm: "sh" }),
      new Payload().str("/bin/ls").strArr(["ls", "-l", 'with "quotes"']).strArr([]),
    ),
    record(
      ctx("connect", { policies: (1n << 63n) | 1n }),
      new Payload().u64(3).bytes(sockaddrIn(443, [10, 0, 0, 1])).u64(16),
    ),
    record(
      ctx("write"),
      new Payload().u64(1).bytes([0x7f, 0x45, 0x4c, 0x46, 0, 255]).u64(6),
    ),
    record(
      ctx("mmap", { retval: 0x7f00_dead_b000n }),
      new Payload().u64(0).u64(4096).u64(7)
        .u64(0x22).u64(-1).u64(0),
    ),
    record(ctx("mmap"), new Payload().u64(0xffff_ffff_ffff_f000n).u64(2n ** 60n)),
    record(ctx("security_inode_rename"), new Payload().str("/tmp/a/../b").str("/x//y")),
    record(ctx("sched_process_exit", { retval: 0n }), new Payload().u64(7).u64(0).u64(1)),
    record(ctx("openat", { comm: "tab\there" }), new Payload().u64(3).str("ütf-8 ☃").u64(0)),
    record(ctx("openat"), new Payload().u64(3).str('a\\b"c\n').u64(0)),
    record(ctx("pipe2", { retval: -(2n ** 40n) }), new Payload().bytes([3, 0, 0, 0, 4, 0, 0, 0])),
  ];
  const [slow, direct, e1, e2] = both(recs);
  assert.equal(e1, 0);
  assert.equal(e2, 0);
  assert.equal(direct, slow);
  assert.equal(direct.split("\n").length, recs.length + 1);
});

Deno.test("direct json: the same thread, then another, then back reuse nothing stale", () => {
  const recs = [
    record(ctx("getppid")),
    record(ctx("getppid", { tid: 9, comm: "python3" })),
    record(ctx("getppid", { cgroupId: 78n })),
    record(ctx("getppid", { policies: 2n, startTime: 5n })),
    record(ctx("getppid", { uid: 0 })),
    record(ctx("getppid")),
  ];
  const [slow, direct] = both(recs);
  assert.equal(direct, slow);
});

Deno.test("direct json: malformed records write nothing and are counted, as in the decoder", () => {
  const good = record(ctx("getppid"));
  const unknown = record({ ...ctx("getppid"), eventId: 1999 });
  const short = good.slice(0, C.size - 1);
  const overlong = record(ctx("openat"), new Payload().u64(3).str("/x").u64(0).u64(0));
  new DataView(overlong.buffer).setUint32(C.payload_size, 10_000, true);
  const truncatedArg = record(ctx("openat"), new Payload().u64(3));
  new DataView(truncatedArg.buffer).setUint8(C.argnum, 4);
  const [slow, direct, e1, e2] = both([good, unknown, short, overlong, truncatedArg, good]);
  assert.equal(direct, slow);
  assert.equal(e2, e1);
  assert.equal(e2, 4);
});

Deno.test("direct json: container fields, and a container's details arriving between records", () => {
  const recs = [
    record(ctx("getppid", { containerKey: 7n })),
    record(ctx("getppid", { containerKey: 7n })),
    record(ctx("getppid", { containerKey: 9n })),
    record(ctx("getppid")),
    record(ctx("getppid", { containerKey: 7n })),
  ];
  const [slow, direct] = both(recs, (i) => {
    if (i !== 1) return;
    web.setDetails({
      name: "web",
      image: "nginx:1",
      imageDigest: "sha256:00",
      podName: "",
      podNamespace: "",
      podUid: "",
      podSandbox: false,
    });
  });
  assert.equal(direct, slow);
  assert.match(
    direct.split("\n")[1]!,
    /"container":\{"id":"abab[^}]*"name":"web","image":"nginx:1"/,
  );
});
