/** tracee's entry point: parse flags, set up, trace until a signal, print totals. */
import {
  LibbpfError,
  LibbpfMissingError,
  loadNativeLibs,
  type NativeLibs,
} from "../../ffi/libbpf.ts";
import { routeLibbpfPrint } from "../../ffi/libbpf_print.ts";
import type { EmbeddedAssets } from "../bpfobject/assets.ts";
import { selectObject, VMLINUX_BTF } from "../bpfobject/select.ts";
import { TraceeOptions } from "../decode/layout.ts";
import { NotSupportedError, TraceeError, UsageError } from "../errors.ts";
import { cliPolicy } from "../filters/cli_policy.ts";
import { realFilterHost } from "../filters/filter_host.ts";
import type { PolicySet } from "../filters/policy.ts";
import { PolicyFilter } from "../filters/policy_filter.ts";
import { logger, setupLogging } from "../log/logger.ts";
import { logAssumedKconfig, readKernelConfig, realKconfigHost } from "../osinfo/kconfig.ts";
import { logLockdown, logOsInfo, readLockdown, readOsInfo } from "../osinfo/osinfo.ts";
import { logEnrichers, registerRuntimeSockets } from "../osinfo/runtime_sockets.ts";
import { activeLsms, ensureSecurityfs } from "../osinfo/securityfs.ts";
import { ensureTracefs, tracepointLookup } from "../osinfo/tracefs.ts";
import { ProcessTree } from "../proctree/process_tree.ts";
import { eventById, eventByName } from "../events/table.ts";
import type { EventDef } from "../events/event_def.ts";
import { EpochClock } from "../output/clock.ts";
import { JsonPrinter } from "../output/json.ts";
import { DirectJsonWriter } from "../output/json_direct.ts";
import type { PolicyNamer, Printer } from "../output/printer.ts";
import {
  type ContainerColumns,
  errnoRet,
  TablePrinter,
  VerboseTablePrinter,
} from "../output/table.ts";
import { LineWriter, type SyncWriter } from "../output/writer.ts";
import { bootClock, bootToEpochOffset } from "../runtime/kernel_clock.ts";
import { type PipelineStages, printMaskOf, runPipeline } from "../runtime/pipeline.ts";
import { lossFields, summaryLine } from "../runtime/summary.ts";
import { stateObserver } from "../runtime/observe.ts";
import type { TraceeEvent } from "../decode/event.ts";
import { ExecHasher } from "../enrich/exec_hash.ts";
import { resolveFds } from "../enrich/fd_paths.ts";
import { parseArguments } from "../enrich/parse_args.ts";
import { EventSorter } from "../enrich/sorter.ts";
import { loadTemplate } from "../output/template.ts";
import { requirePrivileges } from "../runtime/privileges.ts";
import { Tracer } from "../runtime/tracer.ts";
import { type CliOptions, parseArgs, type RunOptions } from "./flags.ts";
import { listEvents } from "./list.ts";
import { listFeatures, listSignatures, reportUnfedSignatures } from "./signatures_list.ts";
import { containerIdsLookup } from "../containers/container_maps.ts";
import { ContainerEnricher } from "../containers/enricher.ts";
import { ContainerEventHold } from "../containers/lifecycle.ts";
import { ContainerRegistry } from "../containers/registry.ts";
import { type RuntimeClient, runtimeClient } from "../containers/runtime_client.ts";
import type { RuntimeName } from "../containers/cgroup_path.ts";
import { ContainerEventId } from "../events/container_events.ts";
import { scopeUsesContainers } from "../filters/scope.ts";
import type { EventCatalog } from "../events/catalog.ts";
import { SignatureEngine, withSignatureDependencies } from "../signatures/engine.ts";
import { loadSignatures } from "../signatures/load.ts";
import { versionText } from "./version.ts";
import { pathExists } from "../path_exists.ts";

/** Where tracee writes. */
export interface CliIo {
  readonly stdout: SyncWriter;
  readonly stderr: SyncWriter;
}

const encoder = new TextEncoder();

function writeLine(w: SyncWriter, s: string): void {
  const bytes = encoder.encode(s + "\n");
  let off = 0;
  while (off < bytes.length) off += w.writeSync(bytes.subarray(off));
}

/** Verifier log lines shown for a failed load. */
const VERIFIER_TAIL = 20;

function makePrinter(
  opts: RunOptions,
  clock: EpochClock,
  names: PolicyNamer,
  containers: ContainerColumns,
): Printer {
  const parsed = opts.outputOptions.parseArguments;
  switch (opts.format) {
    case "json":
      return new JsonPrinter(clock, names, parsed);
    case "gotemplate":
      return loadTemplate(opts.templatePath!, clock, names);
    case "table-verbose":
      return new VerboseTablePrinter(clock, parsed ? errnoRet : undefined, containers);
    case "table":
      return new TablePrinter(clock, parsed ? errnoRet : undefined, containers);
  }
}

