/**
 * The detection engine: a pipeline stage after decode (and the process tree), before output.
 * Each event goes only to the signatures that selected its event (a table by event id), and
 * only for the policies that selected those signatures and from the origin they asked for
 * (container, host or any). A finding becomes an event of the signature's event name, carrying
 * the triggering event's context, the finding's data and a `triggeredBy` argument, printed in the
 * same stream. A signature that throws is counted and logged once; the others keep running.
 */
import type { EventArg, FindingMetadata, TraceeEvent } from "../decode/event.ts";
import type { EventCatalog } from "../events/catalog.ts";
import type { EventDef } from "../events/event_def.ts";
import { PolicySet } from "../filters/policy.ts";
import { logger } from "../log/logger.ts";
import * as EventArgs from "./event_args.ts";
import type { LoadedSignature, SignatureRegistry } from "./registry.ts";
import type {
  ContainerInfo,
  FindingData,
  Origin,
  ProcessTreeView,
  SignatureContext,
} from "./signature.ts";

const TWO_32 = 2n ** 32n;

/** A signature subscribed to one event id, for some policies and an origin. */
interface Subscription {
  readonly sig: LoadedSignature;
  readonly lo: number;
  readonly hi: number;
  readonly origin: Origin;
  readonly counts: SignatureCounts;
}

/** What one signature did in a run. */
export interface SignatureCounts {
  events: number;
  findings: number;
  errors: number;
}

/** What the engine needs from the rest of the run. */
export interface EngineHost {
  readonly processTree: ProcessTreeView;
  /** The container an event came from, or undefined on the host. */
  containerOf(e: TraceeEvent): ContainerInfo | undefined;
}

/**
 * The policies, with the events each selected signature needs added as dependencies (emitted by
 * the kernel for those policies, not printed for them unless they select them too).
 */
export function withSignatureDependencies(
  set: PolicySet,
  registry: SignatureRegistry,
  catalog: EventCatalog,
): PolicySet {
  const policies = set.policies.map((p) => {
    const deps = new Set<EventDef>(p.deps ?? []);
    const named = new Set<EventDef>(p.named ?? []);
    for (const def of p.rules.keys()) {
      const sig = registry.byDef(def);
      for (const sel of sig?.signature.selectedEvents ?? []) {
        const needed = catalog.byName(sel.name);
        if (needed && !p.rules.has(needed)) deps.add(needed);
        // a signature named by itself asks for its events as if they were named
        if (needed && p.named?.has(def)) named.add(needed);
      }
    }
    return { ...p, deps, named };
  });
  return new PolicySet(policies);
}

/** Splits a policies bitmap into its two 32-bit halves (as events carry them). */
function halves(bits: bigint): [number, number] {
  return [Number(bits % TWO_32), Number(bits / TWO_32)];
}

function metadataOf(sig: LoadedSignature): FindingMetadata {
  const m = sig.signature.metadata;
  return {
    Version: m.version,
    Description: m.description,
    Tags: m.tags ?? [],
    Properties: { ...m.properties, signatureID: m.id, signatureName: m.name },
  };
}

/** The C-ish type upstream names a finding's data value by. */
function typeOf(v: unknown): string {
  switch (typeof v) {
    case "string":
      return "const char *";
    case "number":
      return Number.isInteger(v) ? "int" : "double";
    case "bigint":
      return "long long";
    case "boolean":
      return "bool";
    default:
      return "unknown";
  }
}

/** Runs the selected signatures over events. */
export class SignatureEngine {
  readonly #log = logger("signatures");
  /** Subscriptions by event id. */
  readonly #byEvent: Subscription[][] = [];
  readonly #selected: { sig: LoadedSignature; counts: SignatureCounts }[] = [];
  readonly #metadata = new Map<LoadedSignature, FindingMetadata>();

