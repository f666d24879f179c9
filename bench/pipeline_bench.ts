/**
 * The user-space path alone: N getppid records (as the kernel writes them) decoded, printed as
 * JSON and written to /dev/null, with the same reader, decoder, printer and writer tracee uses.
 * `deno run -A bench/pipeline_bench.ts [records]` prints events/s; add --cpu-prof to profile.
 */
import { EventDecoder } from "../src/decode/decoder.ts";
import { EpochClock } from "../src/output/clock.ts";
import { JsonPrinter } from "../src/output/json.ts";
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
const decoder = new EventDecoder();
const printer = new JsonPrinter(new EpochClock(1_700_000_000_000_000_000n), () => ["default"]);
const out = new LineWriter(Deno.openSync("/dev/null", { write: true }));
let printed = 0;
const reader = new RingBufferReader(pages, (dv, off, len) => {
  const e = decoder.decode(dv, bytes, off, len)!;
  out.line(printer.format(e));
  printed++;
});
const t0 = performance.now();
while (printed < N) {
  pages.consumerPos[0] = 0n;
  pages.producerPos[0] = BigInt(Math.min(perRing, N - printed) * slot);
  reader.drain(1 << 30);
  out.flush();
}
const s = (performance.now() - t0) / 1000;
console.log(
  `${printed} events in ${s.toFixed(2)} s: ${
    Math.round(printed / s).toLocaleString("en-US")
  } events/s`,
);
