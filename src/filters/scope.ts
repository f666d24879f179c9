/**
 * A policy's scope: which processes it applies to. The same expressions come from the legacy
 * `--filter`, the modern `--scope` and a policy file's `spec.scope`:
 *   uid=0  uid!=0  uid>=1000  pid=123  pid<100  mntns=4026531840  pidns=…  uts=host1
 *   comm=bash,zsh  comm!=sshd  binary=/usr/bin/ls  tree=<pid>  follow
 *   container  container=new  container=<id prefix>  container!=<id prefix>  !container  global
 * and upstream's aliases: u (uid), p (pid), c (container), not-container (!container),
 * executable, exec, bin (binary).
 */
import { UsageError } from "../errors.ts";

/** Values a filter accepts (`=`) and rejects (`!=`). */
export interface EqNeq<T> {
  readonly eq: Set<T>;
  readonly neq: Set<T>;
}

/** Inclusive bounds. */
export interface Range {
  lo: number;
  hi: number;
}

/** Every scope filter of one policy. */
export interface ScopeFilters {
  readonly uid: EqNeq<number>;
  uidRange?: Range;
  readonly pid: EqNeq<number>;
  pidRange?: Range;
  readonly mntns: EqNeq<number>;
  readonly pidns: EqNeq<number>;
  readonly uts: EqNeq<string>;
  readonly comm: EqNeq<string>;
  readonly binary: EqNeq<string>;
  /** container=<id prefix> / container!=<id prefix>: matched in the kernel, once per container. */
  readonly containerIds: EqNeq<string>;
  container?: "any" | "new";
  notContainer: boolean;
  readonly tree: Set<number>;
  follow: boolean;
}

/** A scope with no filters (matches every process). */
export function emptyScope(): ScopeFilters {
  const eqNeq = () => ({ eq: new Set(), neq: new Set() });
  return {
    uid: eqNeq(),
    pid: eqNeq(),
    mntns: eqNeq(),
    pidns: eqNeq(),
    uts: eqNeq(),
    comm: eqNeq(),
    binary: eqNeq(),
    containerIds: eqNeq(),
    notContainer: false,
    tree: new Set(),
    follow: false,
  } as ScopeFilters;
}

/** Whether the scope filters anything. */
export function scopeIsEmpty(s: ScopeFilters): boolean {
  const sets = [s.uid, s.pid, s.mntns, s.pidns, s.uts, s.comm, s.binary];
  return sets.every((x) => x.eq.size === 0 && x.neq.size === 0) && !s.uidRange && !s.pidRange &&
    s.containerIds.eq.size === 0 && s.containerIds.neq.size === 0 && !s.container &&
    !s.notContainer && s.tree.size === 0 && !s.follow;
}

/** Whether the scope selects by container (container, container=…, !container). */
export function scopeUsesContainers(s: ScopeFilters): boolean {
  return s.container !== undefined || s.notContainer || s.containerIds.eq.size > 0 ||
    s.containerIds.neq.size > 0;
}

/** Scope keys, for messages. */
export const SCOPE_KEYS = [
  "uid",
  "u",
  "pid",
  "p",
  "mntns",
  "pidns",
  "uts",
  "comm",
  "binary",
  "bin",
  "executable",
  "exec",
  "container",
  "c",
  "not-container",
  "tree",
  "follow",
];

const OPERATORS = ["!=", "<=", ">=", "=", "<", ">"] as const;
type Operator = typeof OPERATORS[number];

/** Splits `key<op>value`; the operator is the first one found after the key. */
export function splitExpression(expr: string): { key: string; op?: Operator; value: string } {
  const m = /^([A-Za-z_][\w.]*)(!=|<=|>=|=|<|>)(.*)$/s.exec(expr);
  if (!m) return { key: expr, value: "" };
  return { key: m[1]!, op: m[2] as Operator, value: m[3]! };
}

const MAX_U32 = 0xffff_ffff;

function numbers(expr: string, key: string, value: string, max = MAX_U32): number[] {
  const parts = value.split(",").map((v) => v.trim());
  return parts.map((v) => {
    if (!/^\d+$/.test(v) || Number(v) > max) {
      throw new UsageError(`Cannot parse scope '${expr}': ${key} expects numbers, got '${v}'`);
    }
    return Number(v);
  });
}

