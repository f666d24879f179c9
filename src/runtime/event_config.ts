/** Builds the eBPF event_config map values (struct event_config) from events table rows. */
import { ArgKind } from "../events/arg_kind.ts";
import type { EventDef } from "../events/event_def.ts";
import { eventByName } from "../events/table.ts";
import { EventConfig as L, EventConfigFlags as F } from "../decode/layout.ts";

const MAX_SYSCALL_ARGS = 6;

/**
 * The 24-byte event_config value selecting `def` for the policies in `policies` (a bitmap), with
 * `extraFlags` (EVENT_CFG_DERIVE, EVENT_CFG_INTERNAL, …) added to those its emit point implies.
 */
export function encodeEventConfig(
  def: EventDef,
  policies: bigint,
  extraFlags = 0,
): Uint8Array<ArrayBuffer> {
  const buf = new Uint8Array(L.size);
  const dv = new DataView(buf.buffer);
  dv.setBigUint64(L.policies, policies, true);
  if (def.syscall) {
    if (def.params.length > MAX_SYSCALL_ARGS) {
      throw new Error(
        `Cannot configure event ${def.name}: more than ${MAX_SYSCALL_ARGS} arguments`,
      );
    }
    def.params.forEach((p, i) => {
      buf[L.kinds + i] = p.kind;
      buf[L.aux + i] = p.aux === undefined ? F.AUX_NONE : p.aux === "retval" ? F.AUX_RETVAL : p.aux;
    });
    for (let i = def.params.length; i < MAX_SYSCALL_ARGS; i++) {
      buf[L.kinds + i] = ArgKind.NONE;
      buf[L.aux + i] = F.AUX_NONE;
    }
    buf[L.argnum] = def.params.length;
  }
  buf[L.flags] = extraFlags |
    (def.emit === "enter"
      ? F.EMIT_AT_ENTER
      : def.emit === "enter-capture"
      ? F.CAPTURE_AT_ENTER
      : 0);
  return buf;
}

/**
 * Every event_config entry a run writes, by event id: the live events (selected by the policies
 * in their bitmap; internal ones flagged to be emitted for every process), and the syscalls
 * whose exits build a live derived event (flagged EVENT_CFG_DERIVE, selected themselves or not).
 * An event with kernel path filters is flagged to look them up. A derived event counts only when
 * the plan serves it through sys_exit or sys_enter (module_load does so only
 * where the kernel lacks its tracepoint).
 */
export function eventConfigEntries(
  live: ReadonlyMap<EventDef, ReadonlySet<string>>,
  bitmapOf: (e: EventDef) => bigint,
  internal: ReadonlySet<EventDef>,
  /** Events with path filters in the kernel's path_filters map (EVENT_CFG_PATH_FILTER). */
  pathFiltered: ReadonlySet<EventDef> = new Set(),
): Map<number, Uint8Array<ArrayBuffer>> {
  const flags = new Map<EventDef, number>();
  const policies = new Map<EventDef, bigint>();
  const add = (e: EventDef, f: number) => flags.set(e, (flags.get(e) ?? 0) | f);
  for (const [e, probes] of live) {
    policies.set(e, bitmapOf(e));
    add(e, (internal.has(e) ? F.INTERNAL : 0) | (pathFiltered.has(e) ? F.PATH_FILTER : 0));
    if (!e.syscalls || !(probes.has("sys_exit") || probes.has("sys_enter"))) continue;
    for (const name of e.syscalls) {
      const sc = eventByName(name);
      if (!sc?.syscall) throw new Error(`Cannot derive ${e.name} from ${name}: not a syscall`);
      add(sc, F.DERIVE);
    }
  }
  const out = new Map<number, Uint8Array<ArrayBuffer>>();
  for (const [e, f] of flags) out.set(e.id, encodeEventConfig(e, policies.get(e) ?? 0n, f));
  return out;
}

/** The u32 map key for an event id. */
export function eventKey(id: number): Uint8Array<ArrayBuffer> {
  const key = new Uint8Array(4);
  new DataView(key.buffer).setUint32(0, id, true);
  return key;
}
