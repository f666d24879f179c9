/**
 * The running kernel's build configuration, read as Tracee does: /proc/config.gz, then
 * /boot/config-<release> (LIBBPFGO_KCONFIG_FILE overrides both). When none can be read, the two
 * KConfig warnings of seed 000 are logged and defaults are assumed (and, once initialization is
 * done, its closing debug line: logAssumedKconfig).
 */
import { gunzipSync } from "node:zlib";
import { logger } from "../log/logger.ts";
import { pathExists } from "../path_exists.ts";
import type { HostProbe } from "./osinfo.ts";

/** CONFIG_* values (y, m, strings); `known` is false when no config could be read. */
export interface KernelConfig {
  readonly known: boolean;
  readonly values: ReadonlyMap<string, string>;
  /** Whether CONFIG_<name> is y or m; `assumed` when the config is unknown. */
  enabled(name: string, assumed?: boolean): boolean;
}

/** Go's wording of a file error, as Tracee prints it. */
export function goFileError(op: string, path: string, e: unknown): string {
  if (e instanceof Deno.errors.NotFound) return `${op} ${path}: no such file or directory`;
  if (e instanceof Deno.errors.PermissionDenied) return `${op} ${path}: permission denied`;
  return `${op} ${path}: ${(e as Error).message}`;
}

/** Parses `CONFIG_X=value` lines. */
export function parseKconfig(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split("\n")) {
    const m = /^(CONFIG_\w+)=(.*)$/.exec(line);
    if (m) values.set(m[1]!, m[2]!.replace(/^"(.*)"$/, "$1"));
  }
  return values;
}

function config(values: Map<string, string>, known: boolean): KernelConfig {
  return {
    known,
    values,
    enabled: (name, assumed = true) => {
      if (!known) return assumed;
      const v = values.get(`CONFIG_${name}`);
      return v === "y" || v === "m";
    },
  };
}

/** Reads the kernel config, logging Tracee's KConfig warnings when there is none. */
export function readKernelConfig(
  host: Pick<HostProbe, "env" | "kernelRelease"> & {
    readBytes(path: string): Uint8Array;
    exists(path: string): boolean;
  },
): KernelConfig {
  const override = host.env("LIBBPFGO_KCONFIG_FILE");
  const boot = `/boot/config-${host.kernelRelease()}`;
  const candidates = override ? [override] : ["/proc/config.gz", boot];
  let lastError = "";
  for (const path of candidates) {
    if (!override && path === "/proc/config.gz" && !host.exists(path)) continue;
    try {
      const raw = host.readBytes(path);
      const text = new TextDecoder().decode(path.endsWith(".gz") ? gunzipSync(raw) : raw);
      return config(parseKconfig(text), true);
    } catch (e) {
      lastError = `could not read ${path}: ${goFileError("stat", path, e)}`;
    }
  }
  const log = logger("kconfig");
  log.warn("KConfig: could not check enabled kconfig features", { error: lastError });
  log.warn("KConfig: assuming kconfig values, might have unexpected behavior");
  return config(new Map(), false);
}

/** Seed 000's closing KConfig debug line, when the kernel config was not found. */
export function logAssumedKconfig(k: KernelConfig): void {
  if (k.known) return;
  logger("initialization").debug(
    "KConfig: warning: assuming kconfig values, might have unexpected behavior",
  );
}

/** readKernelConfig's view of the real host. */
export const realKconfigHost = {
  env: (k: string) => Deno.env.get(k),
  kernelRelease: () => Deno.osRelease(),
  readBytes: (p: string) => Deno.readFileSync(p),
  exists: pathExists,
};
