/**
 * tracefs (/sys/kernel/tracing) lists the kernel's tracepoints: tracee asks it which hooks this
 * kernel has before loading (a missing one is then skipped or replaced by its fallback, rather
 * than failing at attach). It is not always mounted; as root tracee mounts it when missing.
 */
import { logger } from "../log/logger.ts";
import { pathExists } from "../path_exists.ts";

export const TRACEFS = "/sys/kernel/tracing";

/** Mounts tracefs when it is not mounted and we may; never fails (then nothing is known). */
export function ensureTracefs(root = TRACEFS): void {
  if (pathExists(`${root}/events`) || !pathExists(root) || Deno.uid() !== 0) return;
  try {
    const r = new Deno.Command("mount", { args: ["-t", "tracefs", "nodev", root], stderr: "null" })
      .outputSync();
    if (r.success) logger("osinfo").debug("mounted tracefs", { path: root });
  } catch {
    // no mount(8): go on without
  }
}

/**
 * The names of every tracepoint under `<root>/events/<category>/<name>`, or undefined when
 * tracefs cannot be read.
 */
export function tracepointNames(root = TRACEFS): Set<string> | undefined {
  const names = new Set<string>();
  try {
    for (const cat of Deno.readDirSync(`${root}/events`)) {
      if (!cat.isDirectory) continue;
      for (const tp of Deno.readDirSync(`${root}/events/${cat.name}`)) {
        if (tp.isDirectory) names.add(tp.name);
      }
    }
  } catch {
    return undefined;
  }
  return names.size > 0 ? names : undefined;
}

/**
 * Whether the kernel has the tracepoint `name` (raw tracepoints and tp_btf attach to these
 * names), or undefined when tracefs cannot tell.
 */
export function tracepointLookup(root = TRACEFS): (name: string) => boolean | undefined {
  const names = tracepointNames(root);
  return (name) => names === undefined ? undefined : names.has(name);
}