/**
 * TRACEE_SYSCALL_HOOKS=raw|per-syscall forces how syscall programs attach (a diagnostic knob;
 * by default tracee chooses by the size of the selection).
 */
function syscallHookLimit(): number | undefined {
  const v = Deno.env.get("TRACEE_SYSCALL_HOOKS");
  if (v === undefined || v === "" || v === "auto") return undefined;
  if (v === "raw") return 0;
  if (v === "per-syscall") return Number.MAX_SAFE_INTEGER;
  throw new UsageError(
    `Cannot use TRACEE_SYSCALL_HOOKS='${v}': expected raw, per-syscall or auto`,
  );
}

/** The table's container columns: as Tracee, when a policy scopes containers. */
function containerColumns(opts: RunOptions, policies: PolicySet): ContainerColumns {
  if (!policies.policies.some((p) => scopeUsesContainers(p.scope))) return "none";
  return opts.noContainers ? "ids" : "enriched";
}

/** The clients of the registered runtimes tracee can ask (none with --no-containers). */
function runtimeClients(
  opts: RunOptions,
  sockets: ReadonlyMap<RuntimeName, string>,
): Map<RuntimeName, RuntimeClient> {
  const clients = new Map<RuntimeName, RuntimeClient>();
  if (opts.noContainers) return clients;
  for (const [runtime, socket] of sockets) {
    const client = runtimeClient(runtime, socket);
    if (client) clients.set(runtime, client);
  }
  return clients;
}

/** The events that feed the process tree (emitted for every process while it is on). */
const PROC_TREE_EVENTS = ["sched_process_fork", "sched_process_exec", "sched_process_exit"];

/** The process tree the run keeps: asked for, or needed by selected signatures. */
function makeProcessTree(opts: RunOptions, signatures: boolean): ProcessTree | undefined {
  if (opts.procTree.source !== "events" && !signatures) return undefined;
  return new ProcessTree({ maxEntries: opts.procTree.processCache });
}

/** The stages after decode: argument filters, then the enrichment the output options ask for. */
function makeStages(
  opts: RunOptions,
  policyFilter: PolicyFilter,
  bootNow: () => number,
  tree: ProcessTree | undefined,
  detections: { engine: SignatureEngine; policies: PolicySet },
  containers: { registry: ContainerRegistry; hold: ContainerEventHold },
): PipelineStages {
  const { engine, policies } = detections;
  const o = opts.outputOptions;
  const enrich: ((e: TraceeEvent) => void)[] = [];
  if (o.execHash) {
    const hasher = new ExecHasher();
    enrich.push((e) => hasher.enrich(e));
  }
  if (o.parseArgumentsFds) enrich.push((e) => resolveFds(e));
  if (o.parseArguments) enrich.push(parseArguments);
  const { registry, hold } = containers;
  return {
    hold,
    observe: stateObserver(registry, tree),
    detect: engine.active ? (e, emit) => engine.process(e, emit) : undefined,
    printMask: engine.active ? printMaskOf(policies) : undefined,
    keep: policyFilter.active ? (e) => policyFilter.apply(e) : undefined,
    enrich,
    sorter: o.sortEvents ? new EventSorter(bootNow) : undefined,
  };
}

/**
 * Whether json can be written straight from the records: nothing between the ring and the output
 * needs the decoded event (no process tree, signatures, held container events, argument filters,
 * enrichment, sorting; the container fields the direct writer looks up itself).
 */
function directJson(
  opts: RunOptions,
  stages: PipelineStages,
  tree: ProcessTree | undefined,
  /** container_create / existing_container are selected (they wait for the runtime's answer). */
  heldEvents: boolean,
): boolean {
  return opts.format === "json" && !opts.outputOptions.parseArguments && !tree &&
    !stages.detect && !stages.printMask && !stages.keep && stages.enrich.length === 0 &&
    !stages.sorter && !heldEvents;
}

/** The policies of the run: from --policy files, or the one the other flags describe. */
async function buildPolicies(
  opts: RunOptions,
  catalog: EventCatalog,
): Promise<{ set: PolicySet; implicit: boolean }> {
  if (opts.policies.length > 0) {
    if (opts.events.length + opts.filters.length + opts.scopes.length > 0) {
      throw new UsageError(
        "Cannot use --policy together with --events, --scope or --filter: put the events and scopes in the policy",
      );
    }
    // YAML and schema validation are loaded only for runs with policy files
    const { loadPolicies } = await import("../filters/policy_file.ts");
    return { set: loadPolicies(opts.policies, catalog), implicit: false };
  }
  return cliPolicy({ events: opts.events, filters: opts.filters, scopes: opts.scopes }, catalog);
}

