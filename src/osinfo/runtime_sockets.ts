/**
 * Container runtime sockets Tracee registers by default; each absent one gets seed 000's
 * "RuntimeSockets: failed to register default" debug line. (Enrichment itself comes later.)
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
