/**
 * Converts kernel boot-time nanoseconds (bpf_ktime_get_boot_ns) to wall-clock time, exactly:
 * the u64 is handled as two u32 halves so no precision is lost and no BigInt is needed.
 */

const NS = 1_000_000_000;
/** 2^32 = 4 × 10^9 + REM. */
const REM = 294_967_296;
/** Above this high half, hi × REM + lo no longer fits a double exactly (uptime > ~4 years). */
const HI_EXACT = Math.floor((2 ** 53 - 2 ** 32) / REM);

/** Seconds and nanoseconds since the Unix epoch. */
export interface EpochTime {
  sec: number;
  nsec: number;
}

/** Boot-time → epoch conversion, from the two clocks read at one moment. */
export class EpochClock {
  offsetSec = 0;
  offsetNsec = 0;

  /** `offsetNs` = CLOCK_REALTIME − CLOCK_BOOTTIME, in ns. */
  constructor(offsetNs = 0n) {
    this.calibrate(offsetNs);
  }

  /** Sets the offset (once the clocks can be read). */
  calibrate(offsetNs: bigint): void {
    this.offsetSec = Number(offsetNs / 1_000_000_000n);
    this.offsetNsec = Number(offsetNs % 1_000_000_000n);
  }

  /** Writes the epoch time of boot-time `hi:lo` ns into `out` and returns it. */
  toEpoch(hi: number, lo: number, out: EpochTime): EpochTime {
    let sec: number, nsec: number;
    if (hi <= HI_EXACT) {
      const rest = hi * REM + lo;
      sec = hi * 4 + Math.floor(rest / NS);
      nsec = rest % NS;
    } else {
      const big = (BigInt(hi) << 32n) | BigInt(lo);
      sec = Number(big / 1_000_000_000n);
      nsec = Number(big % 1_000_000_000n);
    }
    sec += this.offsetSec;
    nsec += this.offsetNsec;
    if (nsec >= NS) {
      nsec -= NS;
      sec++;
    }
    out.sec = sec;
    out.nsec = nsec;
    return out;
  }
}

const NINE_ZEROS = "000000000";

let lastSec = -1;
let lastSecString = "";

/** The epoch time as an integer count of nanoseconds, in decimal. */
export function epochNsString(t: EpochTime): string {
  const n = String(t.nsec);
  if (t.sec === 0) return n;
  if (t.sec !== lastSec) {
    lastSec = t.sec;
    lastSecString = String(t.sec);
  }
  return lastSecString + NINE_ZEROS.slice(n.length) + n;
}

function pad2(n: number): string {
  return n < 10 ? "0" + n : String(n);
}

/** Local time as Tracee's table shows it: HH:MM:SS:micro. */
export function tableTime(t: EpochTime): string {
  const d = new Date(t.sec * 1000);
  const us = String(Math.floor(t.nsec / 1000));
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}:${
    "000000".slice(us.length)
  }${us}`;
}
