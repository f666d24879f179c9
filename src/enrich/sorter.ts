/**
 * `-o option:sort-events`: events leave in timestamp order. Records arrive in the order the
 * kernel reserved them, which differs from timestamp order across CPUs and for execve (stamped
 * at entry, emitted at exit); holding each event for a short window fixes that.
 */
import type { TraceeEvent } from "../decode/event.ts";

const TWO_32 = 4294967296;

/** Boot-time ns of the event as a number (ordering only). */
function key(e: TraceeEvent): number {
  return e.tsHi * TWO_32 + e.tsLo;
}

/**
 * Holds each event until it is older than the window, measured against the newest event seen
 * and against the boot clock (`bootNowNs`), so quiet streams still flow; then releases in order.
 */
export class EventSorter {
  #held: TraceeEvent[] = [];
  #newest = 0;

  constructor(private readonly bootNowNs: () => number, private readonly windowNs = 50_000_000) {}

  push(e: TraceeEvent): void {
    this.#held.push(e);
    const k = key(e);
    if (k > this.#newest) this.#newest = k;
  }

  /** Releases, in order, the events older than the window (all of them with `all`). */
  release(emit: (e: TraceeEvent) => void, all = false): number {
    if (this.#held.length === 0) return 0;
    this.#held.sort((a, b) => key(a) - key(b));
    const limit = all ? Infinity : Math.max(this.#newest, this.bootNowNs()) - this.windowNs;
    let n = 0;
    while (n < this.#held.length && key(this.#held[n]!) <= limit) emit(this.#held[n++]!);
    this.#held = this.#held.slice(n);
    return n;
  }
}
