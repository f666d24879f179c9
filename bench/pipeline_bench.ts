/**
 * The user-space path alone: N getppid records (as the kernel writes them) read from a ring and
 * written as json to /dev/null, both ways tracee does it: decode + JsonPrinter + LineWriter, and
 * the direct writer (json straight from the record bytes). `deno run -A bench/pipeline_bench.ts
 * [records]` prints events/s of each.
 */
import { EventDecoder } from "../src/decode/decoder.ts";
import { EpochClock } from "../src/output/clock.ts";
import { JsonPrinter } from "../src/output/json.ts";
import { DirectJsonWriter } from "../src/output/json_direct.ts";
import { LineWriter } from "../src/output/writer.ts";
import { RingBufferReader } from "../src/ringbuf/reader.ts";
import { Payload, record } from "../tests/helpers/records.ts";

const N = Number(Deno.args[0] ?? 2_000_000);
const RING = 1 << 26;
const rec = record({
  eventId: 110,
  pid: 1234,
  tid: 1234,
  ppid: 1,
  uid: 0,
  comm: "tracee-loadgen",
  retval: 1n,
  mntNs: 4026531841,
  pidNs: 4026531836,
  cgroupId: 1n,
  syscall: 110,
  ts: 123_456_789_000n,
}, new Payload());
const slot = (8 + rec.length + 7) & ~7;

/** A ring holding as many records as fit, replayed until N have been read. */
const bytes = new Uint8Array(2 * RING);
const data = new DataView(bytes.buffer);
const perRing = Math.floor(RING / slot);
for (let i = 0; i < perRing; i++) {
  data.setUint32(i * slot, rec.length, true);
  bytes.set(rec, i * slot + 8);
}
const pages = {
  consumerPos: new BigUint64Array(1),
  producerPos: new BigUint64Array(1),
  data,
  mask: RING - 1,
};
const devnull = Deno.openSync("/dev/null", { write: true });
const clock = new EpochClock(1_700_000_000_000_000_000n);
const decoder = new EventDecoder();
const printer = new JsonPrinter(clock, () => ["default"]);
const out = new LineWriter(devnull);
const direct = new DirectJsonWriter(clock, () => ["default"], devnull);

/** Reads N records through `handle`; returns events/s. */
function run(handle: (dv: DataView, off: number, len: number) => void, flush: () => void): number {
  let printed = 0;
  const reader = new RingBufferReader(pages, (dv, off, len) => {
    handle(dv, off, len);
    printed++;
  });
  const t0 = performance.now();
  while (printed < N) {
    pages.consumerPos[0] = 0n;
    pages.producerPos[0] = BigInt(Math.min(perRing, N - printed) * slot);
    reader.drain(1 << 30);
    flush();
  }
  return printed / ((performance.now() - t0) / 1000);
}

const rate = (r: number) => Math.round(r).toLocaleString("en-US");
for (let round = 0; round < 2; round++) {
  const slow = run(
    (dv, off, len) => out.line(printer.format(decoder.decode(dv, bytes, off, len)!)),
    () => out.flush(),
  );
  const fast = run((dv, off, len) => direct.record(dv, bytes, off, len), () => direct.flush());
  console.log(
    `decode + JsonPrinter + LineWriter: ${rate(slow)} events/s; direct: ${rate(fast)} events/s`,
  );
}
