/**
 * Which container an event came from, in user space: the container id in the cgroup path of its
 * process (/proc/<pid>/cgroup, any hierarchy), cached per mount namespace, which every process of
 * a container shares (cgroup ids would not do: on v1/v2 hybrid hosts runtimes leave processes in
 * the v2 root). Bounded: at most `max` namespaces are remembered (the oldest forgotten first).
 * "Not a container" is remembered only for the host's own mount namespace: a runtime may move a
 * container's first process into its cgroup after creating its namespaces. A process gone before
 * it is looked up is treated as the host.
 */
import type { TraceeEvent } from "../decode/event.ts";
import type { ContainerInfo } from "../signatures/signature.ts";
import { containerFromProcCgroup } from "./cgroup_path.ts";

const DEFAULT_MAX = 4096;

/** Container lookups by mount namespace. */
export class ContainerCache {
  readonly #byMntns = new Map<number, ContainerInfo | null>();

  constructor(
    private readonly readCgroup: (pid: number) => string | undefined = (pid) => {
      try {
        return Deno.readTextFileSync(`/proc/${pid}/cgroup`);
      } catch {
        return undefined;
      }
    },
    private readonly max = DEFAULT_MAX,
    private readonly hostMntns = ownMountNamespace(),
  ) {}

  /** The container of the event's process, or undefined on the host. */
  containerOf(e: TraceeEvent): ContainerInfo | undefined {
    const known = this.#byMntns.get(e.mountNamespace);
    if (known !== undefined) return known ?? undefined;
    const text = this.readCgroup(e.hostProcessId);
    if (text === undefined) return undefined;
    const found = containerFromProcCgroup(text);
    const info = found ? { id: found.id } : null;
    if (info === null && e.mountNamespace !== this.hostMntns) return undefined;
    if (this.#byMntns.size >= this.max) {
      this.#byMntns.delete(this.#byMntns.keys().next().value!);
    }
    this.#byMntns.set(e.mountNamespace, info);
    return info ?? undefined;
  }
}

/** This process's mount namespace inode (0 when unreadable). */
function ownMountNamespace(): number {
  try {
    return Number(/\[(\d+)\]/.exec(Deno.readLinkSync("/proc/self/ns/mnt"))?.[1] ?? 0);
  } catch {
    return 0;
  }
}
