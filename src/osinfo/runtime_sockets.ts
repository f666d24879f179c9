/**
 * Container runtime sockets. Without --cri, Tracee registers each runtime's default socket that
 * exists (seed 000's "RuntimeSockets: failed to register default" debug line for each that does
 * not); `--cri <runtime>:<socket>` (repeatable) names them instead, and only those are used.
 * Each runtime tracee enriches from gets seed 000's "Enricher" line when it cannot be used.
 */
import type { RuntimeName } from "../containers/cgroup_path.ts";
import { runtimeClient } from "../containers/runtime_client.ts";
import { TraceeError, UsageError } from "../errors.ts";
import { logger } from "../log/logger.ts";
import { goFileError } from "./kconfig.ts";

/** Default socket of each runtime, in the order Tracee tries them. */
export const DEFAULT_RUNTIME_SOCKETS: readonly (readonly [RuntimeName, string])[] = [
  ["containerd", "/var/run/containerd/containerd.sock"],
  ["docker", "/var/run/docker.sock"],
  ["crio", "/var/run/crio/crio.sock"],
  ["podman", "/var/run/podman/podman.sock"],
];

/** Runtime names --cri accepts (cri-o is crio). */
const CRI_NAMES: Readonly<Record<string, RuntimeName>> = {
  crio: "crio",
  "cri-o": "crio",
  containerd: "containerd",
  docker: "docker",
  podman: "podman",
};

/** Registered sockets, by runtime. */
export type RuntimeSockets = ReadonlyMap<RuntimeName, string>;

/**
 * The sockets of `--cri` values, or the default sockets that exist when there are none. A --cri
 * value that is malformed, names an unknown runtime or a socket that is not there is one error.
 */
export function registerRuntimeSockets(
  cri: readonly string[] = [],
  stat: (p: string) => unknown = Deno.statSync,
): Map<RuntimeName, string> {
  const log = logger("flags");
  const found = new Map<RuntimeName, string>();
  if (cri.length === 0) {
    for (const [runtime, path] of DEFAULT_RUNTIME_SOCKETS) {
      try {
        stat(path);
        found.set(runtime, path);
        log.debug("RuntimeSockets: registered default", { socket: runtime, from: path });
      } catch (e) {
        log.debug("RuntimeSockets: failed to register default", {
          socket: runtime,
          error: `failed to register runtime socket ${goFileError("stat", path, e)}`,
        });
      }
    }
    return found;
  }
  for (const value of cri) {
    const at = value.indexOf(":");
    const runtime = CRI_NAMES[value.slice(0, at)];
    const path = value.slice(at + 1);
    if (at <= 0 || path === "") {
      throw new UsageError(`Cannot parse --cri '${value}': expected <runtime>:<socket path>`);
    }
    if (!runtime) {
      throw new UsageError(
        `Cannot parse --cri '${value}': unknown runtime '${value.slice(0, at)}' (known: ${
          Object.keys(CRI_NAMES).join(", ")
        })`,
      );
    }
    try {
      stat(path);
    } catch (e) {
      throw new TraceeError(
        `Cannot use --cri '${value}': ${goFileError("stat", path, e)}`,
        2,
        "start the runtime's API service (podman: podman system service), or give its socket's path",
      );
    }
    found.set(runtime, path);
  }
  return found;
}

/** Runtimes whose "Enricher" line seed 000 shows, in its order. */
export const ENRICHER_RUNTIMES: readonly RuntimeName[] = ["containerd", "crio", "docker"];

/**
 * Seed 000's "Enricher" debug line for each of its runtimes without a registered socket; and
 * for any registered runtime tracee has no client for (containerd: gRPC only).
 */
export function logEnrichers(registered: RuntimeSockets): void {
  const log = logger("containers");
  const runtimes = [
    ...ENRICHER_RUNTIMES,
    ...[...registered.keys()].filter((r) => !ENRICHER_RUNTIMES.includes(r)),
  ];
  for (const runtime of runtimes) {
    const socket = registered.get(runtime);
    if (socket === undefined) {
      log.debug("Enricher", {
        error: `error registering enricher: unsupported runtime ${runtime}`,
      });
    } else if (!runtimeClient(runtime, socket)) {
      log.debug("Enricher", {
        error:
          `error registering enricher: ${runtime} serves only gRPC, which tracee has no client for (its containers keep their ids only)`,
      });
    }
  }
}
