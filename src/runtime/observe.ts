/**
 * The state kept across events, fed by every decoded event before the signatures see it: the
 * event's container (by the key it carries), whether that container has started (an exec of one
 * of its processes whose mount namespace is not its parent's), and the process tree.
 */
import type { ContainerRegistry } from "../containers/registry.ts";
import type { TraceeEvent } from "../decode/event.ts";
import { eventByName } from "../events/table.ts";
import type { ProcessTree } from "../proctree/process_tree.ts";

const SCHED_PROCESS_EXEC = eventByName("sched_process_exec")!.id;

/** The observe stage of a run: containers always, the process tree when it is kept. */
export function stateObserver(
  registry: ContainerRegistry,
  tree: ProcessTree | undefined,
): (e: TraceeEvent) => void {
  if (!tree) return (e) => registry.attach(e);
  return (e) => {
    registry.attach(e);
    if (e.eventId === SCHED_PROCESS_EXEC && e.container) {
      // the parent as the tree knows it before this exec is applied
      registry.noteExec(e, tree.get(e.hostParentProcessId)?.mntns ?? 0);
    }
    tree.apply(e);
  };
}
