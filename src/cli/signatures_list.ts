/**
 * What tracee says about signatures: `tracee list` shows each one (id, event name, severity, the
 * events it needs and whether this kernel can feed them), and a run says which selected
 * signatures this kernel cannot feed.
 */
import { kernelCatalog } from "../events/catalog.ts";
import type { EventDef } from "../events/event_def.ts";
import { probes } from "../events/probes.ts";
import { logger } from "../log/logger.ts";
import { readKernelConfig, realKconfigHost } from "../osinfo/kconfig.ts";
import { activeLsms } from "../osinfo/securityfs.ts";
import { tracepointLookup } from "../osinfo/tracefs.ts";
import { pathExists } from "../path_exists.ts";
import { type HostFeatures, planProbes } from "../runtime/probe_plan.ts";
import type { SignatureEngine } from "../signatures/engine.ts";
import type { SignatureRegistry } from "../signatures/registry.ts";
import type { Signature } from "../signatures/signature.ts";

/** This host's features, as a run would find them (without loading anything). */
export function listFeatures(): HostFeatures {
  const kconfig = readKernelConfig(realKconfigHost);
  return {
    kernelBtf: pathExists("/sys/kernel/btf/vmlinux"),
    kprobes: kconfig.enabled("KPROBES", true),
    bpfLsm: kconfig.enabled("BPF_LSM", false) && (activeLsms()?.includes("bpf") ?? false),
    tracepointExists: tracepointLookup(),
  };
}

/** The programs the embedded object carries (every probe but kprobe/LSM ones). */
const OBJECT_PROGRAMS = new Set(
  probes.filter((p) => p.type !== "kprobe" && p.type !== "lsm").map((p) => p.program),
);

/** Whether this kernel can feed `sig`: "yes", "partly (…)" or "no (…)". */
export function feedability(sig: Signature, features: HostFeatures): string {
  const missing: string[] = [];
  const defs: EventDef[] = [];
  for (const sel of sig.selectedEvents) {
    const def = kernelCatalog.byName(sel.name);
    if (def) defs.push(def);
    else missing.push(`${sel.name}: no such event`);
  }
  const plan = planProbes(defs, OBJECT_PROGRAMS, features);
  for (const d of plan.dropped) missing.push(`${d.event.name}: ${d.reason}`);
  if (missing.length === 0) return "yes";
  return `${plan.live.size > 0 ? "partly" : "no"} (${missing.join("; ")})`;
}

/** The signatures section of `tracee list`: columns as wide as their longest cell. */
export function listSignatures(registry: SignatureRegistry, features: HostFeatures): string {
  const rows = registry.all.map((s) => {
    const m = s.signature.metadata;
    const events = s.signature.selectedEvents.map((e) =>
      e.origin && e.origin !== "*" ? `${e.name}(${e.origin})` : e.name
    ).join(", ");
    return [
      m.id,
      m.eventName,
      String(m.properties.Severity),
      events,
      feedability(s.signature, features),
    ];
  });
  const head = ["Signatures:", "Event:", "Severity:", "Needs (origin):", "This kernel:"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join(" ");
  return [
    line(head),
    line(head.map((h) => "_".repeat(h.length - 1))),
    "",
    ...rows.map(line),
    "",
  ].join("\n");
}

/**
 * After configuring the tracer: a warning for each selected signature this kernel cannot feed at
 * all (a debug line when the user did not name it, as for events), a debug line for one it can
 * feed only in part.
 */
export function reportUnfedSignatures(
  engine: SignatureEngine,
  live: readonly EventDef[],
  implicit: boolean,
): void {
  const log = logger("signatures");
  const names = new Set(live.map((e) => e.name));
  for (const s of engine.selected) {
    const m = s.signature.metadata;
    const missing = s.signature.selectedEvents.map((e) => e.name).filter((n) => !names.has(n));
    if (missing.length === 0) continue;
    const fields = { signature: m.id, event: m.eventName, missing: missing.join(",") };
    if (missing.length < s.signature.selectedEvents.length) {
      log.debug("Signature runs without some of its events on this kernel", fields);
    } else if (implicit) {
      log.debug("Signature cannot run on this kernel: none of its events can be traced", fields);
    } else {
      log.warn("Signature cannot run on this kernel: none of its events can be traced", fields);
    }
  }
}
