/**
 * The user-space pipeline: ring buffer → decode → enrich → (sort) → print, until stopped. Each
 * stage counts what it received and dropped; the totals become the exit summary.
 */
import { EventDecoder } from "../decode/decoder.ts";
import type { TraceeEvent } from "../decode/event.ts";
import type { EventSorter } from "../enrich/sorter.ts";
import type { PolicySet } from "../filters/policy.ts";
import type { Printer } from "../output/printer.ts";
import { type LineWriter, OutputClosedError } from "../output/writer.ts";
import { type KernelCounts, kernelLost } from "./counters.ts";
import type { Tracer } from "./tracer.ts";

/** Totals of one run. */
export interface RunSummary {
  /** Records read from the ring buffer. */
  received: number;
  /** Events printed. */
  printed: number;
  /** Records the kernel could not deliver, all reasons (KERNEL_LOSSES) together. */
  lostKernel: number;
  /** Records read but not printed (undecodable). */
  lostUser: number;
  kernel: KernelCounts;
}

/** Per event id, the policies that print it (low and high 32 bits). */
export interface PrintMask {
  readonly lo: Uint32Array;
  readonly hi: Uint32Array;
}

/** The print mask of the policies: for each event, the policies whose rules select it. */
export function printMaskOf(set: PolicySet): PrintMask {
  const events = set.events();
  const size = Math.max(0, ...events.map((e) => e.id)) + 1;
  const lo = new Uint32Array(size);
  const hi = new Uint32Array(size);
  for (const e of events) {
    const bits = set.printBitmapOf(e);
    lo[e.id] = Number(bits & 0xffffffffn);
    hi[e.id] = Number(bits >> 32n);
  }
  return { lo, hi };
}

/**
 * Holds some events back before any stage sees them, and hands them on later (in the same order
 * among themselves): e.g. container_create until the runtime has described the container.
 */
export interface EventHold {
  /** Whether it keeps `e` (then it hands it to `release`'s callback later). */
  take(e: TraceeEvent): boolean;
  /** Hands on the events that are ready; `all` (at the end): every event it holds. */
  release(process: (e: TraceeEvent) => void, all: boolean): void;
}

/** What happens to each decoded event before it is printed. */
export interface PipelineStages {
  /** Events held back before the other stages (see EventHold). */
  readonly hold?: EventHold;
  /**
   * Sees every decoded event first, including internal ones no policy selected (which are then
   * not printed): state kept across events (the process tree) is fed here.
   */
  readonly observe?: (e: TraceeEvent) => void;
  /** The detection engine: sees every event next, and hands back findings (printed as events). */
  readonly detect?: (e: TraceeEvent, emit: (finding: TraceeEvent) => void) => void;
  /**
   * The policies that print each event id (low, high 32 bits), when some policy emits events
   * only for its signatures: the matched policies are cut to these, and an event left with none is
   * not printed.
   */
  readonly printMask?: PrintMask;
  /** Decide whether the event goes on (policies' argument filters); false drops it. */
  readonly keep?: (e: TraceeEvent) => boolean;
  /** Rewrite or extend the event in place (parse arguments, resolve fds, hash binaries). */
  readonly enrich: readonly ((e: TraceeEvent) => void)[];
  /** Hold events to release them in timestamp order (option:sort-events). */
  readonly sorter?: EventSorter;
  /** Called with each event as it is printed (tests, metrics). */
  readonly onEvent?: (e: TraceeEvent) => void;
}

/**
 * Longest wait for a kernel wakeup before draining anyway. The eBPF side wakes the consumer only
 * once per 64 KiB of records (bpf/common.bpf.h submit), so a trickle is picked up by this
 * timeout; kept short so a missed wakeup cannot let the ring fill (16 MiB ≈ 125 ms of records
 * at 1 M/s).
 */
const WAIT_MS = 10;

/**
 * Streams events from `tracer` through the stages and `printer` to `out` until `stop` aborts or
 * the output closes; then detaches, drains what is left, and returns the totals.
 */
export async function runPipeline(
  tracer: Tracer,
  printer: Printer,
  out: LineWriter,
  stop: AbortSignal,
  stages: PipelineStages = { enrich: [] },
  /**
   * json written straight from the records (src/output/json_direct.ts), for runs where nothing
   * needs the decoded events: then `printer`, `out` and `stages` are not used.
   */
  direct?: DirectOutput,
): Promise<RunSummary> {
  const decoder = new EventDecoder();
  const { hold, observe, detect, printMask, keep, enrich, sorter, onEvent } = stages;
  let printed = 0;
  const print = (e: TraceeEvent) => {
    onEvent?.(e);
    out.line(printer.format(e));
    printed++;
  };
  /** An event (or finding) on its way to the output: mask, argument filters, enrich, print. */
  const deliver = (e: TraceeEvent) => {
    if (printMask) {
      e.policiesLo = (e.policiesLo & (printMask.lo[e.eventId] ?? 0)) >>> 0;
      e.policiesHi = (e.policiesHi & (printMask.hi[e.eventId] ?? 0)) >>> 0;
    }
    // events no policy prints (internal ones, signature inputs) stop here
    if ((e.policiesLo | e.policiesHi) === 0 || (keep && !keep(e))) return;
    for (const stage of enrich) stage(e);
    if (sorter) sorter.push(e);
    else print(e);
  };
  const stage = (e: TraceeEvent) => {
    observe?.(e);
    detect?.(e, deliver);
    deliver(e);
  };
  const reader = tracer.reader(
    direct
      ? (dv, bytes, off, len) => direct.record(dv, bytes, off, len)
      : (dv, bytes, off, len) => {
        const e = decoder.decode(dv, bytes, off, len);
        if (e === null || hold?.take(e)) return;
        stage(e);
      },
  );
  const flush = direct ? () => direct.flush() : () => out.flush();
  const header = direct ? undefined : printer.header();
  if (header !== undefined) out.line(header);
  flush();

  try {
    while (!stop.aborted) {
      const n = reader.drain();
      hold?.release(stage, false);
      sorter?.release(print);
      flush();
      if (n === 0) await tracer.wait(WAIT_MS);
    }
    tracer.detach();
    while (reader.drain() > 0) flush();
    hold?.release(stage, true);
    sorter?.release(print, true);
    flush();
  } catch (e) {
    // `tracee | head`: the reader left; stop quietly and report the totals.
    if (!(e instanceof OutputClosedError)) throw e;
  }
  const kernel = tracer.counts();
  return {
    received: reader.stats.records,
    printed: direct ? direct.stats.decoded : printed,
    lostKernel: kernelLost(kernel),
    lostUser: direct ? direct.stats.errors : decoder.stats.errors,
    kernel,
  };
}

/** A writer of records straight to the output (DirectJsonWriter). */
export interface DirectOutput {
  readonly stats: { readonly decoded: number; readonly errors: number };
  record(dv: DataView, bytes: Uint8Array, off: number, len: number): boolean;
  flush(): void;
}
