/**
 * The eBPF lifecycle, one step per method: open → configure (autoload, ring size, .rodata) →
 * load → attach → select events → poll → destroy. destroy() always runs (callers use finally).
 */
import { BpfLink, BpfObject, bufferText, type NativeLibs } from "../../ffi/libbpf.ts";
import { RingBufferMapping } from "../../ffi/ringbuf.ts";
import { TraceeConfig as TC } from "../decode/layout.ts";
import type { EventDef } from "../events/event_def.ts";
import { type ProbeDef, probes, probesFor } from "../events/probes.ts";
import { logger } from "../log/logger.ts";
import { RingBufferReader, type SampleHandler } from "../ringbuf/reader.ts";
import { type KernelCounts, readKernelCounts } from "./counters.ts";
import { encodeEventConfig, eventKey } from "./event_config.ts";

/** Where the eBPF object comes from. */
export type ObjectSource =
  | { readonly kind: "memory"; readonly bytes: Uint8Array<ArrayBuffer>; readonly name: string }
  | { readonly kind: "file"; readonly path: string };

/** Everything the tracer needs to start. */
export interface TracerConfig {
  readonly object: ObjectSource;
  /** BTF for CO-RE relocations instead of /sys/kernel/btf/vmlinux. */
  readonly btfCustomPath?: string;
  readonly events: readonly EventDef[];
  /** Ring buffer size in pages (a power of two). */
  readonly ringBufferPages: number;
  /** tracee's own pid: never traced. */
  readonly selfPid: number;
  /** tracee_config.options bits. */
  readonly options: number;
  /** What the host kernel offers; probes it cannot run are replaced by their fallbacks. */
  readonly features: HostFeatures;
}

/** Kernel features that decide which probes can run. */
export interface HostFeatures {
  /** /sys/kernel/btf/vmlinux exists: tp_btf programs can resolve their attach target. */
  readonly kernelBtf: boolean;
}

/** Why `probe` cannot run on this host with this object, or undefined when it can. */
export function probeUnavailable(
  probe: ProbeDef,
  programs: ReadonlySet<string>,
  features: HostFeatures,
): string | undefined {
  if (!programs.has(probe.program)) return "its program is not in this eBPF object";
  if (probe.type === "tp_btf" && !features.kernelBtf) {
    return "tp_btf programs need the kernel's BTF (/sys/kernel/btf/vmlinux is absent)";
  }
  return undefined;
}

const PAGE_SIZE = 4096;
/** Bytes of verifier log kept from a failed load. */
const VERIFIER_LOG_SIZE = 1 << 20;
/** Policy bit for events selected without policies. */
const DEFAULT_POLICY = 1n;

/** A loaded, attached set of eBPF programs streaming events. */
export class Tracer {
  readonly #log = logger("tracer");
  readonly #links: BpfLink[] = [];
  #mapping: RingBufferMapping | undefined;
  #obj: BpfObject | undefined;
  #probes: ProbeDef[] = [];
  readonly #verifierLog: Uint8Array<ArrayBuffer>;

  private constructor(
    private readonly libs: NativeLibs,
    private readonly cfg: TracerConfig,
    obj: BpfObject,
    verifierLog: Uint8Array<ArrayBuffer>,
  ) {
    this.#obj = obj;
    this.#verifierLog = verifierLog;
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

  /** The probes the selected events need (after configure()). */
  get probes(): readonly ProbeDef[] {
    return this.#probes;
  }

  /** Picks the probes the events need that this host can run (fallbacks for the others). */
  #chooseProbes(programs: ReadonlySet<string>): ProbeDef[] {
    const needed = probesFor(this.cfg.events.flatMap((e) => e.probes), new Set());
    const unavailable = new Set<string>();
    for (const p of probes) {
      const reason = probeUnavailable(p, programs, this.cfg.features);
      if (reason === undefined) continue;
      unavailable.add(p.name);
      if (needed.includes(p)) {
        this.#log.debug("BPF: probe disabled", {
          probe: p.name,
          program: p.program,
          reason,
          fallback: p.fallback ?? "none",
        });
      }
    }
    return probesFor(this.cfg.events.flatMap((e) => e.probes), unavailable);
  }

  /** Loads only the programs the selected events need; sizes the ring; sets .rodata knobs. */
  configure(): void {
    const obj = this.object;
    const programs = obj.programs();
    this.#probes = this.#chooseProbes(new Set(programs.map((p) => p.name)));
    const wanted = new Set(this.#probes.map((p) => p.program));
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

  /** Creates maps and loads programs into the kernel (the verifier runs here). */
  load(): void {
    this.object.load();
  }

  /** The last `n` lines of the kernel's log for the last failed program load. */
  verifierTail(n: number): string[] {
    const lines = bufferText(this.#verifierLog).split("\n").filter((l) => l.trim() !== "");
    return lines.slice(-n);
  }

  /** Writes the event_config entry of every selected event. */
  selectEvents(): void {
    const map = this.object.map("event_config");
    for (const e of this.cfg.events) {
      map.update(eventKey(e.id), encodeEventConfig(e, DEFAULT_POLICY));
    }
  }

  /** Attaches the needed probes' programs. */
  attach(): void {
    for (const p of this.#probes) this.#links.push(this.object.program(p.program).attach());
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
