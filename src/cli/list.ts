/** `tracee list`: every event with its sets, typed arguments and (other events) its hook. */
import type { EventDef } from "../events/event_def.ts";
import { probeByName } from "../events/probes.ts";
import { events } from "../events/table.ts";

/** Where the kernel builds the event: its probes, and the syscall exits it is derived at. */
export function hookOf(e: EventDef): string {
  const probe = (name: string) => {
    const p = probeByName(name);
    return p ? `${p.type}/${p.target}` : name;
  };
  const parts: string[] = [];
  for (const name of e.probes) {
    const p = probeByName(name);
    if (name === "sys_exit" && e.syscalls) parts.push(`exit of ${e.syscalls.join(",")}`);
    else if (p?.fallback === "sys_exit" && e.syscalls) {
      parts.push(`${probe(name)}, else exit of ${e.syscalls.join(",")}`);
    } else parts.push(probe(name) + (p?.fallback ? ` (else ${probe(p.fallback)})` : ""));
  }
  for (const name of e.optionalProbes ?? []) parts.push(`+${probe(name)} if present`);
  return parts.join("; ");
}

function row(e: EventDef, withHook: boolean): string {
  const args = e.params.map((p) => `${p.type} ${p.name}`).join(", ");
  const head = `${e.name.padEnd(26)} ${`[${e.sets.join(" ")}]`.padEnd(40)}`;
  return withHook ? `${head} ${hookOf(e).padEnd(72)} (${args})` : `${head} (${args})`;
}

function section(title: string, list: readonly EventDef[], withHook: boolean): string[] {
  const sorted = [...list].sort((a, b) => a.name.localeCompare(b.name));
  const underline = (t: string) => "_".repeat(t.length - 1);
  const head = `${title.padEnd(26)} ${"Sets:".padEnd(40)}`;
  const rule = `${underline(title).padEnd(26)} ${"____".padEnd(40)}`;
  return [
    withHook ? `${head} ${"Hook:".padEnd(72)} Arguments:` : `${head} Arguments:`,
    withHook ? `${rule} ${"_____".padEnd(72)} _________` : `${rule} _________`,
    "",
    ...sorted.map((e) => row(e, withHook)),
    "",
  ];
}

/** The whole catalogue as text. */
export function listEvents(): string {
  return [
    ...section("System Calls:", events.filter((e) => e.syscall), false),
    ...section("Other Events:", events.filter((e) => !e.syscall), true),
  ].join("\n");
}
