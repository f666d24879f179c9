/**
 * The containers of a run, by the key events carry (the kernfs id of the container's cgroup,
 * bpf/containers.bpf.h) and by id. A key seen for the first time is looked up once in the
 * kernel's container_ids map (its id and runtime); its record is then asked of the runtime in the
 * background (enricher.ts) and shared by every event of the container.
 *
 * Bounded: at most `max` records (a container has one key per cgroup hierarchy, all pointing at
 * one record); past that the oldest is forgotten, and met again it is looked up again.
 */
import type { TraceeEvent } from "../decode/event.ts";
import type { RuntimeName } from "./cgroup_path.ts";
import { ContainerRecord } from "./container_record.ts";
import type { ContainerEnricher } from "./enricher.ts";

const DEFAULT_MAX = 4096;

/** A container key's id and runtime, as the kernel recorded them (undefined: not there). */
export type KeyLookup = (key: number) => { id: string; runtime: RuntimeName } | undefined;

/** Containers by key and by id. */
export class ContainerRegistry {
  readonly #byKey = new Map<number, ContainerRecord>();
  readonly #byId = new Map<string, ContainerRecord>();
  #lastKey = -1;
  #last: ContainerRecord | undefined;

  constructor(
    private readonly lookup: KeyLookup,
    private readonly enricher?: ContainerEnricher,
    private readonly max = DEFAULT_MAX,
  ) {}

  /** Number of containers held. */
  get size(): number {
    return this.#byId.size;
  }

  /** Sets `e.container` from the event's container key (undefined on the host). */
  attach(e: TraceeEvent): void {
    e.container = this.recordOf(e.containerKey);
  }

  /** The container of a key events carry (undefined for 0, the host, or an unknown key). */
  recordOf(key: number): ContainerRecord | undefined {
    if (key === 0) return undefined;
    if (key === this.#lastKey) return this.#last;
    let rec = this.#byKey.get(key);
    if (rec === undefined) {
      const found = this.lookup(key);
      if (found === undefined) return undefined;
      rec = this.byId(found.id, found.runtime);
      this.#byKey.set(key, rec);
    }
    this.#lastKey = key;
    this.#last = rec;
    return rec;
  }

  /** Marks a container that was running when tracee started (it has started). */
  markExisting(id: string, runtime: RuntimeName): void {
    this.byId(id, runtime).started = true;
  }

  /**
   * Notes an exec of the event's process: when it is in a container not yet started and its
   * mount namespace is not its parent's (`parentMntns`, 0 when unknown), the container starts.
   */
  noteExec(e: TraceeEvent, parentMntns: number): void {
    const rec = this.recordOf(e.containerKey);
    if (rec && !rec.started && parentMntns !== 0 && parentMntns !== e.mountNamespace) {
      rec.started = true;
    }
  }

  /** The record of a container id, made (and asked of its runtime) when new. */
  byId(id: string, runtime: RuntimeName): ContainerRecord {
    let rec = this.#byId.get(id);
    if (rec !== undefined) return rec;
    if (this.#byId.size >= this.max) this.#forgetOldest();
    rec = new ContainerRecord(id, runtime);
    this.#byId.set(id, rec);
    if (this.enricher) this.enricher.request(rec);
    else rec.state = "unavailable";
    return rec;
  }

  #forgetOldest(): void {
    const [id, oldest] = this.#byId.entries().next().value!;
    this.#byId.delete(id);
    for (const [k, r] of this.#byKey) if (r === oldest) this.#byKey.delete(k);
    if (this.#last === oldest) {
      this.#lastKey = -1;
      this.#last = undefined;
    }
  }
}
