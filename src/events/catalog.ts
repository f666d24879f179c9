/**
 * The events a selection can name: the kernel's events table, and the events of signatures (added
 * by the detection engine when it loads them). Selection (`-e`, sets, globs, policy rules) works
 * on a catalog, so a signature is selected like any event.
 */
import type { EventDef } from "./event_def.ts";
import { events as kernelEvents } from "./table.ts";

/** A list of selectable events. */
export class EventCatalog {
  readonly #byName = new Map<string, EventDef>();

  constructor(readonly events: readonly EventDef[]) {
    for (const e of events) this.#byName.set(e.name, e);
  }

  /** The event of this name, or undefined. */
  byName(name: string): EventDef | undefined {
    return this.#byName.get(name);
  }

  /** Every set name, sorted. */
  sets(): string[] {
    return [...new Set(this.events.flatMap((e) => e.sets))].sort();
  }

  /** The `default` set. */
  defaults(): EventDef[] {
    return this.events.filter((e) => e.sets.includes("default"));
  }

  /** This catalog with `more` events after its own. */
  with(more: readonly EventDef[]): EventCatalog {
    return new EventCatalog([...this.events, ...more]);
  }
}

/** The kernel's events only (no signatures loaded). */
export const kernelCatalog = new EventCatalog(kernelEvents);
