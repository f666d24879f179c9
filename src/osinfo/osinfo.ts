/** What tracee knows of the host OS and kernel, logged at start as Tracee's `osinfo` lines. */
import { logger } from "../log/logger.ts";
import { osReleasePath, parseOsRelease, unquote } from "./os_release.ts";

/** The host, as the eBPF object selection needs it. */
export interface OsInfo {
  /** os-release ID (unquoted), e.g. "debian". */
  readonly id: string;
  /** os-release VERSION_ID (unquoted), e.g. "12". */
  readonly versionId: string;
  /** uname -r. */
  readonly kernelRelease: string;
  /** uname -m, e.g. "x86_64". */
  readonly arch: string;
  /** os-release fields as written in the file. */
  readonly release: ReadonlyMap<string, string>;
}

/** os-release fields Tracee logs, in the order it logs them. */
const LOGGED_FIELDS = [
  "VERSION_CODENAME",
  "KERNEL_RELEASE",
  "ARCH",
  "VERSION",
  "ID",
  "ID_LIKE",
  "PRETTY_NAME",
  "VERSION_ID",
];

/** Host facts tracee reads (injectable for tests). */
export interface HostProbe {
  readText(path: string): string;
  kernelRelease(): string;
  arch(): string;
  env(key: string): string | undefined;
}

/** Reads the real host. */
export const realHost: HostProbe = {
  readText: (p) => Deno.readTextFileSync(p),
  kernelRelease: () => Deno.osRelease(),
  arch: () => Deno.build.arch,
  env: (k) => Deno.env.get(k),
};

/** Reads os-release (LIBBPFGO_OSRELEASE_FILE aware) and uname. A missing file yields empty fields. */
export function readOsInfo(host: HostProbe = realHost): OsInfo {
  let release = new Map<string, string>();
  try {
    release = parseOsRelease(host.readText(osReleasePath(host.env)));
  } catch {
    // Tracee goes on without os-release; BTFHub matching then finds nothing.
  }
  return {
    id: unquote(release.get("ID")),
    versionId: unquote(release.get("VERSION_ID")),
    kernelRelease: host.kernelRelease(),
    arch: host.arch(),
    release,
  };
}

/** The `osinfo` debug line's fields. */
export function osInfoFields(info: OsInfo): Record<string, string> {
  const all = new Map(info.release);
  all.set("KERNEL_RELEASE", info.kernelRelease);
  all.set("ARCH", info.arch);
  const fields: Record<string, string> = {};
  for (const k of LOGGED_FIELDS) {
    const v = all.get(k);
    if (v !== undefined) fields[k] = v;
  }
  return fields;
}

/** Kernel lockdown mode from securityfs ("none", "integrity", "confidentiality"), or undefined. */
export function readLockdown(host: HostProbe = realHost): string | undefined {
  try {
    const text = host.readText("/sys/kernel/security/lockdown");
    return /\[(\w+)\]/.exec(text)?.[1];
  } catch {
    return undefined;
  }
}

/** Logs the host's first osinfo line (os-release and uname) as Tracee does. */
export function logOsInfo(info: OsInfo): void {
  logger("osinfo").debug("osinfo", osInfoFields(info));
}

/** Logs the osinfo line with the kernel lockdown mode. */
export function logLockdown(lockdown: string | undefined): void {
  logger("osinfo").debug("osinfo", { security_lockdown: lockdown ?? "unknown" });
}
