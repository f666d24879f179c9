/** `tracee list`: every event with its sets and typed arguments, as Tracee lists them. */
import type { EventDef } from "../events/event_def.ts";
import { events } from "../events/table.ts";

function row(e: EventDef): string {
  const args = e.params.map((p) => `${p.type} ${p.name}`).join(", ");
  return `${e.name.padEnd(22)} ${`[${e.sets.join(" ")}]`.padEnd(40)} (${args})`;
}

function section(title: string, list: readonly EventDef[]): string[] {
  const sorted = [...list].sort((a, b) => a.name.localeCompare(b.name));
  return [
    `${title.padEnd(22)} ${"Sets:".padEnd(40)} Arguments:`,
    `${"_".repeat(title.length - 1).padEnd(22)} ${"____".padEnd(40)} _________`,
    "",
    ...sorted.map(row),
    "",
  ];
}

/** The whole catalogue as text. */
export function listEvents(): string {
  return [
    ...section("System Calls:", events.filter((e) => e.syscall)),
    ...section("Other Events:", events.filter((e) => !e.syscall)),
  ].join("\n");
}
