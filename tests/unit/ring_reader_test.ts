import assert from "node:assert/strict";
import { type RingBufferPages, RingBufferReader } from "../../src/ringbuf/reader.ts";

const BUSY = 0x8000_0000;
const DISCARD = 0x4000_0000;

/** An in-memory ring laid out as the kernel's: data area twice (here: 2 × size). */
class FakeRing implements RingBufferPages {
  readonly consumerPos = new BigUint64Array(1);
  readonly producerPos = new BigUint64Array(1);
  readonly bytes: Uint8Array;
  readonly data: DataView;
  readonly mask: number;

  constructor(readonly size: number) {
    this.bytes = new Uint8Array(2 * size);
    this.data = new DataView(this.bytes.buffer);
    this.mask = size - 1;
  }

  /** Writes a record at the producer position (both copies), optionally busy or discarded. */
  push(payload: number[], flags = 0): void {
    const pos = Number(this.producerPos[0]);
    const rec = new Uint8Array(8 + payload.length);
    new DataView(rec.buffer).setUint32(0, payload.length | flags, true);
    rec.set(payload, 8);
    for (let i = 0; i < rec.length; i++) {
      const at = (pos + i) & this.mask;
      this.bytes[at] = rec[i]!;
      this.bytes[at + this.size] = rec[i]!;
    }
    this.producerPos[0] = BigInt(pos + ((8 + payload.length + 7) & ~7));
  }
}

function collect(ring: FakeRing): { reader: RingBufferReader; seen: number[][] } {
  const seen: number[][] = [];
  const reader = new RingBufferReader(ring, (dv, off, len) => {
    seen.push([...new Uint8Array(dv.buffer, dv.byteOffset + off, len)]);
  });
  return { reader, seen };
}

Deno.test("reader hands over committed records in order and advances the consumer", () => {
  const ring = new FakeRing(64);
  ring.push([1, 2, 3]);
  ring.push([4]);
  const { reader, seen } = collect(ring);
  assert.equal(reader.drain(), 2);
  assert.deepEqual(seen, [[1, 2, 3], [4]]);
  assert.equal(ring.consumerPos[0], ring.producerPos[0]);
  assert.equal(reader.drain(), 0);
});

Deno.test("reader stops at a record still being written (busy) and resumes later", () => {
  const ring = new FakeRing(64);
  ring.push([1]);
  ring.push([2], BUSY);
  const { reader, seen } = collect(ring);
  assert.equal(reader.drain(), 1);
  assert.equal(Number(ring.consumerPos[0]), 16);
  ring.data.setUint32(16, 1, true); // committed
  assert.equal(reader.drain(), 1);
  assert.deepEqual(seen, [[1], [2]]);
});

Deno.test("reader skips discarded records and counts them", () => {
  const ring = new FakeRing(64);
  ring.push([9], DISCARD);
  ring.push([7]);
  const { reader, seen } = collect(ring);
  reader.drain();
  assert.deepEqual(seen, [[7]]);
  assert.equal(reader.stats.discarded, 1);
});

Deno.test("a record that wraps past the end of the ring reads contiguously", () => {
  const ring = new FakeRing(32);
  const { reader, seen } = collect(ring);
  ring.push([1, 1, 1, 1, 1, 1, 1, 1]); // 16 bytes
  reader.drain();
  ring.push([2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2]); // 24 bytes: 16..40 wraps at 32
  reader.drain();
  assert.deepEqual(seen[1], new Array(16).fill(2));
});

Deno.test("drain honours its limit so a steady stream cannot starve the caller", () => {
  const ring = new FakeRing(1024);
  for (let i = 0; i < 10; i++) ring.push([i]);
  const { reader } = collect(ring);
  assert.equal(reader.drain(3), 3);
  assert.equal(reader.drain(), 7);
});
