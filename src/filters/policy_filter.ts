/**
 * The user-space end of policies: after decode, each matched policy's argument and
 * return-value filters for the event run; policies whose filters fail are cleared from the
 * event, and an event left with none is dropped (and counted).
 */
import type { TraceeEvent } from "../decode/event.ts";
import type { PolicySet } from "./policy.ts";

/** Drops events whose matched policies' argument filters all fail. */
export class PolicyFilter {
  dropped = 0;
  readonly #active: boolean;

  constructor(private readonly set: PolicySet) {
    this.#active = set.policies.some((p) => [...p.rules.values()].some((f) => f.length > 0));
  }

  /** Whether any policy has argument filters (otherwise this stage passes everything). */
  get active(): boolean {
    return this.#active;
  }

  /** Clears the policies whose filters the event fails; returns false when none is left. */
  apply(e: TraceeEvent): boolean {
    if (!this.#active) return true;
    let lo = e.policiesLo;
    let hi = e.policiesHi;
    for (const p of this.set.policies) {
      const bit = p.id < 32 ? (lo >>> p.id) & 1 : (hi >>> (p.id - 32)) & 1;
      if (!bit || this.set.passes(p.id, e)) continue;
      if (p.id < 32) lo &= ~(1 << p.id);
      else hi &= ~(1 << (p.id - 32));
    }
    e.policiesLo = lo >>> 0;
    e.policiesHi = hi >>> 0;
    if (e.policiesLo === 0 && e.policiesHi === 0) {
      this.dropped++;
      return false;
    }
    return true;
  }
}
