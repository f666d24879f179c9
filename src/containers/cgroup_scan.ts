/**
 * What the cgroup filesystems say about containers when tracee starts: which cgroup v1
 * controllers are mounted (the kernel looks for containers in those hierarchies too), and every
 * container cgroup already there (its kernfs id is the directory's inode), grouped by container.
 */
import { type CgroupContainer, containerCgroup } from "./cgroup_path.ts";

/** Levels below a hierarchy's root searched for container cgroups. */
const SCAN_DEPTH = 8;
/** Most directories looked at per hierarchy (a host with a huge tree is searched in part). */
const SCAN_MAX_DIRS = 200_000;

/** One container cgroup directory. */
export interface ContainerCgroupDir {
  /** Its kernfs id (the directory's inode): the key events carry. */
  readonly ino: bigint;
  readonly path: string;
  /** Its change time, ns since the epoch (when the runtime made it). */
  readonly ctimeNs: number;
}

/** A container found in the cgroup filesystems, with its cgroup in each hierarchy. */
export interface ScannedContainer extends CgroupContainer {
  readonly cgroups: ContainerCgroupDir[];
}

/** Reads the host's files (tests give fakes). */
export interface CgroupFs {
  readText(path: string): string;
  readDir(path: string): Iterable<{ name: string; isDirectory: boolean }>;
  stat(path: string): { ino: bigint; ctimeNs: number };
}

export const realCgroupFs: CgroupFs = {
  readText: (p) => Deno.readTextFileSync(p),
  readDir: (p) => Deno.readDirSync(p),
  stat: (p) => {
    const st = Deno.statSync(p);
    return { ino: BigInt(st.ino ?? 0), ctimeNs: (st.ctime?.getTime() ?? 0) * 1_000_000 };
  },
};

/**
 * Bit i set for each cgroup v1 controller mounted on its own hierarchy, i its subsystem id: the
 * line order of /proc/cgroups (hierarchy 0 means v2 or not mounted).
 */
export function v1SubsysMask(procCgroups: string): number {
  let mask = 0;
  const lines = procCgroups.split("\n").filter((l) => l !== "" && !l.startsWith("#"));
  lines.forEach((line, ssid) => {
    const [, hierarchy, , enabled] = line.split(/\s+/);
    if (ssid < 16 && Number(hierarchy) !== 0 && enabled === "1") mask |= 1 << ssid;
  });
  return mask >>> 0;
}

/** Mount points of the cgroup and cgroup2 filesystems, from /proc/self/mountinfo. */
export function cgroupMounts(mountinfo: string): string[] {
  const out: string[] = [];
  for (const line of mountinfo.split("\n")) {
    const [left, right] = line.split(" - ");
    if (!left || !right) continue;
    const fstype = right.split(" ")[0];
    if (fstype !== "cgroup" && fstype !== "cgroup2") continue;
    const mountPoint = left.split(" ")[4];
    if (mountPoint) out.push(mountPoint.replace(/\\040/g, " "));
  }
  return out;
}

/** Every container cgroup under the cgroup mounts, grouped by container id. */
export function scanContainers(fs: CgroupFs = realCgroupFs): ScannedContainer[] {
  const byId = new Map<string, ScannedContainer>();
  let mounts: string[];
  try {
    mounts = cgroupMounts(fs.readText("/proc/self/mountinfo"));
  } catch {
    return [];
  }
  for (const root of mounts) {
    let budget = SCAN_MAX_DIRS;
    const walk = (dir: string, rel: string, depth: number) => {
      if (depth > SCAN_DEPTH || budget <= 0) return;
      let entries: { name: string; isDirectory: boolean }[];
      try {
        entries = [...fs.readDir(dir)];
      } catch {
        return; // removed meanwhile
      }
      for (const e of entries) {
        if (!e.isDirectory || --budget <= 0) continue;
        const path = `${dir}/${e.name}`;
        const relPath = `${rel}/${e.name}`;
        const found = containerCgroup(relPath);
        if (found) {
          try {
            const st = fs.stat(path);
            const c = byId.get(found.id) ?? { ...found, cgroups: [] };
            c.cgroups.push({ ino: st.ino, path, ctimeNs: st.ctimeNs });
            byId.set(found.id, c);
          } catch {
            continue;
          }
        }
        walk(path, relPath, depth + 1);
      }
    };
    walk(root, "", 0);
  }
  return [...byId.values()];
}
