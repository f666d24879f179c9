/**
 * Path prefix filters evaluated in the kernel. For an event whose path the kernel resolves before
 * building it (events table: kernelPathFilter), a policy's `=` filter on that path made only of
 * exact values and `prefix*` globs (`security_file_open.data.pathname=/etc/*`) is checked in the
 * eBPF program, so events no policy keeps are never built. `!=`, `*suffix` and `*contains*`
 * filters, longer prefixes, and events with more prefixes than the kernel holds run in user
 * space only; user space checks every filter again in all cases (policy_filter.ts).
 */
import type { EventDef } from "../events/event_def.ts";
import {
  MAX_PATH_FILTERS,
  PATH_FILTER_LEN,
  PathFilter as PF,
  PathPrefix as PP,
} from "../decode/layout.ts";
import type { PolicySet } from "./policy.ts";

/** One prefix (or exact path) and the policies it accepts. */
export interface KernelPrefix {
  readonly policies: bigint;
  readonly text: string;
  readonly exact: boolean;
}

/** The kernel's path filter of one event. */
export interface KernelPathFilter {
  /** Policies the kernel filters on this event's path (others are untouched). */
  readonly filtered: bigint;
  readonly prefixes: readonly KernelPrefix[];
}

const encoder = new TextEncoder();

/** The kernel path filters of the policies, by event (events with none are absent). */
export function kernelPathFilters(set: PolicySet): Map<EventDef, KernelPathFilter> {
  const out = new Map<EventDef, KernelPathFilter>();
  for (const event of set.events()) {
    const arg = event.kernelPathFilter;
    if (!arg) continue;
    let filtered = 0n;
    const prefixes: KernelPrefix[] = [];
    for (const p of set.policies) {
      const f = p.rules.get(event)?.find((f) =>
        f.arg === arg && f.op === "=" && f.patterns !== undefined &&
        f.patterns.every((pt) =>
          (pt.mode === "exact" || pt.mode === "prefix") &&
          encoder.encode(pt.text).length < PATH_FILTER_LEN
        )
      );
      if (!f) continue;
      const bit = 1n << BigInt(p.id);
      filtered |= bit;
      for (const pt of f.patterns!) {
        prefixes.push({ policies: bit, text: pt.text, exact: pt.mode === "exact" });
      }
    }
    if (filtered !== 0n && prefixes.length <= MAX_PATH_FILTERS) {
      out.set(event, { filtered, prefixes });
    }
  }
  return out;
}

/** The 656-byte struct path_filter value. */
export function encodePathFilter(f: KernelPathFilter): Uint8Array<ArrayBuffer> {
  const buf = new Uint8Array(PF.size);
  const dv = new DataView(buf.buffer);
  dv.setBigUint64(PF.filtered, f.filtered, true);
  dv.setUint32(PF.count, f.prefixes.length, true);
  f.prefixes.forEach((p, i) => {
    const at = PF.prefixes + i * PP.size;
    const bytes = encoder.encode(p.text);
    dv.setBigUint64(at + PP.policies, p.policies, true);
    dv.setUint32(at + PP.len, bytes.length, true);
    dv.setUint32(at + PP.exact, p.exact ? 1 : 0, true);
    buf.set(bytes, at + PP.prefix);
  });
  return buf;
}
