import { UsageError } from "../errors.ts";
import { type EventCatalog, kernelCatalog } from "./catalog.ts";
import type { EventDef } from "./event_def.ts";

/** Matches `name` against a pattern with `*` wildcards (prefix, suffix or infix). */
export function globMatch(pattern: string, name: string): boolean {
  if (!pattern.includes("*")) return pattern === name;
  const parts = pattern.split("*");
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (!name.startsWith(first) || !name.endsWith(last)) return false;
  let pos = first.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const idx = name.indexOf(parts[i]!, pos);
    if (idx < 0) return false;
    pos = idx + parts[i]!.length;
  }
  return pos <= name.length - last.length;
}

function expandToken(
  token: string,
  setNames: ReadonlySet<string>,
  catalog: EventCatalog,
): EventDef[] {
  const events = catalog.events;
  if (token.includes("*")) {
    const found = events.filter((e) => globMatch(token, e.name));
    if (found.length === 0) {
      throw new UsageError(`Cannot select events: no event matches '${token}'`);
    }
    return found;
  }
  const byName = catalog.byName(token);
  if (byName) return [byName];
  if (setNames.has(token)) return events.filter((e) => e.sets.includes(token));
  throw new UsageError(
    `Cannot select events: unknown event or set '${token}' (see 'tracee list')`,
  );
}

/**
 * Resolves an event selection: names, sets, globs (`open*`) and exclusions (`-close`), each
 * either a separate item or a comma list. With only exclusions (or nothing), they apply to the
 * default set. Returns events in table order.
 */
export function selectEvents(
  items: readonly string[],
  catalog: EventCatalog = kernelCatalog,
): EventDef[] {
  const tokens = items.flatMap((i) => i.split(",")).map((t) => t.trim()).filter((t) => t !== "");
  const setNames = new Set(catalog.sets());
  const include = new Set<EventDef>();
  const exclude = new Set<EventDef>();
  for (const token of tokens) {
    if (token.startsWith("-")) {
      for (const e of expandToken(token.slice(1), setNames, catalog)) exclude.add(e);
    } else {
      for (const e of expandToken(token, setNames, catalog)) include.add(e);
    }
  }
  const base = include.size > 0 ? include : new Set(catalog.defaults());
  const chosen = catalog.events.filter((e) => base.has(e) && !exclude.has(e));
  if (chosen.length === 0) throw new UsageError("Cannot select events: the selection is empty");
  return chosen;
}
