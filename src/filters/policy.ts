/** Policies: up to 64, each a scope (which processes) and rules (which events, with filters). */
import type { TraceeEvent } from "../decode/event.ts";
import type { EventDef } from "../events/event_def.ts";
import { type ArgFilter, passes } from "./arg_filter.ts";
import type { ScopeFilters } from "./scope.ts";

/** MAX_POLICIES in bpf/types.h. */
export const MAX_POLICIES = 64;

/** One policy. `id` is its bit in every policies bitmap. */
export interface Policy {
  readonly id: number;
  readonly name: string;
  readonly scope: ScopeFilters;
  /** Events the policy selects, each with its argument/return-value filters (all must pass). */
  readonly rules: ReadonlyMap<EventDef, readonly ArgFilter[]>;
  /**
   * Events the kernel emits for the policy only because a signature it selects needs them: they
   * reach the signature, and are not printed for this policy.
   */
  readonly deps?: ReadonlySet<EventDef>;
  /** Events named one by one (not through a set or a glob): what the user asked for by name. */
  readonly named?: ReadonlySet<EventDef>;
}

/** The policies of a run. */
export class PolicySet {
  constructor(readonly policies: readonly Policy[]) {}

  /** Every event some policy selects or needs (deps), in order of first appearance. */
  events(): EventDef[] {
    const out = new Set<EventDef>();
    for (const p of this.policies) {
      for (const e of p.rules.keys()) out.add(e);
      for (const e of p.deps ?? []) out.add(e);
    }
    return [...out];
  }

  /** Bitmap of the policies selecting or needing `event`: what the kernel emits it for. */
  bitmapOf(event: EventDef): bigint {
    let bits = 0n;
    for (const p of this.policies) {
      if (p.rules.has(event) || p.deps?.has(event)) bits |= 1n << BigInt(p.id);
    }
    return bits;
  }

  /** Whether some policy names `event` one by one (not through a set or a glob). */
  named(event: EventDef): boolean {
    return this.policies.some((p) => p.named?.has(event));
  }

  /** Bitmap of the policies that print `event` (those whose rules select it). */
  printBitmapOf(event: EventDef): bigint {
    let bits = 0n;
    for (const p of this.policies) if (p.rules.has(event)) bits |= 1n << BigInt(p.id);
    return bits;
  }

  /** Names of the policies in a bitmap (low, high 32 bits). */
  names(lo: number, hi: number): string[] {
    const out: string[] = [];
    for (const p of this.policies) {
      const set = p.id < 32 ? (lo >>> p.id) & 1 : (hi >>> (p.id - 32)) & 1;
      if (set) out.push(p.name);
    }
    return out;
  }

  /** Whether any policy needs per-process state in the kernel (follow, tree=, binary=). */
  needsProcessTracking(): boolean {
    return this.policies.some((p) =>
      p.scope.follow || p.scope.tree.size > 0 || p.scope.binary.eq.size > 0 ||
      p.scope.binary.neq.size > 0
    );
  }

  /** Whether policy `id`'s rule for the event's kind passes its argument filters. */
  passes(id: number, e: TraceeEvent): boolean {
    const filters = this.policies[id]?.rules.get(e.def);
    return filters === undefined ? false : filters.every((f) => passes(f, e));
  }
}
