/** Builds the eBPF event_config map values (struct event_config) from events table rows. */
import { ArgKind } from "../events/arg_kind.ts";
import type { EventDef } from "../events/event_def.ts";
import { EventConfig as L, EventConfigFlags as F } from "../decode/layout.ts";

const MAX_SYSCALL_ARGS = 6;

/** The 24-byte event_config value selecting `def` for the policies in `policies` (a bitmap). */
export function encodeEventConfig(def: EventDef, policies: bigint): Uint8Array<ArrayBuffer> {
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
  buf[L.flags] = def.emit === "enter"
    ? F.EMIT_AT_ENTER
    : def.emit === "enter-capture"
    ? F.CAPTURE_AT_ENTER
    : 0;
  return buf;
}

/** The u32 map key for an event id. */
export function eventKey(id: number): Uint8Array<ArrayBuffer> {
  const key = new Uint8Array(4);
  new DataView(key.buffer).setUint32(0, id, true);
  return key;
}
