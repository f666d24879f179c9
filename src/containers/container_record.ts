/** Everything tracee knows of one container, as events, output and signatures see it. */
import type { RuntimeName } from "./cgroup_path.ts";
import type { ContainerDetails } from "./runtime_client.ts";

/** Where the runtime's view of a container stands. */
export type EnrichState =
  /** not asked yet, or the answer is on its way */
  | "pending"
  /** the runtime answered: name, image, … are set */
  | "enriched"
  /** the runtime does not know the id (gone, or not a container it runs) */
  | "unknown"
  /** no runtime to ask (no socket, unsupported API, or it did not answer) */
  | "unavailable";

/** A container: its id and runtime always; the runtime's details once it answered. */
export class ContainerRecord {
  name = "";
  image = "";
  imageDigest = "";
  podName = "";
  podNamespace = "";
  podUid = "";
  podSandbox = false;
  state: EnrichState = "pending";
  /**
   * The container has started, as upstream decides it: it was running when tracee started, or a
   * process of it with a mount namespace of its own (not its parent's) has run a program — the
   * runtime's init executing the container's entrypoint. What a runtime does before that
   * (mounts, setup) is not the container's own doing.
   */
  started = false;
  /** Bumped on each change (output memoizes what it prints of a record on it). */
  version = 0;

  constructor(readonly id: string, readonly runtime: RuntimeName) {}

  /** Takes the runtime's answer. */
  setDetails(d: ContainerDetails): void {
    this.name = d.name;
    this.image = d.image;
    this.imageDigest = d.imageDigest;
    this.podName = d.podName;
    this.podNamespace = d.podNamespace;
    this.podUid = d.podUid;
    this.podSandbox = d.podSandbox;
    this.state = "enriched";
    this.version++;
  }

  /** Whether asking is over (whatever the outcome). */
  get settled(): boolean {
    return this.state !== "pending";
  }
}
