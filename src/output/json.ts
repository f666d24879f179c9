/** The json output (`--output json`): one object per line with Tracee's field names. */
import type { EventContainer, TraceeEvent } from "../decode/event.ts";
import type { EventDef } from "../events/event_def.ts";
import { eventById } from "../events/table.ts";
import { type EpochClock, epochNsString, type EpochTime } from "./clock.ts";
import type { PolicyNamer, Printer } from "./printer.ts";
import { errnoOfReturn } from "./ret.ts";
import { jsonArgs } from "./values.ts";

const TWO_32 = 4294967296;

/**
 * The string made from the last key seen: events come in runs (same thread, same process name,
 * same policies), so one remembered entry beats a map lookup (measured).
 */
class LastMemo<K> {
  #key: K | undefined;
  #value = "";
  constructor(private readonly make: (k: K) => string) {}
  get(k: K): string {
    if (k !== this.#key) {
      this.#key = k;
      this.#value = this.make(k);
    }
    return this.#value;
  }
}

/** What taskPart reads of an event. */
export type TaskFields = Pick<
  TraceeEvent,
  | "processId"
  | "cgroupId"
  | "threadId"
  | "parentProcessId"
  | "hostProcessId"
  | "hostThreadId"
  | "hostParentProcessId"
  | "userId"
  | "mountNamespace"
  | "pidNamespace"
  | "processName"
>;

/**
 * The fields of a line that stay the same while one thread runs, in output order (`name` is the
 * process name as JSON).
 */
export function taskPart(e: TaskFields, name = JSON.stringify(e.processName)): string {
  return ',"processId":' + e.processId +
    ',"cgroupId":' + e.cgroupId +
    ',"threadId":' + e.threadId +
    ',"parentProcessId":' + e.parentProcessId +
    ',"hostProcessId":' + e.hostProcessId +
    ',"hostThreadId":' + e.hostThreadId +
    ',"hostParentProcessId":' + e.hostParentProcessId +
    ',"userId":' + e.userId +
    ',"mountNamespace":' + e.mountNamespace +
    ',"pidNamespace":' + e.pidNamespace +
    ',"processName":' + name;
}

/**
 * The matchedPolicies array of the last bitmap seen, keyed on both 32-bit halves: the 64-bit
 * bitmap does not fit a JS number (bits above 2^53 would be lost).
 */
class PoliciesMemo {
  #lo = -1;
  #hi = -1;
  #value = "";
  constructor(private readonly names: PolicyNamer) {}
  get(lo: number, hi: number): string {
    if (lo !== this.#lo || hi !== this.#hi) {
      this.#lo = lo;
      this.#hi = hi;
      this.#value = policiesPart(this.names, lo, hi);
    }
    return this.#value;
  }
}

/** taskPart of the last event, reused while none of its fields changes. */
class TaskMemo {
  #last: TraceeEvent | undefined;
  #value = "";

  get(e: TraceeEvent, name: (s: string) => string): string {
    const l = this.#last;
    if (
      l === undefined || l.hostThreadId !== e.hostThreadId || l.processId !== e.processId ||
      l.threadId !== e.threadId || l.cgroupId !== e.cgroupId ||
      l.parentProcessId !== e.parentProcessId ||
      l.hostProcessId !== e.hostProcessId || l.hostParentProcessId !== e.hostParentProcessId ||
      l.userId !== e.userId || l.mountNamespace !== e.mountNamespace ||
      l.pidNamespace !== e.pidNamespace ||
      l.processName !== e.processName
    ) {
      this.#value = taskPart(e, name(e.processName));
    }
    this.#last = e;
    return this.#value;
  }
}

/** The matchedPolicies array of a bitmap (low, high 32 bits). */
export function policiesPart(names: PolicyNamer, lo: number, hi: number): string {
  return JSON.stringify(names(lo, hi));
}

/** `,"eventId":"…","eventName":"…"` of an event. */
export function eventPart(def: EventDef): string {
  return ',"eventId":"' + def.id + '","eventName":' + JSON.stringify(def.name);
}

/** `,"syscall":"…"` of a syscall id (-1: not in a syscall). */
export function syscallPart(id: number): string {
  return ',"syscall":' + JSON.stringify(id >= 0 ? eventById(id)?.name ?? String(id) : "");
}

