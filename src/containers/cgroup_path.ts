/**
 * Container ids from cgroup paths, as the runtimes name their cgroups (the kernel matches the
 * same names: bpf/containers.bpf.h):
 *   podman      …/libpod-<id>.scope, …/libpod-<id>
 *   docker      …/docker-<id>.scope, …/docker/<id>
 *   containerd  …/cri-containerd-<id>.scope, …/cri-containerd-<id>
 *   cri-o       …/crio-<id>.scope, …/crio-<id>
 * An id is 64 hex digits.
 */

/** The runtimes tracee tells apart, by the names tracee prints (`runtime` arguments). */
export type RuntimeName = "docker" | "containerd" | "crio" | "podman";

/** A container named by a cgroup. */
export interface CgroupContainer {
  readonly id: string;
  readonly runtime: RuntimeName;
}

const ID = "[0-9a-f]{64}";
const PATTERNS: readonly { runtime: RuntimeName; re: RegExp }[] = [
  { runtime: "podman", re: new RegExp(`(?:^|/)libpod-(${ID})(?:\\.scope)?(?=/|$)`, "g") },
  { runtime: "docker", re: new RegExp(`(?:^|/)docker-(${ID})\\.scope(?=/|$)`, "g") },
  { runtime: "docker", re: new RegExp(`(?:^|/)docker/(${ID})(?=/|$)`, "g") },
  {
    runtime: "containerd",
    re: new RegExp(`(?:^|/)cri-containerd-(${ID})(?:\\.scope)?(?=/|$)`, "g"),
  },
  { runtime: "crio", re: new RegExp(`(?:^|/)crio-(${ID})(?:\\.scope)?(?=/|$)`, "g") },
];

/** Every container a cgroup path names, with where its cgroup's name ends in the path. */
function matches(path: string): { c: CgroupContainer; end: number }[] {
  const out: { c: CgroupContainer; end: number }[] = [];
  for (const { runtime, re } of PATTERNS) {
    re.lastIndex = 0;
    for (const m of path.matchAll(re)) {
      out.push({ c: { id: m[1]!, runtime }, end: m.index! + m[0].length });
    }
  }
  return out;
}

/** The container a cgroup path belongs to (the innermost match), or undefined. */
export function containerFromCgroupPath(path: string): CgroupContainer | undefined {
  let best: { c: CgroupContainer; end: number } | undefined;
  for (const m of matches(path)) if (best === undefined || m.end > best.end) best = m;
  return best?.c;
}

/** The container whose own cgroup this path is (its last component names it), or undefined. */
export function containerCgroup(path: string): CgroupContainer | undefined {
  const trimmed = path.replace(/\/+$/, "");
  return matches(trimmed).find((m) => m.end === trimmed.length)?.c;
}

/** The container of a process from its /proc/<pid>/cgroup text (any hierarchy), or undefined. */
export function containerFromProcCgroup(text: string): CgroupContainer | undefined {
  for (const line of text.split("\n")) {
    const path = line.slice(line.indexOf(":", line.indexOf(":") + 1) + 1);
    const found = containerFromCgroupPath(path);
    if (found) return found;
  }
  return undefined;
}