  constructor(
    registry: SignatureRegistry,
    policies: PolicySet,
    catalog: EventCatalog,
    private readonly host: EngineHost,
  ) {
    for (const sig of registry.all) {
      const bits = policies.bitmapOf(sig.def);
      if (bits === 0n) continue;
      const [lo, hi] = halves(bits);
      const counts = { events: 0, findings: 0, errors: 0 };
      this.#selected.push({ sig, counts });
      this.#metadata.set(sig, metadataOf(sig));
      for (const sel of sig.signature.selectedEvents) {
        const def = catalog.byName(sel.name);
        if (!def) continue;
        (this.#byEvent[def.id] ??= []).push({
          sig,
          lo,
          hi,
          origin: sel.origin ?? "*",
          counts,
        });
      }
    }
  }

  /** Whether any signature is selected. */
  get active(): boolean {
    return this.#selected.length > 0;
  }

  /** The selected signatures. */
  get selected(): readonly LoadedSignature[] {
    return this.#selected.map((s) => s.sig);
  }

  /** Per signature id: events seen, findings, errors. */
  counts(): Record<string, SignatureCounts> {
    return Object.fromEntries(
      this.#selected.map((s) => [s.sig.signature.metadata.id, { ...s.counts }]),
    );
  }

  /** Findings in all. */
  get findings(): number {
    return this.#selected.reduce((n, s) => n + s.counts.findings, 0);
  }

  /** Hands `e` to the signatures that asked for it; `emit` receives each finding as an event. */
  process(e: TraceeEvent, emit: (finding: TraceeEvent) => void): void {
    const subs = this.#byEvent[e.eventId];
    if (subs === undefined) return;
    let container: ContainerInfo | undefined | null = null;
    for (const sub of subs) {
      const lo = (e.policiesLo & sub.lo) >>> 0;
      const hi = (e.policiesHi & sub.hi) >>> 0;
      if ((lo | hi) === 0) continue;
      if (sub.origin !== "*") {
        if (container === null) container = this.host.containerOf(e);
        if ((sub.origin === "container") !== (container !== undefined)) continue;
      }
      if (container === null) container = this.host.containerOf(e);
      this.#run(sub, e, lo, hi, container, emit);
    }
  }

  #run(
    sub: Subscription,
    e: TraceeEvent,
    lo: number,
    hi: number,
    container: ContainerInfo | undefined,
    emit: (finding: TraceeEvent) => void,
  ): void {
    sub.counts.events++;
    const ctx: SignatureContext = {
      detect: (data?: FindingData) => {
        sub.counts.findings++;
        emit(this.#finding(sub.sig, e, lo, hi, data));
      },
      processTree: this.host.processTree,
      container,
      helpers: EventArgs,
    };
    try {
      sub.sig.signature.onEvent(e, ctx);
    } catch (err) {
      sub.counts.errors++;
      if (sub.counts.errors === 1) {
        this.#log.warn("Signature failed on an event; it keeps running, errors are counted", {
          signature: sub.sig.signature.metadata.id,
          event: e.def.name,
          error: err instanceof Error ? err.message : String(err),
        });
      }
    }
  }

  /** The finding as an event (upstream's FindingToEvent). */
  #finding(
    sig: LoadedSignature,
    e: TraceeEvent,
    lo: number,
    hi: number,
    data: FindingData | undefined,
  ): TraceeEvent {
    const args: EventArg[] = Object.entries(data ?? {}).map(([name, value]) => ({
      name,
      type: typeOf(value),
      value,
    }));
    args.push({
      name: "triggeredBy",
      type: "unknown",
      value: {
        id: e.eventId,
        name: e.def.name,
        args: e.args.map((a) => ({ ...a })),
        returnValue: e.returnValue,
      },
    });
    return {
      ...e,
      def: sig.def,
      eventId: sig.def.id,
      policiesLo: lo,
      policiesHi: hi,
      args,
      metadata: this.#metadata.get(sig),
    };
  }

  /** Closes every selected signature. */
  close(): void {
    for (const { sig } of this.#selected) {
      try {
        sig.signature.close?.();
      } catch {
        // closing is best effort
      }
    }
  }
}
