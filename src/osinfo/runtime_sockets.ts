/**
 * Container runtime sockets Tracee registers by default; each absent one gets seed 000's
 * "RuntimeSockets: failed to register default" debug line, and each runtime Tracee would enrich
 * from gets its "Enricher" line. (Enrichment itself is not implemented yet.)
 */
import { logger } from "../log/logger.ts";
import { goFileError } from "./kconfig.ts";

/** Default socket of each runtime, in the order Tracee tries them. */
export const DEFAULT_RUNTIME_SOCKETS: readonly (readonly [string, string])[] = [
  ["containerd", "/var/run/containerd/containerd.sock"],
  ["docker", "/var/run/docker.sock"],
  ["crio", "/var/run/crio/crio.sock"],
  ["podman", "/var/run/podman/podman.sock"],
];

/** Runtimes whose socket exists; logs the ones that do not. */
export function registerRuntimeSockets(stat: (p: string) => unknown = Deno.statSync): string[] {
  const log = logger("flags");
  const found: string[] = [];
  for (const [runtime, path] of DEFAULT_RUNTIME_SOCKETS) {
    try {
      stat(path);
      found.push(runtime);
    } catch (e) {
      log.debug("RuntimeSockets: failed to register default", {
        socket: runtime,
        error: `failed to register runtime socket ${goFileError("stat", path, e)}`,
      });
    }
  }
  return found;
}

/** Runtimes Tracee builds a container enricher for, in the order it tries them. */
export const ENRICHER_RUNTIMES: readonly string[] = ["containerd", "crio", "docker"];

/**
 * Logs seed 000's "Enricher" debug line for each runtime without a registered socket; a runtime
 * whose socket is there gets the same line saying that enrichment is not implemented.
 */
export function logEnrichers(registered: readonly string[]): void {
  const log = logger("containers");
  for (const runtime of ENRICHER_RUNTIMES) {
    log.debug("Enricher", {
      error: registered.includes(runtime)
        ? `error registering enricher: container enrichment from ${runtime} is not implemented`
        : `error registering enricher: unsupported runtime ${runtime}`,
    });
  }
}
