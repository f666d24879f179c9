/**
 * Asks the runtimes about containers, in the background: the event pipeline never waits for it.
 * Events of a container not yet enriched go out with its id (and runtime); the record fills in
 * when the runtime answers, for the container's later events.
 *
 * Bounded: at most MAX_IN_FLIGHT requests at once, at most MAX_QUEUED containers waiting (more
 * stay unenriched and are asked again when next met). A container the runtime does not know yet
 * is asked again a few times (RETRIES, RETRY_MS apart). A runtime that cannot be asked (socket
 * gone, connection refused, no answer) gets one warning, then is left alone for BACKOFF_MS;
 * its containers keep their ids only. A later success logs that it answers again.
 */
import { logger } from "../log/logger.ts";
import type { RuntimeName } from "./cgroup_path.ts";
import type { ContainerRecord } from "./container_record.ts";
import type { RuntimeClient } from "./runtime_client.ts";

const MAX_IN_FLIGHT = 4;
const MAX_QUEUED = 1024;
const RETRIES = 4;
const RETRY_MS = 250;
const BACKOFF_MS = 10_000;

/** What the enricher did in a run. */
export interface EnricherStats {
  requested: number;
  enriched: number;
  unknown: number;
  failed: number;
  /** Containers not queued because MAX_QUEUED were already waiting. */
  dropped: number;
  /** Time from a container's request to the runtime's description, ms: longest and total. */
  maxMs: number;
  totalMs: number;
}

/** Timing knobs (tests shorten them). */
export interface EnricherTiming {
  readonly retryMs: number;
  readonly backoffMs: number;
  readonly now: () => number;
}

const REAL_TIMING: EnricherTiming = {
  retryMs: RETRY_MS,
  backoffMs: BACKOFF_MS,
  now: () => performance.now(),
};

/** Fills container records from the runtimes' APIs. */
export class ContainerEnricher {
  readonly stats: EnricherStats = {
    requested: 0,
    enriched: 0,
    unknown: 0,
    failed: 0,
    dropped: 0,
    maxMs: 0,
    totalMs: 0,
  };
  readonly #log = logger("containers");
  readonly #queue: ContainerRecord[] = [];
  readonly #waiting = new Set<ContainerRecord>();
  readonly #settled = new Map<ContainerRecord, (() => void)[]>();
  /** Runtimes that did not answer: when to try them again, and whether that was said. */
  readonly #down = new Map<RuntimeName, number>();
  readonly #pending = new Set<Promise<void>>();
  #inFlight = 0;
  #closed = false;

  constructor(
    private readonly clients: ReadonlyMap<RuntimeName, RuntimeClient>,
    private readonly timing: EnricherTiming = REAL_TIMING,
  ) {}

  /** Whether any runtime can be asked at all. */
  get active(): boolean {
    return this.clients.size > 0;
  }

  /** Asks the container's runtime about it, unless that is under way or cannot be done. */
  request(rec: ContainerRecord): void {
    if (rec.state === "enriched" || rec.state === "unknown" || this.#waiting.has(rec)) return;
    const client = this.clients.get(rec.runtime);
    if (!client || this.#closed || this.#isDown(rec.runtime)) {
      this.#settle(rec, "unavailable");
      return;
    }
    if (this.#queue.length >= MAX_QUEUED) {
      this.stats.dropped++;
      this.#settle(rec, "unavailable");
      return;
    }
    rec.state = "pending";
    this.#waiting.add(rec);
    this.#queue.push(rec);
    this.#pump();
  }

  /** Resolves once the record's request is over (at once when none is under way). */
  settled(rec: ContainerRecord): Promise<void> {
    if (!this.#waiting.has(rec)) return Promise.resolve();
    return new Promise((resolve) => {
      const list = this.#settled.get(rec) ?? [];
      list.push(resolve);
      this.#settled.set(rec, list);
    });
  }

  /** Stops asking; resolves when the requests under way are over. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const rec of this.#queue.splice(0)) this.#settle(rec, "unavailable");
    await Promise.allSettled([...this.#pending]);
  }

  #isDown(runtime: RuntimeName): boolean {
    const until = this.#down.get(runtime);
    return until !== undefined && this.timing.now() < until;
  }

  #settle(rec: ContainerRecord, state?: "unknown" | "unavailable"): void {
    if (state && rec.state !== "enriched") {
      rec.state = state;
      rec.version++;
    }
    this.#waiting.delete(rec);
    for (const resolve of this.#settled.get(rec) ?? []) resolve();
    this.#settled.delete(rec);
  }

  #pump(): void {
    while (this.#inFlight < MAX_IN_FLIGHT && this.#queue.length > 0) {
      const rec = this.#queue.shift()!;
      this.#inFlight++;
      const p = this.#ask(rec).finally(() => {
        this.#inFlight--;
        this.#pending.delete(p);
        this.#pump();
      });
      this.#pending.add(p);
    }
  }

  async #ask(rec: ContainerRecord): Promise<void> {
    const client = this.clients.get(rec.runtime)!;
    const start = this.timing.now();
    this.stats.requested++;
    for (let attempt = 0;; attempt++) {
      if (this.#closed || this.#isDown(rec.runtime)) return this.#settle(rec, "unavailable");
      try {
        const details = await client.inspect(rec.id);
        this.#up(client);
        if (details) {
          rec.setDetails(details);
          this.stats.enriched++;
          const ms = this.timing.now() - start;
          this.stats.maxMs = Math.max(this.stats.maxMs, ms);
          this.stats.totalMs += ms;
          return this.#settle(rec);
        }
        // a container the runtime has not registered yet (or no longer has)
        if (attempt + 1 >= RETRIES) {
          this.stats.unknown++;
          return this.#settle(rec, "unknown");
        }
      } catch (e) {
        this.stats.failed++;
        this.#markDown(client, e);
        return this.#settle(rec, "unavailable");
      }
      await new Promise((r) => setTimeout(r, this.timing.retryMs));
    }
  }

  #up(client: RuntimeClient): void {
    if (!this.#down.has(client.runtime)) return;
    this.#down.delete(client.runtime);
    this.#log.info("Container runtime answers again: containers are enriched", {
      runtime: client.runtime,
      socket: client.socket,
    });
  }

  #markDown(client: RuntimeClient, e: unknown): void {
    const said = this.#down.has(client.runtime);
    this.#down.set(client.runtime, this.timing.now() + this.timing.backoffMs);
    if (said) return;
    this.#log.warn(
      `Cannot enrich containers from ${client.runtime}: ${
        e instanceof Error ? e.message : String(e)
      }; events carry container ids only until it answers`,
      { runtime: client.runtime, socket: client.socket },
    );
  }
}