function strings(expr: string, key: string, value: string, maxLen?: number): string[] {
  const parts = value.split(",").map((v) => v.trim());
  for (const v of parts) {
    if (v === "") throw new UsageError(`Cannot parse scope '${expr}': ${key} needs a value`);
    if (maxLen !== undefined && v.length > maxLen) {
      throw new UsageError(
        `Cannot parse scope '${expr}': ${key} values are at most ${maxLen} characters`,
      );
    }
  }
  return parts;
}

function addEq<T>(
  set: EqNeq<T>,
  op: Operator | undefined,
  values: T[],
  expr: string,
  key: string,
): void {
  if (op === "=") values.forEach((v) => set.eq.add(v));
  else if (op === "!=") values.forEach((v) => set.neq.add(v));
  else {throw new UsageError(
      `Cannot parse scope '${expr}': ${key} takes = or !=, not ${op ?? "nothing"}`,
    );}
}

function narrow(range: Range | undefined, op: Operator, v: number): Range {
  const r = range ?? { lo: 0, hi: MAX_U32 };
  if (op === ">") r.lo = Math.max(r.lo, v + 1);
  if (op === ">=") r.lo = Math.max(r.lo, v);
  if (op === "<") r.hi = Math.min(r.hi, v - 1);
  if (op === "<=") r.hi = Math.min(r.hi, v);
  return r;
}

/** Adds one scope expression to `scope`; throws UsageError naming the token and what is expected. */
export function addScopeExpression(scope: ScopeFilters, expr: string): void {
  const e = expr.trim();
  if (e === "follow") {
    scope.follow = true;
    return;
  }
  if (e === "global") return;
  if (e === "container" || e === "c") {
    scope.container = scope.container ?? "any";
    return;
  }
  if (e === "!container" || e === "not-container") {
    scope.notContainer = true;
    return;
  }
  const { key, op, value } = splitExpression(e);
  const badOp = /^([a-z]+)([^\w=!<>,/.\s-]+)/.exec(e);
  if (op === undefined && badOp && SCOPE_KEYS.includes(badOp[1]!)) {
    throw new UsageError(
      `Cannot parse scope '${e}': unknown operator '${badOp[2]}' (use = != < > <= >=)`,
    );
  }
  switch (key) {
    case "uid":
    case "pid":
    case "u":
    case "p": {
      if (op === undefined) break;
      const name = key.startsWith("u") ? "uid" : "pid";
      const vals = numbers(e, name, value);
      if (op === "=" || op === "!=") {
        addEq(scope[name], op, vals, e, name);
      } else {
        if (vals.length !== 1) {
          throw new UsageError(`Cannot parse scope '${e}': ${name}${op} takes one number`);
        }
        if (name === "uid") scope.uidRange = narrow(scope.uidRange, op, vals[0]!);
        else scope.pidRange = narrow(scope.pidRange, op, vals[0]!);
      }
      return;
    }
    case "mntns":
    case "pidns":
      if (op === undefined) break;
      addEq(scope[key], op, numbers(e, key, value), e, key);
      return;
    case "uts":
      if (op === undefined) break;
      addEq(scope.uts, op, strings(e, key, value, 64), e, key);
      return;
    case "comm":
      if (op === undefined) break;
      addEq(scope.comm, op, strings(e, key, value, 15), e, key);
      return;
    case "binary":
    case "bin":
    case "executable":
    case "exec":
      if (op === undefined) break;
      addEq(scope.binary, op, strings(e, key, value), e, "binary");
      return;
    case "tree":
      if (op !== "=") throw new UsageError(`Cannot parse scope '${e}': tree takes =<pid>`);
      numbers(e, key, value).forEach((p) => scope.tree.add(p));
      return;
    case "container":
    case "c": {
      if (value === "new" && op === "=") {
        scope.container = "new";
        return;
      }
      if (op !== "=" && op !== "!=") {
        throw new UsageError(
          `Cannot parse scope '${e}': container takes =new, =<id prefix> or !=<id prefix>`,
        );
      }
      const ids = strings(e, "container", value).map((v) => v.replace(/\*$/, ""));
      for (const id of ids) {
        if (!/^[0-9a-f]{1,64}$/.test(id)) {
          throw new UsageError(
            `Cannot parse scope '${e}': container=<id> expects a container id or its prefix (hex digits), got '${id}'`,
          );
        }
      }
      addEq(scope.containerIds, op, ids, e, "container");
      return;
    }
    default:
      throw new UsageError(
        `Cannot parse scope '${e}': unknown key '${key}' (known: ${SCOPE_KEYS.join(", ")})`,
      );
  }
  throw new UsageError(`Cannot parse scope '${e}': expected ${key}=<value>`);
}
