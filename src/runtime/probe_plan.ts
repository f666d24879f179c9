/**
 * Which probes to load for the selected events on this host, and which events cannot run here.
 * A probe that cannot run is replaced by its fallback; an event whose probes cannot all run is
 * dropped with the reason (the missing kernel capability), and the others go on.
 */
import type { EventDef } from "../events/event_def.ts";
import { probeByName, type ProbeDef, probes as allProbes } from "../events/probes.ts";

/** Kernel features that decide which probes can run. */
export interface HostFeatures {
  /** /sys/kernel/btf/vmlinux exists: tp_btf programs can resolve their attach target. */
  readonly kernelBtf: boolean;
  /** CONFIG_KPROBES is set. */
  readonly kprobes: boolean;
  /** BPF LSM is an active LSM. */
  readonly bpfLsm: boolean;
  /**
   * Whether the kernel has a tracepoint of this name (from tracefs); undefined when it cannot be
   * told, and attaching decides.
   */
  readonly tracepointExists?: (name: string) => boolean | undefined;
}

/** Why `probe` cannot run on this host with this object, or undefined when it can. */
export function probeUnavailable(
  probe: ProbeDef,
  programs: ReadonlySet<string>,
  features: HostFeatures,
): string | undefined {
  if (probe.type === "kprobe" && !features.kprobes) {
    return `it needs a kprobe on ${probe.target}, and this kernel has no kprobes (CONFIG_KPROBES is not set)`;
  }
  if (probe.type === "lsm" && !features.bpfLsm) {
    return `it needs a BPF LSM program on ${probe.target}, and BPF LSM is not active on this kernel`;
  }
  if ((probe.type === "tp_btf" || probe.needsKernelBtf) && !features.kernelBtf) {
    return `${probe.type} program ${probe.program} needs the kernel's BTF (/sys/kernel/btf/vmlinux is absent)`;
  }
  if (probe.perSyscall?.syscalls) {
    const missing = probe.perSyscall.syscalls.filter((n) =>
      features.tracepointExists?.(`sys_${probe.perSyscall!.point}_${n}`) === false
    );
    if (missing.length === probe.perSyscall.syscalls.length) {
      return `this kernel has no sys_${probe.perSyscall.point}_* tracepoint for ${
        missing.join(", ")
      }`;
    }
  }
  if (
    (probe.type === "raw_tracepoint" || probe.type === "tp_btf") &&
    features.tracepointExists?.(probe.target) === false
  ) {
    return `this kernel has no ${probe.target} tracepoint`;
  }
  if (!programs.has(probe.program)) {
    return probe.type === "kprobe" || probe.type === "lsm"
      ? `${probe.type} programs are not part of this build of tracee`
      : "its program is not in this eBPF object";
  }
  return undefined;
}

/** An event that cannot be traced, and why. */
export interface DroppedEvent {
  readonly event: EventDef;
  readonly reason: string;
}

/** A probe replaced by its fallback (or dropped), and why. */
export interface DisabledProbe {
  readonly probe: ProbeDef;
  readonly reason: string;
}

/** The outcome of planning. */
export interface ProbePlan {
  /** Probes to load and attach, in table order. */
  readonly probes: ProbeDef[];
  /** Probes among them that only add to their events: failing to attach one drops nothing. */
  readonly optional: Set<string>;
  /** Events that will be traced, with the probes each depends on. */
  readonly live: Map<EventDef, Set<string>>;
  readonly dropped: DroppedEvent[];
  readonly disabled: DisabledProbe[];
}

/** Plans probes for `events` given the programs in the object and the host's features. */
export function planProbes(
  events: readonly EventDef[],
  programs: ReadonlySet<string>,
  features: HostFeatures,
  /** Probes needed whatever the events (e.g. process tracking for follow, tree=, binary=). */
  extra: readonly string[] = [],
): ProbePlan {
  const disabled = new Map<string, DisabledProbe>();
  const unavailable = (p: ProbeDef): string | undefined => {
    const reason = probeUnavailable(p, programs, features);
    if (reason !== undefined && !disabled.has(p.name)) disabled.set(p.name, { probe: p, reason });
    return reason;
  };
  /** The probes that stand for `name` here (itself, or its fallback chain), or a reason. */
  const resolve = (name: string, into: Set<string>): string | undefined => {
    const p = probeByName(name);
    if (!p) return `probe ${name} is not in the probes table`;
    const reason = unavailable(p);
    if (reason !== undefined) return p.fallback ? resolve(p.fallback, into) : reason;
    if (into.has(p.name)) return undefined;
    into.add(p.name);
    for (const r of p.requires ?? []) {
      const why = resolve(r, into);
      if (why !== undefined) return why;
    }
    return undefined;
  };

  const live = new Map<EventDef, Set<string>>();
  const dropped: DroppedEvent[] = [];
  const extras = new Set<string>();
  const missingExtras: DisabledProbe[] = [];
  for (const e of events) {
    const needs = new Set<string>();
    let reason: string | undefined;
    for (const name of e.probes) {
      reason = resolve(name, needs);
      if (reason !== undefined) break;
    }
    if (reason !== undefined) {
      dropped.push({ event: e, reason });
      continue;
    }
    live.set(e, needs);
    for (const name of e.optionalProbes ?? []) {
      const into = new Set<string>();
      const why = resolve(name, into);
      if (why === undefined) { for (const p of into) extras.add(p); }
      else if (!missingExtras.some((d) => d.probe.name === name)) {
        missingExtras.push({
          probe: probeByName(name)!,
          reason: `${why} (${e.name} runs without it)`,
        });
      }
    }
  }
  const wanted = new Set([...live.values()].flatMap((s) => [...s]));
  const optional = new Set([...extras].filter((p) => !wanted.has(p)));
  for (const p of optional) wanted.add(p);
  for (const name of extra) {
    const why = resolve(name, wanted);
    if (why !== undefined) throw new Error(`Cannot plan probe ${name}: ${why}`);
  }
  return {
    probes: allProbes.filter((p) => wanted.has(p.name)),
    optional,
    live,
    dropped,
    disabled: [
      ...[...disabled.values()].filter((d) => d.probe.fallback && wanted.has(d.probe.fallback)),
      ...missingExtras,
    ],
  };
}

/** Removes from `plan` the events that need `probe` (which failed to attach); returns them. */
export function dropEventsNeeding(plan: ProbePlan, probe: string, reason: string): DroppedEvent[] {
  const out: DroppedEvent[] = [];
  for (const [e, needs] of plan.live) {
    if (!needs.has(probe)) continue;
    plan.live.delete(e);
    out.push({ event: e, reason });
  }
  plan.dropped.push(...out);
  return out;
}
