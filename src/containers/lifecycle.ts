/**
 * container_create and existing_container carry what the runtime says of the container (image,
 * name, pod). The kernel's container_create has only its runtime and id, so it is held back
 * (only it: every other event flows) until the runtime answered about that container, or
 * HOLD_MS passed; then its other arguments are appended. existing_container events, one per
 * container running at start, are made here and go out the same way.
 */
import type { EventArg, TraceeEvent } from "../decode/event.ts";
import { CONTAINER_DETAIL_PARAMS, ContainerEventId } from "../events/container_events.ts";
import { eventById } from "../events/table.ts";
import type { EventHold } from "../runtime/pipeline.ts";
import type { RuntimeName } from "./cgroup_path.ts";
import type { ScannedContainer } from "./cgroup_scan.ts";
import type { ContainerRecord } from "./container_record.ts";
import type { ContainerRegistry } from "./registry.ts";

/** Longest a container event waits for the runtime's answer. */
export const HOLD_MS = 2000;

interface Held {
  readonly e: TraceeEvent;
  readonly rec: ContainerRecord;
  /** ctime: ns since the epoch. */
  readonly ctime: bigint;
  readonly deadline: number;
}

/** Where held events get their times. */
export interface LifecycleClock {
  /** Milliseconds, monotonic. */
  now(): number;
  /** The event's time, ns since the epoch. */
  epochNs(e: TraceeEvent): bigint;
  /** Boot-clock ns now (the timestamp of events made in user space). */
  bootNs(): number;
}

const TWO_32 = 4294967296;

/** The runtime's arguments of a container event, in the table's order. */
function detailArgs(rec: ContainerRecord, ctime: bigint): EventArg[] {
  const values = [
    ctime,
    rec.image,
    rec.imageDigest,
    rec.name,
    rec.podName,
    rec.podNamespace,
    rec.podUid,
    rec.podSandbox,
  ];
  return CONTAINER_DETAIL_PARAMS.map((p, i) => ({ name: p.name, type: p.type, value: values[i]! }));
}

/** Holds container events until their container is described. */
export class ContainerEventHold implements EventHold {
  readonly #held: Held[] = [];

  constructor(
    private readonly registry: ContainerRegistry,
    private readonly clock: LifecycleClock,
    private readonly holdMs = HOLD_MS,
  ) {}

  /** Events waiting. */
  get size(): number {
    return this.#held.length;
  }

  take(e: TraceeEvent): boolean {
    if (e.eventId !== ContainerEventId.CONTAINER_CREATE) return false;
    const runtime = e.args[0]?.value;
    const id = e.args[1]?.value;
    if (typeof runtime !== "string" || typeof id !== "string") return false;
    this.#hold(e, this.registry.byId(id, runtime as RuntimeName), this.clock.epochNs(e));
    return true;
  }

  /**
   * One existing_container event per container running at start, for the policies in
   * `policies` (low, high 32 bits); held like container_create.
   */
  addExisting(containers: readonly ScannedContainer[], lo: number, hi: number): void {
    const def = eventById(ContainerEventId.EXISTING_CONTAINER)!;
    for (const c of containers) {
      const boot = this.clock.bootNs();
      const ctime = c.cgroups.reduce((m, cg) => Math.min(m, cg.ctimeNs), Infinity);
      const e: TraceeEvent = {
        def,
        tsHi: Math.floor(boot / TWO_32),
        tsLo: boot % TWO_32,
        threadStartTime: 0,
        processStartTime: 0,
        processorId: 0,
        processId: 0,
        threadId: 0,
        parentProcessId: 0,
        hostProcessId: 0,
        hostThreadId: 0,
        hostParentProcessId: 0,
        userId: 0,
        mountNamespace: 0,
        pidNamespace: 0,
        utsNamespace: 0,
        processName: "",
        cgroupId: 0,
        containerKey: 0,
        container: undefined,
        eventId: def.id,
        returnValue: 0,
        policiesLo: lo,
        policiesHi: hi,
        syscall: -1,
        flags: 0,
        args: [
          { name: "runtime", type: "const char*", value: c.runtime },
          { name: "container_id", type: "const char*", value: c.id },
        ],
      };
      const when = Number.isFinite(ctime) ? BigInt(Math.round(ctime)) : 0n;
      this.#hold(e, this.registry.byId(c.id, c.runtime), when);
    }
  }

  #hold(e: TraceeEvent, rec: ContainerRecord, ctime: bigint): void {
    this.#held.push({ e, rec, ctime, deadline: this.clock.now() + this.holdMs });
  }

  release(process: (e: TraceeEvent) => void, all: boolean): void {
    const now = this.clock.now();
    while (this.#held.length > 0) {
      const h = this.#held[0]!;
      if (!all && !h.rec.settled && now < h.deadline) return;
      this.#held.shift();
      h.e.args.push(...detailArgs(h.rec, h.ctime));
      process(h.e);
    }
  }
}
