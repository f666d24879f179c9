/**
 * The eBPF lifecycle, one step per method: open → configure (autoload, ring size, .rodata) →
 * load → attach → select events → poll → destroy. destroy() always runs (callers use finally).
 */
import { BpfLink, BpfObject, bufferText, LibbpfError, type NativeLibs } from "../../ffi/libbpf.ts";
import { RingBufferMapping } from "../../ffi/ringbuf.ts";
import { TraceeConfig as TC } from "../decode/layout.ts";
import type { EventDef } from "../events/event_def.ts";
import { MAX_EVENT_ID } from "../events/table.ts";
import { type FilterHost, writeFilterMaps } from "../filters/kernel_maps.ts";
import type { PolicySet } from "../filters/policy.ts";
import {
  encodePathFilter,
  type KernelPathFilter,
  kernelPathFilters,
} from "../filters/path_filters.ts";
import { probeByName, type ProbeDef } from "../events/probes.ts";
import { TraceeError } from "../errors.ts";
import { logger } from "../log/logger.ts";
import { RingBufferReader, type SampleHandler } from "../ringbuf/reader.ts";
import { type KernelCounts, readKernelCounts } from "./counters.ts";
import { eventConfigEntries, eventKey } from "./event_config.ts";
import { planSyscallHooks, type SyscallHooks } from "./syscall_hooks.ts";
import { tracepointOf } from "../events/syscall_tracepoints.ts";
import {
  dropEventsNeeding,
  type DroppedEvent,
  type HostFeatures,
  planProbes,
  type ProbePlan,
} from "./probe_plan.ts";

export type { HostFeatures } from "./probe_plan.ts";

/** Where the eBPF object comes from. */
export type ObjectSource =
  | { readonly kind: "memory"; readonly bytes: Uint8Array<ArrayBuffer>; readonly name: string }
  | { readonly kind: "file"; readonly path: string };

/** Everything the tracer needs to start. */
export interface TracerConfig {
  readonly object: ObjectSource;
  /** The policies: which events (rules) and which processes (scopes). */
  readonly policies: PolicySet;
  /** BTF for CO-RE relocations instead of /sys/kernel/btf/vmlinux. */
  readonly btfCustomPath?: string;
  /** Ring buffer size in pages (a power of two). */
  readonly ringBufferPages: number;
  /** tracee's own pid: never traced. */
  readonly selfPid: number;
  /** tracee_config.options bits. */
  readonly options: number;
  /** What the host kernel offers; probes it cannot run are replaced by their fallbacks. */
  readonly features: HostFeatures;
  /**
   * The user did not choose the events (the default set): those this kernel cannot run are
   * skipped with a debug line each instead of a warning, and one info line counts them.
   */
  readonly implicitEvents?: boolean;
  /**
   * Events emitted for every process whatever the policies' scopes, for state user space keeps
   * (the process tree): a record of one no policy wants arrives with no matched policy.
   */
  readonly internalEvents?: readonly EventDef[];
  /** Most syscall hooks attached one by one (default PER_SYSCALL_MAX; 0: always raw). */
  readonly perSyscallMax?: number;
}

const PAGE_SIZE = 4096;
/** Bytes of verifier log kept from a failed load. */
const VERIFIER_LOG_SIZE = 1 << 20;
/** Probes that keep the kernel's per-process state (proc_infos) for follow, tree= and binary=. */
const PROCESS_TRACKING_PROBES = ["sched_process_fork", "sched_process_exec", "sched_process_exit"];
/** Probes every run needs: a thread's exit drops its cached context (task_ctxs) and pending execve. */
const ALWAYS_PROBES = ["sched_process_exit"];

/** A loaded, attached set of eBPF programs streaming events. */
export class Tracer {
  readonly #log = logger("tracer");
  readonly #links: BpfLink[] = [];
  #mapping: RingBufferMapping | undefined;
  #obj: BpfObject | undefined;
  #plan: ProbePlan | undefined;
  readonly #verifierLog: Uint8Array<ArrayBuffer>;
  /** The policies' path filters the kernel evaluates, by event. */
  readonly #pathFilters: Map<EventDef, KernelPathFilter>;
  /** How the syscall programs attach (after configure). */
  #hooks: SyscallHooks | undefined;
  /** Default-set events left out because this kernel cannot trace them. */
  #leftOut = 0;

  private constructor(
    private readonly libs: NativeLibs,
    private readonly cfg: TracerConfig,
    obj: BpfObject,
    verifierLog: Uint8Array<ArrayBuffer>,
  ) {
    this.#obj = obj;
    this.#verifierLog = verifierLog;
    this.#pathFilters = kernelPathFilters(cfg.policies);
  }

