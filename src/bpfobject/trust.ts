/**
 * Refuses eBPF objects and BTF files an attacker could have planted or changed: the file and its
 * directory must be owned by root (or tracee's own user) and writable by no group or other
 * user. Upstream Tracee loads whatever sits in the world-writable /tmp/tracee; we do not.
 */
import { dirname } from "node:path";
import { TraceeError } from "../errors.ts";
import { logger } from "../log/logger.ts";

/** What is being vetted, for messages. */
export type TrustedKind = "eBPF object" | "BTF file" | "install path";

/**
 * Why the path is unsafe, or undefined when it is safe (or absent: callers report that). A file
 * is checked with its directory; a directory (`isDir`) on its own.
 */
export function insecurity(
  path: string,
  isDir = false,
  uid: number = Deno.uid() ?? 0,
): string | undefined {
  let real: string;
  try {
    real = Deno.realPathSync(path);
  } catch {
    return undefined;
  }
  const checks: [string, string][] = isDir
    ? [[real, real === path ? "it" : `its target ${real}`]]
    : [[real, real === path ? "it" : `its target ${real}`], [
      dirname(real),
      `its directory ${dirname(real)}`,
    ]];
  for (const [p, what] of checks) {
    const st = Deno.statSync(p);
    const owner = st.uid ?? 0;
    const mode = st.mode ?? 0;
    if (owner !== 0 && owner !== uid) return `${what} is owned by uid ${owner}, not root`;
    if (mode & 0o002) return `${what} is world-writable`;
    if (mode & 0o020) return `${what} is group-writable`;
  }
  return undefined;
}

/**
 * Throws TraceeError (exit 2) naming the file and the fix when `path` is unsafe, unless
 * `allowInsecure`, which logs a warning instead.
 */
export function requireTrusted(path: string, kind: TrustedKind, allowInsecure: boolean): void {
  const why = insecurity(path, kind === "install path");
  if (why === undefined) return;
  if (allowInsecure) {
    logger("initialize").warn("BPF: using an insecure file (--allow-insecure-bpf-file)", {
      file: path,
      kind,
      reason: why,
    });
    return;
  }
  const fix = kind === "install path"
    ? `make it root-owned and writable by root only (chown root:root ${path}; chmod 0755 ${path})`
    : `make it and its directory root-owned and writable by root only (chown root:root ${path}; chmod 0644 ${path}; chmod go-w ${
      dirname(path)
    })`;
  throw new TraceeError(
    `Cannot load ${kind} ${path}: ${why}`,
    2,
    `${fix}, or pass --allow-insecure-bpf-file to load it anyway`,
  );
}
