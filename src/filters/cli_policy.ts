/**
 * The policy the command line describes: `--scope`/`-s`, the legacy `--filter`/`-f`, and
 * `--events`/`-e` (names, sets, globs, exclusions, and argument filters such as
 * `openat.data.pathname=/etc/*` or `openat.retval<0`, which also select their event).
 */
import type { EventDef } from "../events/event_def.ts";
import { type EventCatalog, kernelCatalog } from "../events/catalog.ts";
import { selectEvents } from "../events/select.ts";
import { UsageError } from "../errors.ts";
import { type ArgFilter, parseArgFilter } from "./arg_filter.ts";
import { type Policy, PolicySet } from "./policy.ts";
import { addScopeExpression, emptyScope, SCOPE_KEYS, splitExpression } from "./scope.ts";

/** Name of the policy built from the command line. */
export const CLI_POLICY_NAME = "default";

/**
 * `<event>.args.X…`, `<event>.data.X…`, `<event>.retval…`, `<event>.context.X…`: the event and
 * the filter part.
 */
function eventFilter(token: string): { event: string; filter: string } | undefined {
  const m = /^([a-z_0-9]+)\.((?:args|data|context)\.\w+.*|retval.*)$/s.exec(token);
  return m ? { event: m[1]!, filter: m[2]! } : undefined;
}

/** What the command line asked for. */
export interface CliSelection {
  readonly events: readonly string[];
  readonly filters: readonly string[];
  readonly scopes: readonly string[];
}

/** Builds the one CLI policy; `implicit` is true when no event was named (the default set). */
export function cliPolicy(
  sel: CliSelection,
  catalog: EventCatalog = kernelCatalog,
): { set: PolicySet; implicit: boolean } {
  const scope = emptyScope();
  const selection: string[] = [];
  const argFilters: { event: string; filter: string; source: string }[] = [];
  const globalFilters: string[] = [];

  for (const token of sel.scopes.flatMap((s) => s.split(/\s+/)).filter((t) => t !== "")) {
    addScopeExpression(scope, token);
  }
  for (const raw of sel.events.flatMap((e) => e.split(","))) {
    const token = raw.trim();
    if (token === "") continue;
    const ef = eventFilter(token);
    if (ef) {
      argFilters.push({ ...ef, source: token });
      selection.push(ef.event);
    } else {
      selection.push(token);
    }
  }
  for (const raw of sel.filters) {
    const token = raw.trim();
    const ef = eventFilter(token);
    if (ef) {
      argFilters.push({ ...ef, source: token });
      selection.push(ef.event);
      continue;
    }
    const { key, op, value } = splitExpression(token);
    if (key === "event" || key === "set") {
      if (op !== "=" && op !== "!=") {
        throw new UsageError(`Cannot parse filter '${token}': ${key} takes = or !=`);
      }
      for (const v of value.split(",")) selection.push(op === "!=" ? `-${v.trim()}` : v.trim());
      continue;
    }
    if (key === "retval") {
      globalFilters.push(token);
      continue;
    }
    const bare = token.replace(/^!/, "");
    const prefix = /^[a-z]+/.exec(token)?.[0] ?? "";
    if (
      SCOPE_KEYS.includes(key) || SCOPE_KEYS.includes(bare) || key === "bin" ||
      SCOPE_KEYS.includes(prefix)
    ) {
      addScopeExpression(scope, token);
      continue;
    }
    throw new UsageError(
      `Cannot parse filter '${token}': unknown filter '${key}' (known: event, set, ${
        SCOPE_KEYS.join(", ")
      }, ` +
        "<event>.args.<arg>, <event>.retval, retval)",
    );
  }

  const events = selectEvents(selection, catalog);
  const rules = new Map<EventDef, ArgFilter[]>(events.map((e) => [e, []]));
  for (const f of argFilters) {
    const def = catalog.byName(f.event);
    if (!def) throw new UsageError(`Cannot parse filter '${f.source}': unknown event '${f.event}'`);
    rules.get(def)?.push(parseArgFilter(def, f.filter, f.source));
  }
  for (const g of globalFilters) for (const [def, list] of rules) list.push(parseArgFilter(def, g));
  const named = new Set(
    selection.map((t) => catalog.byName(t)).filter((e): e is EventDef => e !== undefined),
  );
  const policy: Policy = { id: 0, name: CLI_POLICY_NAME, scope, rules, named };
  return {
    set: new PolicySet([policy]),
    implicit: selection.filter((t) => !t.startsWith("-")).length === 0,
  };
}
