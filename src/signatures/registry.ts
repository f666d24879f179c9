/**
 * The signatures of a run (built-in, then those of --signatures-dir), each with the event its
 * findings are printed as. Signature events are selectable like any other (`-e anti_debugging`,
 * the `signatures` set, `default`, policy rules) but live outside the kernel's events table: their
 * ids start at 6000, as upstream numbers them, and no probe produces them.
 */
import type { EventDef } from "../events/event_def.ts";
import { type EventCatalog, kernelCatalog } from "../events/catalog.ts";
import { eventByName } from "../events/table.ts";
import { UsageError } from "../errors.ts";
import type { Signature } from "./signature.ts";

/** The first signature event id (upstream's StartSignatureID). */
export const FIRST_SIGNATURE_EVENT_ID = 6000;
/** One past the last (upstream's MaxSignatureID + 1). */
export const END_SIGNATURE_EVENT_ID = 7000;

/** A signature of the run and its event. */
export interface LoadedSignature {
  readonly signature: Signature;
  readonly def: EventDef;
  /** "builtin", or the file it was loaded from. */
  readonly source: string;
}

const SEVERITIES = new Set([0, 1, 2, 3]);

/** Why a signature's shape is unusable, or undefined. */
export function invalidSignature(s: Signature): string | undefined {
  const m = s?.metadata;
  if (!m || typeof m !== "object") return "it has no metadata";
  for (const key of ["id", "version", "name", "eventName", "description"] as const) {
    if (typeof m[key] !== "string" || m[key] === "") return `metadata.${key} is missing`;
  }
  if (!/^[a-z][a-z0-9_]*$/.test(m.eventName)) {
    return `metadata.eventName '${m.eventName}' is not lower_snake_case`;
  }
  if (!SEVERITIES.has(m.properties?.Severity as number)) {
    return "metadata.properties.Severity must be 0, 1, 2 or 3";
  }
  if (!Array.isArray(s.selectedEvents) || s.selectedEvents.length === 0) {
    return "selectedEvents is empty";
  }
  for (const sel of s.selectedEvents) {
    if (typeof sel?.name !== "string") return "a selected event has no name";
    if (sel.origin !== undefined && !["*", "container", "host"].includes(sel.origin)) {
      return `selected event ${sel.name} has origin '${sel.origin}' (expected *, container or host)`;
    }
  }
  if (typeof s.onEvent !== "function") return "onEvent is not a function";
  return undefined;
}

/** The signatures of a run. */
export class SignatureRegistry {
  readonly #all: LoadedSignature[] = [];
  readonly #byEvent = new Map<string, LoadedSignature>();
  readonly #ids = new Set<string>();

  /** Every signature, in the order added. */
  get all(): readonly LoadedSignature[] {
    return this.#all;
  }

  /**
   * Adds a signature; throws UsageError (naming `source`) for a malformed one, a duplicate id or
   * event name, or an event name a kernel event already has.
   */
  add(signature: Signature, source: string): LoadedSignature {
    const why = invalidSignature(signature);
    if (why) throw new UsageError(`Cannot load signature from ${source}: ${why}`);
    const m = signature.metadata;
    if (this.#ids.has(m.id)) {
      throw new UsageError(`Cannot load signature ${m.id} from ${source}: its id is already used`);
    }
    if (this.#byEvent.has(m.eventName) || eventByName(m.eventName)) {
      throw new UsageError(
        `Cannot load signature ${m.id} from ${source}: event name '${m.eventName}' is already used`,
      );
    }
    const id = FIRST_SIGNATURE_EVENT_ID + this.#all.length;
    if (id >= END_SIGNATURE_EVENT_ID) {
      throw new UsageError(`Cannot load signature ${m.id} from ${source}: too many signatures`);
    }
    const loaded: LoadedSignature = {
      signature,
      source,
      def: {
        id,
        name: m.eventName,
        sets: ["signatures", "default"],
        params: [],
        probes: [],
        syscall: false,
        emit: "exit",
      },
    };
    this.#all.push(loaded);
    this.#byEvent.set(m.eventName, loaded);
    this.#ids.add(m.id);
    return loaded;
  }

  /** The signature whose findings are the event `def`, or undefined. */
  byDef(def: EventDef): LoadedSignature | undefined {
    const s = this.#byEvent.get(def.name);
    return s?.def === def ? s : undefined;
  }

  /** Selectable events: the kernel's, then the signatures'. */
  catalog(): EventCatalog {
    return kernelCatalog.with(this.#all.map((s) => s.def));
  }
}
