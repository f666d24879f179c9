/**
 * A container as tracee sees one, for kernel tests while no container runtime is installed: a
 * trigger run the way a runtime runs a container's process, in new pid, mount and uts namespaces
 * and moved into a cgroup named as docker names its containers' (docker-<64 hex>.scope) before it
 * runs anything, so that its /proc/<pid>/cgroup names the container. That is all tracee looks at;
 * there is no image or root filesystem of its own (the trigger sees the host's files, and may
 * mount in its private mount namespace). A real runtime can replace it: tests use only `id` and
 * `python(code)`.
 *
 * The cgroup is made in the cgroup v1 pids hierarchy when the host has one (it then has v1's
 * release_agent and notify_on_release files), else in the cgroup v2 hierarchy.
 */
import { pathExists } from "../../src/path_exists.ts";
import type { DetectOptions } from "./detect.ts";
import { detectHeld, type HeldDetected, heldPython, type HeldRun } from "./held_trigger.ts";

/** Where the container's cgroup may go, in order of preference. */
const HIERARCHIES = ["/sys/fs/cgroup/pids", "/sys/fs/cgroup/unified", "/sys/fs/cgroup"];

/** How a trigger enters the container: namespaces first, then the cgroup, then the program. */
function entering(cgroup: string): string[] {
  return [
    "unshare",
    "--pid",
    "--mount",
    "--uts",
    "--fork",
    "--kill-child",
    "--",
    "sh",
    "-c",
    'echo 0 > "$0/cgroup.procs" && exec "$@"',
    cgroup,
  ];
}

/** A stand-in container (see the module comment). */
export class FakeContainer {
  private constructor(readonly id: string, readonly cgroup: string) {}

  /** Makes the container's cgroup. */
  static create(): FakeContainer {
    const root = HIERARCHIES.find((h) => pathExists(`${h}/cgroup.procs`));
    if (root === undefined) throw new Error("no cgroup hierarchy found under /sys/fs/cgroup");
    const id = Array.from(crypto.getRandomValues(new Uint8Array(32)))
      .map((b) => b.toString(16).padStart(2, "0")).join("");
    const cgroup = `${root}/docker-${id}.scope`;
    Deno.mkdirSync(cgroup);
    return new FakeContainer(id, cgroup);
  }

  /** Runs python code in the container as a held trigger (see held_trigger.ts). */
  python(code: string, env?: Record<string, string>): HeldRun {
    return heldPython(code, { wrap: entering(this.cgroup), env });
  }

  /** Removes the cgroup once its processes are gone (they may take a moment to leave it). */
  async remove(): Promise<void> {
    for (let attempt = 0;; attempt++) {
      try {
        Deno.removeSync(this.cgroup);
        return;
      } catch (e) {
        if (!(e instanceof Deno.errors.Busy) || attempt === 50) throw e;
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  }
}

/** Runs `fn` with a fresh container, removed afterwards. */
export async function withContainer<T>(fn: (c: FakeContainer) => Promise<T>): Promise<T> {
  const c = FakeContainer.create();
  try {
    return await fn(c);
  } finally {
    await c.remove();
  }
}

/**
 * detectHeld for python code run in a fresh container (removed afterwards): the findings, the
 * trigger's host pid and output, and the container's id.
 */
export function detectInContainer(
  select: readonly string[],
  code: string,
  opts: { env?: Record<string, string> } & DetectOptions = {},
): Promise<HeldDetected & { container: string }> {
  return withContainer(async (c) => ({
    ...await detectHeld(select, () => c.python(code, opts.env), opts),
    container: c.id,
  }));
}
