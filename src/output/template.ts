/**
 * `-o gotemplate=FILE`: each event rendered through a template file, in a small subset of Go's
 * template syntax that covers what Tracee users write:
 *   {{ .Field }}        a top-level field, by Tracee's Go name (.ProcessName, .EventName,
 *                       .ReturnValue, .HostProcessID, …) or its JSON name (.processName, …)
 *   {{ .Args }}         every argument, as the table prints them (name: value, …)
 *   {{ .Args.NAME }}    one argument's value
 *   {{ .ContainerID }}, {{ .Container.ID|Name|ImageName|ImageDigest }},
 *   {{ .Kubernetes.PodName|PodNamespace|PodUID|PodSandbox }} (or their JSON names:
 *                       .containerId, .container.image, .kubernetes.podName, …)
 * Everything else is copied as is. The file's final newline ends each event's line.
 */
import type { TraceeEvent } from "../decode/event.ts";
import { fileErrorText, UsageError } from "../errors.ts";
import { type EpochClock, epochNsString, type EpochTime } from "./clock.ts";
import type { PolicyNamer, Printer } from "./printer.ts";
import { tableArgs } from "./table.ts";
import { tableValue } from "./values.ts";

type Getter = (e: TraceeEvent, t: TemplateContext) => string;

interface TemplateContext {
  epoch(e: TraceeEvent): string;
  policies(e: TraceeEvent): string;
}

/** Fields by Go name; each also answers to its JSON name (first letter lower-cased, ID → Id). */
const FIELDS: Readonly<Record<string, Getter>> = {
  Timestamp: (e, t) => t.epoch(e),
  ProcessorID: (e) => String(e.processorId),
  ProcessID: (e) => String(e.processId),
  ThreadID: (e) => String(e.threadId),
  ParentProcessID: (e) => String(e.parentProcessId),
  HostProcessID: (e) => String(e.hostProcessId),
  HostThreadID: (e) => String(e.hostThreadId),
  HostParentProcessID: (e) => String(e.hostParentProcessId),
  UserID: (e) => String(e.userId),
  MountNS: (e) => String(e.mountNamespace),
  PIDNS: (e) => String(e.pidNamespace),
  ProcessName: (e) => e.processName,
  CgroupID: (e) => String(e.cgroupId),
  ContainerID: (e) => e.container?.id ?? "",
  EventID: (e) => String(e.eventId),
  EventName: (e) => e.def.name,
  MatchedPolicies: (e, t) => t.policies(e),
  ArgsNum: (e) => String(e.args.length),
  ReturnValue: (e) => String(e.returnValue),
  Args: (e) => tableArgs(e),
};

const JSON_NAMES: Readonly<Record<string, string>> = {
  mountNamespace: "MountNS",
  pidNamespace: "PIDNS",
};

/** Fields of .Container and .Kubernetes, by Go name and by JSON name. */
const NESTED: Readonly<Record<string, Readonly<Record<string, Getter>>>> = {
  Container: {
    ID: (e) => e.container?.id ?? "",
    Name: (e) => e.container?.name ?? "",
    ImageName: (e) => e.container?.image ?? "",
    ImageDigest: (e) => e.container?.imageDigest ?? "",
  },
  Kubernetes: {
    PodName: (e) => e.container?.podName ?? "",
    PodNamespace: (e) => e.container?.podNamespace ?? "",
    PodUID: (e) => e.container?.podUid ?? "",
    PodSandbox: (e) => String(e.container?.podSandbox ?? false),
  },
};

const NESTED_JSON_NAMES: Readonly<Record<string, string>> = {
  id: "ID",
  name: "Name",
  image: "ImageName",
  imageDigest: "ImageDigest",
  podName: "PodName",
  podNamespace: "PodNamespace",
  podUID: "PodUID",
  podSandbox: "PodSandbox",
};

function nestedGetter(group: string, field: string): Getter | undefined {
  const g = NESTED[group] ?? NESTED[group[0]!.toUpperCase() + group.slice(1)];
  return g?.[field] ?? g?.[NESTED_JSON_NAMES[field] ?? ""];
}

function fieldGetter(name: string): Getter | undefined {
  if (FIELDS[name]) return FIELDS[name];
  const goName = JSON_NAMES[name] ?? (name[0]!.toUpperCase() + name.slice(1)).replace(/Id$/, "ID");
  return FIELDS[goName];
}

/** Compiles template text into a function of the event; throws UsageError naming the problem. */
export function compileTemplate(
  text: string,
  file: string,
): (e: TraceeEvent, t: TemplateContext) => string {
  const parts: (string | Getter)[] = [];
  const re = /\{\{-?\s*(.*?)\s*-?\}\}/g;
  let last = 0;
  for (const m of text.matchAll(re)) {
    parts.push(text.slice(last, m.index));
    last = m.index! + m[0].length;
    const expr = m[1]!;
    const line = text.slice(0, m.index).split("\n").length;
    const arg = /^\.Args\.(\w+)$/.exec(expr);
    if (arg) {
      const name = arg[1]!;
      parts.push((e) => {
        const a = e.args.find((x) => x.name === name);
        return a ? tableValue(a.value) : "";
      });
      continue;
    }
    const field = /^\.(\w+)$/.exec(expr);
    const nested = /^\.(\w+)\.(\w+)$/.exec(expr);
    const getter = field
      ? fieldGetter(field[1]!)
      : nested
      ? nestedGetter(nested[1]!, nested[2]!)
      : undefined;
    if (!getter) {
      throw new UsageError(
        `Cannot parse template ${file}: unknown field '${expr}' on line ${line} (see --help)`,
      );
    }
    parts.push(getter);
  }
  const tail = text.slice(last);
  if (/\{\{|\}\}/.test(tail)) {
    throw new UsageError(`Cannot parse template ${file}: unbalanced '{{' or '}}'`);
  }
  parts.push(tail.endsWith("\n") ? tail.slice(0, -1) : tail);
  return (e, t) => {
    let out = "";
    for (const p of parts) out += typeof p === "string" ? p : p(e, t);
    return out;
  };
}

/** Prints events through a template file. */
export class TemplatePrinter implements Printer {
  readonly #render: (e: TraceeEvent, t: TemplateContext) => string;
  readonly #t: EpochTime = { sec: 0, nsec: 0 };
  readonly #ctx: TemplateContext;

  constructor(text: string, file: string, clock: EpochClock, policies: PolicyNamer) {
    this.#render = compileTemplate(text, file);
    this.#ctx = {
      epoch: (e) => epochNsString(clock.toEpoch(e.tsHi, e.tsLo, this.#t)),
      policies: (e) => policies(e.policiesLo, e.policiesHi).join(","),
    };
  }

  header(): undefined {
    return undefined;
  }

  format(e: TraceeEvent): string {
    return this.#render(e, this.#ctx);
  }
}

/** Reads and compiles a template file (one clear error when it cannot). */
export function loadTemplate(
  path: string,
  clock: EpochClock,
  policies: PolicyNamer,
): TemplatePrinter {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (e) {
    throw new UsageError(`Cannot read template ${path}: ${fileErrorText(e)}`);
  }
  return new TemplatePrinter(text, path, clock, policies);
}
