/** Reads CLOCK_REALTIME − CLOCK_BOOTTIME, the offset from kernel event times to wall time. */
import type { LibcSymbols } from "../../ffi/libc_symbols.ts";

const CLOCK_REALTIME = 0;
const CLOCK_BOOTTIME = 7;

function now(libc: LibcSymbols, clock: number, ts: Uint8Array<ArrayBuffer>): bigint {
  libc.clock_gettime(clock, ts);
  const dv = new DataView(ts.buffer);
  return dv.getBigInt64(0, true) * 1_000_000_000n + dv.getBigInt64(8, true);
}

/** Wall clock minus boot clock, in ns (realtime read between two boot-time reads). */
export function bootToEpochOffset(libc: LibcSymbols): bigint {
  const ts = new Uint8Array(16);
  const b1 = now(libc, CLOCK_BOOTTIME, ts);
  const r = now(libc, CLOCK_REALTIME, ts);
  const b2 = now(libc, CLOCK_BOOTTIME, ts);
  return r - (b1 + b2) / 2n;
}

/** A cheap boot-clock reader: CLOCK_BOOTTIME read once, then advanced by performance.now(). */
export function bootClock(libc: LibcSymbols): () => number {
  const ts = new Uint8Array(16);
  const start = Number(now(libc, CLOCK_BOOTTIME, ts));
  const perf = performance.now();
  return () => start + (performance.now() - perf) * 1e6;
}