async function trace(opts: RunOptions, assets: EmbeddedAssets, io: CliIo): Promise<number> {
  setupLogging(opts.log, io.stderr);
  const log = logger("tracee");
  // The start-up lines of seed 000, in its order.
  const os = readOsInfo();
  logOsInfo(os);
  const sockets = registerRuntimeSockets(opts.cri);
  ensureSecurityfs();
  ensureTracefs();
  logLockdown(readLockdown());
  const kconfig = readKernelConfig(realKconfigHost);
  // Everything the user typed is checked before any kernel work.
  const registry = await loadSignatures(opts.signaturesDirs);
  const catalog = registry.catalog();
  const built = await buildPolicies(opts, catalog);
  const implicit = built.implicit;
  // selected signatures bring the events they need (emitted, not printed, unless selected too)
  const policies = withSignatureDependencies(built.set, registry, catalog);
  const signaturesOn = registry.all.some((s) => policies.bitmapOf(s.def) !== 0n);
  const clock = new EpochClock();
  const printer = makePrinter(
    opts,
    clock,
    (lo, hi) => policies.names(lo, hi),
    containerColumns(opts, policies),
  );
  requirePrivileges();

  let libs: NativeLibs;
  try {
    libs = loadNativeLibs();
  } catch (e) {
    if (e instanceof LibbpfMissingError) {
      throw new NotSupportedError(
        e.message,
        "install libbpf 1.x (apt-get install libbpf1) or set LIBBPF_PATH",
      );
    }
    throw e;
  }
  const libbpfLog = logger("libbpf");
  const printRoute = routeLibbpfPrint(libs, (level, line) => {
    if (level === "warn") libbpfLog.debug("libbpf", { text: line });
  });

  const stop = new AbortController();
  const onSignal = () => stop.abort();
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);
  let tracer: Tracer | undefined;
  let releaseObject = () => {};
  const tree = makeProcessTree(opts, signaturesOn);
  const enricher = new ContainerEnricher(runtimeClients(opts, sockets));
  const engine = new SignatureEngine(registry, policies, catalog, {
    processTree: tree ?? new ProcessTree(),
    containerOf: (e) => e.container,
  });
  const internalEvents: EventDef[] = tree ? PROC_TREE_EVENTS.map((n) => eventByName(n)!) : [];
  try {
    const choice = await selectObject({
      bpfFile: Deno.env.get("TRACEE_BPF_FILE"),
      btfFile: Deno.env.get("TRACEE_BTF_FILE"),
      vmlinux: pathExists(VMLINUX_BTF),
      os,
      installPath: opts.installPath,
      assets,
      allowInsecure: opts.allowInsecureBpfFile,
    });
    releaseObject = choice.release;
    // The rest of seed 000's start-up lines, in its order.
    logEnrichers(sockets);
    logAssumedKconfig(kconfig);
    tracer = Tracer.open(libs, {
      object: choice.object,
      btfCustomPath: choice.btfCustomPath,
      policies,
      ringBufferPages: opts.ringBufferPages,
      selfPid: Deno.pid,
      options: opts.outputOptions.execEnv ||
          engine.selected.some((s) => s.signature.options?.includes("exec-env"))
        ? TraceeOptions.EXEC_ENV
        : 0,
      implicitEvents: implicit,
      internalEvents,
      perSyscallMax: syscallHookLimit(),
      features: {
        tracepointExists: tracepointLookup(),
        kernelBtf: choice.kernelBtf,
        kprobes: kconfig.enabled("KPROBES", true),
        bpfLsm: kconfig.enabled("BPF_LSM", false) && (activeLsms()?.includes("bpf") ?? false),
      },
    });
    tracer.configure();
    try {
      tracer.load();
    } catch (e) {
      if (e instanceof LibbpfError) {
        for (const line of tracer.verifierTail(VERIFIER_TAIL)) {
          log.debug("BPF: verifier", { text: line });
        }
        throw new TraceeError(
          `Cannot load the eBPF object into the kernel: ${e.message}`,
          2,
          "run with --log debug to see the verifier's last lines",
        );
      }
      throw e;
    }
    const host = realFilterHost(libs.libc);
    tracer.applyScopes(host);
    const containers = new ContainerRegistry(containerIdsLookup(tracer.object), enricher);
    tracer.attach();
    tracer.selectEvents();
    const hooks = tracer.syscallHooks;
    log.debug("BPF: attached", {
      probes: tracer.probes.map((p) => p.name).join(","),
      syscall_hooks: hooks?.mode === "per-syscall"
        ? `per syscall (${hooks.enter.length} at entry, ${hooks.exit.length} at exit)`
        : `raw tracepoints (${hooks?.why})`,
    });
    reportUnfedSignatures(engine, tracer.liveEvents, implicit);
    if (tree) {
      tree.seed();
      log.debug("Process tree: seeded from /proc", { processes: tree.size });
    }
    clock.calibrate(bootToEpochOffset(libs.libc));
    const bootNow = bootClock(libs.libc);
    const epoch = { sec: 0, nsec: 0 };
    const hold = new ContainerEventHold(containers, {
      now: () => performance.now(),
      epochNs: (e) => {
        const t = clock.toEpoch(e.tsHi, e.tsLo, epoch);
        return BigInt(t.sec) * 1_000_000_000n + BigInt(t.nsec);
      },
      bootNs: bootNow,
    });
    // containers running before tracee have started (their set-up is long done)
    const running = host.containers().existing;
    if (tree) { for (const c of running) containers.markExisting(c.id, c.runtime); }
    const existing = policies.bitmapOf(eventById(ContainerEventId.EXISTING_CONTAINER)!);
    if (existing !== 0n) {
      hold.addExisting(
        running,
        Number(existing & 0xffffffffn),
        Number(existing >> 32n),
      );
    }
    const out = new LineWriter(io.stdout);
    const policyFilter = new PolicyFilter(policies);
    const stages = makeStages(opts, policyFilter, bootNow, tree, { engine, policies }, {
      registry: containers,
      hold,
    });
    const held = [ContainerEventId.CONTAINER_CREATE, ContainerEventId.EXISTING_CONTAINER]
      .some((id) => policies.bitmapOf(eventById(id)!) !== 0n);
    const direct = directJson(opts, stages, tree, held)
      ? new DirectJsonWriter(
        clock,
        (lo, hi) => policies.names(lo, hi),
        io.stdout,
        (key) => containers.recordOf(key),
      )
      : undefined;
    log.debug("Output", { format: opts.format, direct: direct !== undefined });
    const summary = await runPipeline(tracer, printer, out, stop.signal, stages, direct);
    engine.close();
    await enricher.close();
    log.debug("Containers", { ...enricher.stats, containers: containers.size });
    if (engine.active) log.debug("Signatures", engine.counts());
    if (tree) log.debug("Process tree", { ...tree.stats, processes: tree.size });
    log.debug("Filter counts", {
      kernel_scope_filtered: summary.kernel.filtered,
      argument_filtered: policyFilter.dropped,
      printed: summary.printed,
    });
    log.debug("Loss counts", lossFields(summary));
    const detections = engine.active ? `, ${engine.findings} detections` : "";
    writeLine(io.stderr, summaryLine(summary) + detections);
    return 0;
  } finally {
    Deno.removeSignalListener("SIGINT", onSignal);
    Deno.removeSignalListener("SIGTERM", onSignal);
    tracer?.destroy();
    releaseObject();
    printRoute.dispose();
    libs.close();
  }
}

