/**
 * Runs signatures against the real kernel: selects them as a user would (`-e <signature>`), loads
 * the real object with the events they need, runs a trigger, and collects the findings the
 * engine reports — until the trigger's process has exited (its sched_process_exit is seen), so a
 * near-miss test ends as soon as a finding would have been seen. A trigger that must outlive the
 * handling of its own events (tests/helpers/held_trigger.ts) is shown each event once the engine
 * has handled it.
 */
import type { TraceeEvent, TriggerValue } from "../../src/decode/event.ts";
import { TraceeOptions } from "../../src/decode/layout.ts";
import { eventByName } from "../../src/events/table.ts";
import { cliPolicy } from "../../src/filters/cli_policy.ts";
import { ProcessTree } from "../../src/proctree/process_tree.ts";
import { SignatureEngine, withSignatureDependencies } from "../../src/signatures/engine.ts";
import { builtinSignatures } from "../../src/signatures/builtin/index.ts";
import { SignatureRegistry } from "../../src/signatures/registry.ts";
import type { ContainerInfo, Signature } from "../../src/signatures/signature.ts";
import { traceWhile } from "./trace_in_process.ts";

const TREE_EVENTS = ["sched_process_fork", "sched_process_exec", "sched_process_exit"].map((n) =>
  eventByName(n)!
);

/** Options of detectWhile. */
export interface DetectOptions {
  /** Signatures instead of the built-in ones (e.g. a user module, a CEL file). */
  readonly signatures?: readonly Signature[];
  /** Where events come from (default: the container the kernel found, e.container). */
  readonly containerOf?: (e: TraceeEvent) => ContainerInfo | undefined;
}

/** What a run saw. */
export interface Detected<T> {
  readonly findings: TraceeEvent[];
  readonly acted: T;
  readonly engine: SignatureEngine;
}

/** What a trigger gives detectWhile. */
export interface Trigger {
  /** Host pid of the process whose exit ends the run. */
  readonly pid: number;
  /** Shown each event after the engine has handled it. */
  seen?(e: TraceeEvent): void;
}

/**
 * Selects `select` (signature event names, as `-e` takes them), runs `act` (which returns the
 * trigger, and whatever else the test needs), and returns the findings.
 */
export async function detectWhile<T extends Trigger>(
  select: readonly string[],
  act: () => T,
  opts: DetectOptions = {},
): Promise<Detected<T>> {
  const registry = new SignatureRegistry();
  for (const s of opts.signatures ?? builtinSignatures) registry.add(s, "test");
  const catalog = registry.catalog();
  const policies = withSignatureDependencies(
    cliPolicy({ events: [...select], filters: [], scopes: [] }, catalog).set,
    registry,
    catalog,
  );
  const tree = new ProcessTree();
  tree.seed();
  const engine = new SignatureEngine(registry, policies, catalog, {
    processTree: tree,
    containerOf: opts.containerOf ?? ((e) => e.container),
  });
  const findings: TraceeEvent[] = [];
  let exited = false;
  const { acted } = await traceWhile(
    [],
    act,
    (e, a) => {
      engine.process(e, (f) => findings.push(f));
      a.seen?.(e);
      if (e.def.name === "sched_process_exit" && e.hostProcessId === a.pid) exited = true;
      return false;
    },
    () => exited,
    {
      policies,
      tree,
      internalEvents: TREE_EVENTS,
      options: engine.selected.some((s) => s.signature.options?.includes("exec-env"))
        ? TraceeOptions.EXEC_ENV
        : 0,
    },
  );
  if (!exited) throw new Error("the trigger's exit was never seen (10 s)");
  return { findings, acted, engine };
}

/** An argument of the event that triggered a finding (its triggeredBy argument). */
export function triggerArg(finding: TraceeEvent, name: string): unknown {
  const by = finding.args.find((a) => a.name === "triggeredBy")?.value as TriggerValue | undefined;
  return by?.args.find((a) => a.name === name)?.value;
}

/** The findings of one process (others on a busy host may trigger the same signature). */
export function findingsBy(findings: readonly TraceeEvent[], hostPid: number): TraceeEvent[] {
  return findings.filter((f) => f.hostProcessId === hostPid);
}

/** A finding's data value (an argument the signature added). */
export function findingData(finding: TraceeEvent, name: string): unknown {
  return finding.args.find((a) => a.name === name)?.value;
}
