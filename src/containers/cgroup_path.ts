/**
 * Container ids from cgroup paths, as the runtimes name their cgroups:
 *   podman      …/libpod-<id>.scope, …/libpod-<id>, …/libpod_parent/libpod-<id>
 *   docker      …/docker-<id>.scope, /docker/<id>
 *   containerd  …/cri-containerd-<id>.scope
 *   cri-o       …/crio-<id>.scope, …/crio-<id>
 * An id is 64 hex digits.
 */

const ID = "[0-9a-f]{64}";
const PATTERNS: readonly { runtime: string; re: RegExp }[] = [
  { runtime: "podman", re: new RegExp(`(?:^|/)libpod-(${ID})(?:\\.scope)?(?:/|$)`) },
  { runtime: "docker", re: new RegExp(`(?:^|/)docker-(${ID})\\.scope(?:/|$)`) },
  { runtime: "docker", re: new RegExp(`(?:^|/)docker/(${ID})(?:/|$)`) },
  { runtime: "containerd", re: new RegExp(`(?:^|/)cri-containerd-(${ID})(?:\\.scope)?(?:/|$)`) },
  { runtime: "crio", re: new RegExp(`(?:^|/)crio-(${ID})(?:\\.scope)?(?:/|$)`) },
];

/** The container a cgroup path belongs to (the innermost match), or undefined. */
export function containerFromCgroupPath(
  path: string,
): { id: string; runtime: string } | undefined {
  let best: { id: string; runtime: string; at: number } | undefined;
  for (const { runtime, re } of PATTERNS) {
    const m = re.exec(path);
    if (m && (best === undefined || m.index > best.at)) best = { id: m[1]!, runtime, at: m.index };
  }
  return best ? { id: best.id, runtime: best.runtime } : undefined;
}

/** The container of a process from its /proc/<pid>/cgroup text (any hierarchy), or undefined. */
export function containerFromProcCgroup(
  text: string,
): { id: string; runtime: string } | undefined {
  for (const line of text.split("\n")) {
    const path = line.slice(line.indexOf(":", line.indexOf(":") + 1) + 1);
    const found = containerFromCgroupPath(path);
    if (found) return found;
  }
  return undefined;
}
