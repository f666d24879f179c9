import { containerEvents } from "./container_events.ts";
import type { EventDef } from "./event_def.ts";
import { kernelEvents } from "./kernel_events.ts";
import { securityEvents } from "./security_events.ts";
import { syscallEvents } from "./syscalls.ts";

/** Size of the eBPF event_config array: every event id is below it. */
export const MAX_EVENT_ID = 2048;

/** The events table: every event tracee knows, syscalls first, by id. */
export const events: readonly EventDef[] = [
  ...syscallEvents,
  ...kernelEvents,
  ...securityEvents,
  ...containerEvents,
];

const byId: (EventDef | undefined)[] = new Array(MAX_EVENT_ID);
const byName = new Map<string, EventDef>();
for (const e of events) {
  if (e.id < 0 || e.id >= MAX_EVENT_ID) throw new Error(`Cannot index event ${e.name}: id ${e.id}`);
  if (byId[e.id] || byName.has(e.name)) throw new Error(`Cannot index event ${e.name}: duplicate`);
  byId[e.id] = e;
  byName.set(e.name, e);
}

/** The event with this id, or undefined. */
export function eventById(id: number): EventDef | undefined {
  return byId[id];
}

/** The event with this name, or undefined. */
export function eventByName(name: string): EventDef | undefined {
  return byName.get(name);
}

/** Events selected when the user names none. */
export function defaultEvents(): EventDef[] {
  return events.filter((e) => e.sets.includes("default"));
}
