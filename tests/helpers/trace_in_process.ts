/** Loads the real CO-RE object in the test process, runs a trigger, and collects events. */
import assert from "node:assert/strict";
import { loadNativeLibs } from "../../ffi/libbpf.ts";
import { EventDecoder } from "../../src/decode/decoder.ts";
import type { TraceeEvent } from "../../src/decode/event.ts";
import { cliPolicy } from "../../src/filters/cli_policy.ts";
import { containerIdsLookup } from "../../src/containers/container_maps.ts";
import { ContainerRegistry } from "../../src/containers/registry.ts";
import type { ProcessTree } from "../../src/proctree/process_tree.ts";
import { stateObserver } from "../../src/runtime/observe.ts";
import { realFilterHost } from "../../src/filters/filter_host.ts";
import type { PolicySet } from "../../src/filters/policy.ts";
import type { KernelCounts } from "../../src/runtime/counters.ts";
import { Tracer } from "../../src/runtime/tracer.ts";
import type { EventDef } from "../../src/events/event_def.ts";
import { ensureTracefs, tracepointLookup } from "../../src/osinfo/tracefs.ts";
import { CORE_OBJECT } from "./kernel.ts";

/** Options of traceWhile. */
export interface TraceOptions {
  /** tracee_config.options bits (e.g. TraceeOptions.EXEC_ENV). */
  readonly options?: number;
  /** Applied to each kept event (e.g. parseArguments). */
  readonly enrich?: (e: TraceeEvent) => void;
  /** Policies instead of the events list (scopes, several policies). */
  readonly policies?: PolicySet;
  /** Called with the kernel counters before the object is destroyed. */
  readonly counts?: (c: KernelCounts) => void;
  /** A process tree to keep from the events (with containers' start, as a run does). */
  readonly tree?: ProcessTree;
  /** Events emitted for every process (the process tree's), not selected by the policies. */
  readonly internalEvents?: readonly EventDef[];
  /** Ring buffer size in pages (default 1024). */
  readonly ringBufferPages?: number;
  /** Called after configure, before load (e.g. to resize or retype a map). */
  readonly beforeLoad?: (t: Tracer) => void;
  /** Called after the events were collected, before the object is destroyed (to read maps). */
  readonly inspect?: (t: Tracer) => void;
}

/**
 * Loads the object with `events`, runs `act` (returning what the test needs from the trigger),
 * collects events `keep` accepts until `done` says so or 10 s pass. Each event has its container
 * looked up (`e.container`: id and runtime, no runtime is asked).
 */
export async function traceWhile<T>(
  events: string[],
  act: () => T,
  keep: (e: TraceeEvent, acted: T) => boolean,
  done: (seen: TraceeEvent[], acted: T) => boolean,
  opts: TraceOptions = {},
): Promise<{ seen: TraceeEvent[]; acted: T }> {
  const libs = loadNativeLibs();
  ensureTracefs();
  const t = Tracer.open(libs, {
    object: { kind: "memory", bytes: Deno.readFileSync(CORE_OBJECT), name: "tracee.bpf.core.o" },
    policies: opts.policies ?? cliPolicy({ events, filters: [], scopes: [] }).set,
    ringBufferPages: opts.ringBufferPages ?? 1024,
    selfPid: Deno.pid,
    options: opts.options ?? 0,
    internalEvents: opts.internalEvents,
    // make test runs the kernel tests a second time with TRACEE_SYSCALL_HOOKS=raw
    perSyscallMax: Deno.env.get("TRACEE_SYSCALL_HOOKS") === "raw" ? 0 : undefined,
    features: {
      kernelBtf: true,
      kprobes: false,
      bpfLsm: false,
      tracepointExists: tracepointLookup(),
    },
  });
  const seen: TraceeEvent[] = [];
  let acted: T;
  try {
    t.configure();
    opts.beforeLoad?.(t);
    t.load();
    t.applyScopes(realFilterHost(libs.libc));
    t.attach();
    t.selectEvents();
    const decoder = new EventDecoder();
    const containers = new ContainerRegistry(containerIdsLookup(t.object));
    const observe = stateObserver(containers, opts.tree);
    const pending: TraceeEvent[] = [];
    const reader = t.reader((dv, bytes, off, len) => {
      const e = decoder.decode(dv, bytes, off, len);
      if (e) {
        observe(e);
        pending.push(e);
      }
    });
    acted = act();
    const end = Date.now() + 10_000;
    for (;;) {
      if (reader.drain() === 0) await t.wait(50);
      for (const e of pending.splice(0)) {
        if (!keep(e, acted)) continue;
        opts.enrich?.(e);
        seen.push(e);
      }
      if (done(seen, acted) || Date.now() > end) break;
    }
    assert.equal(decoder.stats.errors, 0, "every record decodes");
    opts.counts?.(t.counts());
    opts.inspect?.(t);
  } finally {
    t.destroy();
    libs.close();
  }
  return { seen, acted };
}

/** An argument's value. */
export function arg(e: TraceeEvent, name: string): unknown {
  return e.args.find((a) => a.name === name)?.value;
}

/** Runs python3 code; returns its stdout parsed as JSON (the trigger reports pids, fds, …). */
export function python<T>(code: string): T {
  const out = new Deno.Command("python3", { args: ["-c", code], stdout: "piped", stderr: "piped" })
    .outputSync();
  if (!out.success) throw new Error(`python3 failed: ${new TextDecoder().decode(out.stderr)}`);
  return JSON.parse(new TextDecoder().decode(out.stdout));
}