/** The container fields of an event on the host. */
export const HOST_CONTAINER = ',"containerId":"","container":{},"kubernetes":{}';

/**
 * Tracee's container fields: containerId, container {id, name, image, imageDigest} and
 * kubernetes {podName, podNamespace, podUID, podSandbox}, empty ones left out as Go's omitempty
 * does.
 */
export function containerPart(c: EventContainer): string {
  const obj = (pairs: [string, string | boolean][]) =>
    "{" + pairs.filter(([, v]) => v !== "" && v !== false)
      .map(([k, v]) => JSON.stringify(k) + ":" + JSON.stringify(v)).join(",") +
    "}";
  return ',"containerId":' + JSON.stringify(c.id) +
    ',"container":' +
    obj([["id", c.id], ["name", c.name], ["image", c.image], ["imageDigest", c.imageDigest]]) +
    ',"kubernetes":' +
    obj([
      ["podName", c.podName],
      ["podNamespace", c.podNamespace],
      ["podUID", c.podUid],
      ["podSandbox", c.podSandbox],
    ]);
}

/** containerPart of the last container seen, rebuilt when it or what is known of it changes. */
class ContainerMemo {
  #last: EventContainer | undefined;
  #version = -1;
  #value = "";

  get(c: EventContainer | undefined): string {
    if (c === undefined) return HOST_CONTAINER;
    if (c !== this.#last || c.version !== this.#version) {
      this.#last = c;
      this.#version = c.version;
      this.#value = containerPart(c);
    }
    return this.#value;
  }
}

/** Prints events as JSON lines. Parts that repeat between events are built once. */
export class JsonPrinter implements Printer {
  readonly #t: EpochTime = { sec: 0, nsec: 0 };
  /** `,"eventId":"…","eventName":"…"` per event id. */
  readonly #eventPart: string[] = [];
  /** `,"syscall":"…"` per syscall id (+1: -1 is "not in a syscall"). */
  readonly #syscallPart: string[] = [];
  readonly #name = new LastMemo<string>(JSON.stringify);
  readonly #task = new TaskMemo();
  readonly #nameJson = (n: string) => this.#name.get(n);
  readonly #startTime = new LastMemo<number>((st) => {
    const hi = Math.floor(st / TWO_32);
    return this.#epoch(hi, st - hi * TWO_32);
  });
  readonly #matched: PoliciesMemo;
  readonly #container = new ContainerMemo();

  constructor(
    private readonly clock: EpochClock,
    policies: PolicyNamer,
    /** With option:parse-arguments: add returnValueName (e.g. "ENOENT") to failed syscalls. */
    private readonly errnoNames = false,
  ) {
    this.#matched = new PoliciesMemo(policies);
  }

  header(): undefined {
    return undefined;
  }

  #epoch(hi: number, lo: number): string {
    return epochNsString(this.clock.toEpoch(hi, lo, this.#t));
  }

  #errnoName(e: TraceeEvent): string {
    if (!this.errnoNames) return "";
    const name = errnoOfReturn(e);
    return name ? ',"returnValueName":"' + name + '"' : "";
  }

  #event(def: EventDef): string {
    return this.#eventPart[def.id] ??= eventPart(def);
  }

  #syscall(id: number): string {
    return this.#syscallPart[id + 1] ??= syscallPart(id);
  }

  format(e: TraceeEvent): string {
    return '{"timestamp":' + this.#epoch(e.tsHi, e.tsLo) +
      ',"threadStartTime":' + this.#startTime.get(e.threadStartTime) +
      ',"processorId":' + e.processorId +
      this.#task.get(e, this.#nameJson) +
      this.#container.get(e.container) +
      this.#event(e.def) +
      ',"matchedPolicies":' + this.#matched.get(e.policiesLo, e.policiesHi) +
      ',"argsNum":' + e.args.length +
      ',"returnValue":' + e.returnValue + this.#errnoName(e) +
      this.#syscall(e.syscall) +
      ',"args":' + jsonArgs(e.args) +
      (e.metadata ? ',"metadata":' + JSON.stringify(e.metadata) : "") + "}";
  }
}