  /** Opens the object (no kernel interaction yet). */
  static open(libs: NativeLibs, cfg: TracerConfig): Tracer {
    const kernelLogBuf = new Uint8Array(VERIFIER_LOG_SIZE);
    const opts = { btfCustomPath: cfg.btfCustomPath, objectName: "tracee", kernelLogBuf };
    const obj = cfg.object.kind === "memory"
      ? BpfObject.openMem(libs.libbpf, cfg.object.bytes, opts)
      : BpfObject.openFile(libs.libbpf, cfg.object.path, opts);
    return new Tracer(libs, cfg, obj, kernelLogBuf);
  }

  get object(): BpfObject {
    if (!this.#obj) throw new Error("Cannot use the tracer: it was destroyed");
    return this.#obj;
  }

  /** The probes to attach (after configure()). */
  get probes(): readonly ProbeDef[] {
    return this.#plan?.probes ?? [];
  }

  /** Events that will be traced (after configure(); attach() may drop more). */
  get liveEvents(): EventDef[] {
    return [...(this.#plan?.live.keys() ?? [])];
  }

  /**
   * One warning per event the user named that cannot run here. Events of the default set the
   * user did not choose get a debug line each, and are counted for one info line after attach.
   */
  #reportDropped(dropped: readonly DroppedEvent[]): void {
    for (const d of dropped) {
      const fields = { event: d.event.name, reason: d.reason };
      if (this.cfg.implicitEvents) this.#log.debug("Event cannot be traced on this kernel", fields);
      else this.#log.warn("Event cannot be traced on this kernel", fields);
    }
    if (this.cfg.implicitEvents) this.#leftOut += dropped.length;
  }

  #requireLive(): void {
    if (this.#plan && this.#plan.live.size > 0) return;
    const why = this.#plan?.dropped.map((d) => `${d.event.name}: ${d.reason}`).join("; ") ?? "";
    throw new TraceeError(`Cannot trace any of the selected events on this kernel (${why})`, 2);
  }

  /**
   * Plans probes for this host (fallbacks for probes it cannot run, events dropped with one
   * warning each, see #reportDropped), loads only the programs needed, sizes the ring, sets the .rodata knobs.
   */
  configure(): void {
    const obj = this.object;
    const programs = obj.programs();
    const tracking = this.cfg.policies.needsProcessTracking() ? PROCESS_TRACKING_PROBES : [];
    const extra = [...ALWAYS_PROBES, ...tracking];
    // signature events are made in user space: the kernel gets the events signatures need
    const selected = this.cfg.policies.events().filter((e) => e.id < MAX_EVENT_ID);
    const internal = (this.cfg.internalEvents ?? []).filter((e) => !selected.includes(e));
    this.#plan = planProbes(
      [...selected, ...internal],
      new Set(programs.map((p) => p.name)),
      this.cfg.features,
      extra,
    );
    for (const d of this.#plan.disabled) {
      this.#log.debug("BPF: probe disabled", {
        probe: d.probe.name,
        program: d.probe.program,
        reason: d.reason,
        fallback: d.probe.fallback ?? "none",
      });
    }
    this.#hooks = planSyscallHooks(
      this.#plan.live,
      (e) => this.cfg.policies.named(e),
      this.cfg.features.tracepointExists,
      this.cfg.perSyscallMax,
    );
    for (const d of this.#hooks.dropped) this.#plan.live.delete(d.event);
    this.#plan.dropped.push(...this.#hooks.dropped);
    this.#reportDropped(this.#plan.dropped);
    this.#requireLive();
    const wanted = new Set(this.#plan.probes.map((p) => this.#programOf(p)));
    for (const prog of programs) prog.setAutoload(wanted.has(prog.name));
    obj.map("events").setMaxEntries(this.cfg.ringBufferPages * PAGE_SIZE);
    const rodata = obj.map(".rodata");
    const knobs = new Uint8Array(TC.size);
    const dv = new DataView(knobs.buffer);
    dv.setUint32(TC.self_tgid, this.cfg.selfPid, true);
    dv.setUint32(TC.options, this.cfg.options, true);
    if (rodata.valueSize !== TC.size) {
      throw new Error(
        `Cannot configure the BPF object: .rodata holds ${rodata.valueSize} bytes, expected ${TC.size}`,
      );
    }
    rodata.setInitialValue(knobs);
  }

  /** How the syscall programs attach (after configure()). */
  get syscallHooks(): SyscallHooks | undefined {
    return this.#hooks;
  }

  /** The probe that stands for `p` in this run: sys_enter/sys_exit attach per syscall when few. */
  #standIn(p: ProbeDef): ProbeDef {
    if (this.#hooks?.mode !== "per-syscall") return p;
    if (p.name === "sys_enter") return probeByName("syscall_enter")!;
    if (p.name === "sys_exit") return probeByName("syscall_exit")!;
    return p;
  }

  #programOf(p: ProbeDef): string {
    return this.#standIn(p).program;
  }

  /** Attaches probe `p` (once per syscall tracepoint for a per-syscall program). */
  #attachProbe(p: ProbeDef): void {
    const probe = this.#standIn(p);
    const prog = this.object.program(probe.program);
    if (!probe.perSyscall) {
      this.#links.push(prog.attach());
      return;
    }
    const point = probe.perSyscall.point;
    const names = probe.perSyscall.syscalls?.map(tracepointOf) ??
      (point === "enter" ? this.#hooks!.enter : this.#hooks!.exit);
    for (const name of names) {
      const tp = `sys_${point}_${name}`;
      if (this.cfg.features.tracepointExists?.(tp) === false) continue;
      this.#links.push(prog.attachTracepoint("syscalls", tp));
    }
  }

  /** Creates maps and loads programs into the kernel (the verifier runs here). */
  load(): void {
    this.object.load();
  }

  /** The last `n` lines of the kernel's log for the last failed program load. */
  verifierTail(n: number): string[] {
    const lines = bufferText(this.#verifierLog).split("\n").filter((l) => l.trim() !== "");
    return lines.slice(-n);
  }

  /**
   * Writes the policies' scopes into the filter maps, and their path prefix filters into
   * path_filters (after load, before selectEvents).
   */
  applyScopes(host: FilterHost): void {
    writeFilterMaps(this.object, this.cfg.policies, host);
    for (const [e, f] of this.#pathFilters) {
      this.object.map("path_filters").update(eventKey(e.id), encodePathFilter(f));
    }
  }

  /**
   * Writes the event_config entry of every live event, and flags the syscalls whose exits build
   * live derived events: from here on the programs emit.
   */
  selectEvents(): void {
    const plan = this.#plan;
    if (!plan) throw new Error("Cannot select events: configure() was not called");
    const internal = new Set(this.cfg.internalEvents ?? []);
    const entries = eventConfigEntries(
      plan.live,
      (e) => this.cfg.policies.bitmapOf(e),
      internal,
      new Set(this.#pathFilters.keys()),
    );
    const map = this.object.map("event_config");
    for (const [id, value] of entries) map.update(eventKey(id), value);
  }

  /**
   * Attaches the planned probes. A probe that fails to attach (e.g. a tracepoint this kernel
   * lacks) drops the events needing it, with a warning; it is an error only when none is left.
   */
  attach(): void {
    const plan = this.#plan;
    if (!plan) throw new Error("Cannot attach: configure() was not called");
    for (const p of plan.probes) {
      try {
        this.#attachProbe(p);
      } catch (e) {
        if (!(e instanceof LibbpfError)) throw e;
        const hint = e.errnoName === "ENOENT" ? " (this kernel has no such hook)" : "";
        if (plan.optional.has(p.name)) {
          this.#log.debug("BPF: optional probe not attached", {
            probe: p.name,
            reason: `attaching ${p.type}/${p.target} failed: ${e.errnoName}${hint}`,
          });
          continue;
        }
        this.#reportDropped(
          dropEventsNeeding(
            plan,
            p.name,
            `attaching ${p.type}/${p.target} failed: ${e.errnoName}${hint}`,
          ),
        );
      }
    }
    this.#requireLive();
    if (this.#leftOut > 0) {
      this.#log.info("Default events this kernel cannot trace were left out", {
        count: this.#leftOut,
        hint: "run with --log debug to list them and why",
      });
    }
  }

  /** Maps the ring buffer and returns a reader handing each record to `onSample`. */
  reader(
    onSample: (dv: DataView, bytes: Uint8Array, off: number, len: number) => void,
  ): RingBufferReader {
    const map = this.object.map("events");
    this.#mapping = RingBufferMapping.map(this.libs, map.fd, map.maxEntries);
    const bytes = this.#mapping.bytes;
    const handler: SampleHandler = (dv, off, len) => onSample(dv, bytes, off, len);
    return new RingBufferReader(this.#mapping, handler);
  }

  /** Waits until the kernel signals new records, at most `timeoutMs`. */
  wait(timeoutMs: number): Promise<void> {
    return this.#mapping ? this.#mapping.wait(timeoutMs) : Promise.resolve();
  }

  /** The kernel-side counters (records submitted, lost). */
  counts(): KernelCounts {
    return readKernelCounts(
      this.object.map("counters"),
      this.libs.libbpf.libbpf_num_possible_cpus(),
    );
  }

  /** Detaches every program (events stop arriving; the ring can still be drained). */
  detach(): void {
    for (const l of this.#links.splice(0)) {
      try {
        l.destroy();
      } catch (e) {
        this.#log.warn("BPF: could not detach program", { program: l.program, error: String(e) });
      }
    }
  }

  /** Detaches, unmaps the ring buffer and closes the object. Safe to call twice. */
  destroy(): void {
    this.detach();
    this.#mapping?.close();
    this.#mapping = undefined;
    this.#obj?.close();
    this.#obj = undefined;
  }
}