/** Reports an error as one line (plus a hint line when there is one) and returns the exit code. */
export function reportError(e: unknown, io: CliIo): number {
  if (e instanceof TraceeError) {
    writeLine(io.stderr, e.message);
    if (e.hint) writeLine(io.stderr, `hint: ${e.hint}`);
    return e.exitCode;
  }
  if (e instanceof LibbpfError) {
    writeLine(io.stderr, `Cannot run the eBPF programs: ${e.message}`);
    return 1;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  writeLine(io.stderr, `Cannot continue: ${err.message}`);
  if (Deno.env.get("TRACEE_DEBUG")) writeLine(io.stderr, err.stack ?? "");
  return 1;
}

/** Runs tracee with `argv`; returns the exit code. */
export async function runCli(
  argv: readonly string[],
  assets: EmbeddedAssets,
  io: CliIo = { stdout: Deno.stdout, stderr: Deno.stderr },
): Promise<number> {
  let opts: CliOptions;
  try {
    opts = parseArgs(argv, assets.version);
    if (opts.command === "info") {
      writeLine(io.stdout, opts.text.trimEnd());
      return 0;
    }
    if (opts.command === "list") {
      const registry = await loadSignatures(opts.signaturesDirs);
      writeLine(io.stdout, listEvents());
      writeLine(io.stdout, listSignatures(registry, listFeatures()));
      return 0;
    }
    if (opts.command === "version") {
      writeLine(io.stdout, await versionText(assets));
      return 0;
    }
    return await trace(opts, assets, io);
  } catch (e) {
    return reportError(e, io);
  }
}
