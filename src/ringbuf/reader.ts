/**
 * Consumes records from a mapped BPF ring buffer directly (no callback per record through FFI).
 * Each record is an 8-byte header (u32 length with BUSY/DISCARD bits, u32 page offset) followed
 * by the sample, padded to 8 bytes.
 */

const BUSY_BIT = 0x8000_0000;
const DISCARD_BIT = 0x4000_0000;
const LEN_MASK = 0x3fff_ffff;
const HEADER_SIZE = 8;
/** Records between consumer-position updates: frees ring space for the kernel as we go. */
const RELEASE_EVERY = 64;

/** The mapped ring buffer, as the reader needs it (ffi/ringbuf.ts or a test double). */
export interface RingBufferPages {
  readonly consumerPos: BigUint64Array;
  readonly producerPos: BigUint64Array;
  readonly data: DataView;
  readonly mask: number;
}

/** Handles one sample: `offset` is its first byte in `data`, valid only during the call. */
export type SampleHandler = (data: DataView, offset: number, length: number) => void;

/** Counts of what the reader has seen. */
export interface ReaderStats {
  records: number;
  discarded: number;
}

/** Reads every committed record, in order, handing each to `onSample`. */
export class RingBufferReader {
  readonly stats: ReaderStats = { records: 0, discarded: 0 };

  constructor(private readonly pages: RingBufferPages, private readonly onSample: SampleHandler) {}

  /**
   * Consumes committed records, at most `limit` of them so the caller gets control back under
   * a steady stream; returns the number of samples handled.
   */
  drain(limit = 65536): number {
    const { consumerPos, producerPos, data, mask } = this.pages;
    let cons = Number(consumerPos[0]);
    let prod = Number(producerPos[0]);
    let handled = 0;
    let sinceRelease = 0;
    while (cons < prod && handled < limit) {
      const off = cons & mask;
      const hdr = data.getUint32(off, true);
      if (hdr & BUSY_BIT) break;
      const len = hdr & LEN_MASK;
      if (hdr & DISCARD_BIT) {
        this.stats.discarded++;
      } else {
        this.onSample(data, off + HEADER_SIZE, len);
        handled++;
      }
      cons += (HEADER_SIZE + len + 7) & ~7;
      if (++sinceRelease === RELEASE_EVERY) {
        consumerPos[0] = BigInt(cons);
        sinceRelease = 0;
      }
      if (cons >= prod) prod = Number(producerPos[0]);
    }
    consumerPos[0] = BigInt(cons);
    this.stats.records += handled;
    return handled;
  }
}
