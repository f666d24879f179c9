/**
 * Argument, return-value and context filters of a policy's rule, run in user space right after
 * decode:
 *   args.pathname=/tmp*  data.pathname=*.so  args.flags!=0  retval<0  retval=0
 *   containerImage=nginx*  pid=1000  context.containerName=web  (context_fields.ts)
 * Strings take = and != with globs (prefix*, *suffix, *contains*); numbers take = != < > <= >=.
 * A comma list means any of (=) / none of (!=).
 */
import type { ArgValue, TraceeEvent } from "../decode/event.ts";
import { ArgKind, isScalarKind } from "../events/arg_kind.ts";
import type { EventDef } from "../events/event_def.ts";
import { UsageError } from "../errors.ts";
import { tableValue } from "../output/values.ts";
import { type ContextField, contextField } from "./context_fields.ts";
import { splitExpression } from "./scope.ts";

type Op = "=" | "!=" | "<" | ">" | "<=" | ">=";

/** A string pattern: exact, prefix*, *suffix or *contains*. */
export interface Pattern {
  readonly text: string;
  readonly mode: "exact" | "prefix" | "suffix" | "contains";
}

/** One compiled filter. */
export interface ArgFilter {
  /** Argument name, "retval", or a context field's name. */
  readonly arg: string;
  /** Set for a context filter: reads the field. */
  readonly context?: ContextField;
  readonly op: Op;
  readonly numbers?: readonly number[];
  readonly patterns?: readonly Pattern[];
  /** The text the user wrote, for messages. */
  readonly source: string;
}

function pattern(v: string, source: string): Pattern {
  const stars = [...v].filter((c) => c === "*").length;
  if (stars === 0) return { text: v, mode: "exact" };
  if (stars === 1 && v.endsWith("*")) return { text: v.slice(0, -1), mode: "prefix" };
  if (stars === 1 && v.startsWith("*")) return { text: v.slice(1), mode: "suffix" };
  if (stars === 2 && v.startsWith("*") && v.endsWith("*") && v.length > 2) {
    return { text: v.slice(1, -1), mode: "contains" };
  }
  throw new UsageError(
    `Cannot parse filter '${source}': unsupported glob '${v}' (use prefix*, *suffix or *contains*)`,
  );
}

function matches(p: Pattern, s: string): boolean {
  switch (p.mode) {
    case "exact":
      return s === p.text;
    case "prefix":
      return s.startsWith(p.text);
    case "suffix":
      return s.endsWith(p.text);
    case "contains":
      return s.includes(p.text);
  }
}

/** Whether an argument of this kind compares as a number. */
function numericKind(kind: number): boolean {
  return isScalarKind(kind as ArgKind) && kind !== ArgKind.PTR && kind !== ArgKind.BOOL;
}

/**
 * Compiles `args.NAME<op>V`, `data.NAME<op>V` or `retval<op>V` for `event`; throws UsageError
 * naming the filter and what is expected.
 */
export function parseArgFilter(event: EventDef, spec: string, source = spec): ArgFilter {
  const { key, op, value } = splitExpression(spec);
  if (op === undefined) {
    throw new UsageError(`Cannot parse filter '${source}': expected an operator (= != < > <= >=)`);
  }
  let arg: string;
  let numeric: boolean;
  const context = contextField(key);
  if (key === "retval") {
    arg = "retval";
    numeric = true;
  } else if (context) {
    arg = key;
    numeric = context.numeric;
  } else {
    const m = /^(?:args|data)\.(\w+)$/.exec(key);
    if (!m) {
      throw new UsageError(
        `Cannot parse filter '${source}': expected args.<name>, data.<name>, retval or a context field (pid, comm, containerImage, containerName, …)`,
      );
    }
    arg = m[1]!;
    const param = event.params.find((p) => p.name === arg);
    if (!param) {
      throw new UsageError(
        `Cannot parse filter '${source}': ${event.name} has no argument '${arg}' (it has: ${
          event.params.map((p) => p.name).join(", ") || "none"
        })`,
      );
    }
    numeric = numericKind(param.kind);
  }
  const values = value.split(",").map((v) => v.trim());
  if (values.some((v) => v === "")) {
    throw new UsageError(`Cannot parse filter '${source}': empty value`);
  }
  if (numeric) {
    const numbers = values.map((v) => {
      if (!/^-?\d+$/.test(v)) {
        throw new UsageError(`Cannot parse filter '${source}': '${v}' is not a number`);
      }
      return Number(v);
    });
    if (op !== "=" && op !== "!=" && numbers.length !== 1) {
      throw new UsageError(`Cannot parse filter '${source}': ${op} takes one number`);
    }
    return { arg, op, numbers, source, context };
  }
  if (op !== "=" && op !== "!=") {
    throw new UsageError(`Cannot parse filter '${source}': strings take = or !=`);
  }
  return { arg, op, patterns: values.map((v) => pattern(v, source)), source, context };
}

function numberOf(v: ArgValue): number | undefined {
  return typeof v === "number" ? v : typeof v === "bigint" ? Number(v) : undefined;
}

function compare(op: Op, x: number, vals: readonly number[]): boolean {
  switch (op) {
    case "=":
      return vals.includes(x);
    case "!=":
      return !vals.includes(x);
    case "<":
      return x < vals[0]!;
    case ">":
      return x > vals[0]!;
    case "<=":
      return x <= vals[0]!;
    case ">=":
      return x >= vals[0]!;
  }
}

/** Whether the event passes the filter. */
export function passes(f: ArgFilter, e: TraceeEvent): boolean {
  if (f.arg === "retval") return compare(f.op, e.returnValue, f.numbers!);
  if (f.context) {
    const v = f.context.get(e);
    if (typeof v === "number") return compare(f.op, v, f.numbers!);
    const any = f.patterns!.some((p) => matches(p, v));
    return f.op === "=" ? any : !any;
  }
  const a = e.args.find((x) => x.name === f.arg);
  if (!a) return false;
  if (f.numbers) {
    const n = numberOf(a.value);
    return n !== undefined && compare(f.op, n, f.numbers);
  }
  const strings = Array.isArray(a.value) && typeof a.value[0] === "string"
    ? (a.value as string[])
    : [typeof a.value === "string" ? a.value : tableValue(a.value)];
  const any = strings.some((s) => f.patterns!.some((p) => matches(p, s)));
  return f.op === "=" ? any : !any;
}
