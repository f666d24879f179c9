/**
 * The project's podman for tests (tools/podman.sh: its own configuration and storage under
 * .output/podman): images, containers started and removed by the test, an API service on a
 * socket of the test's own.
 */
import { ROOT } from "./kernel.ts";
import { runArgv } from "./tracee_process.ts";

const SCRIPT = `${ROOT}tools/podman.sh`;
const DIR = `${ROOT}.output/podman`;

/** podman's environment: the project's configuration. */
export const PODMAN_ENV = {
  CONTAINERS_CONF: `${DIR}/containers.conf`,
  CONTAINERS_STORAGE_CONF: `${DIR}/storage.conf`,
};

/** The busybox image tests run containers of. */
export const TEST_IMAGE = "localhost/tracee-test:busybox";

function script(...args: string[]): void {
  const r = runArgv(["bash", SCRIPT, ...args]);
  if (r.code !== 0) throw new Error(`tools/podman.sh ${args.join(" ")} failed: ${r.stderr}`);
}

/** Why podman cannot be used here, or undefined (sets it up and builds the test image). */
export function podmanUnavailable(): string | undefined {
  try {
    script("image-busybox");
    return undefined;
  } catch (e) {
    return (e as Error).message.split("\n")[0];
  }
}

/** Runs podman with the project's configuration; throws with its stderr when it fails. */
export function podman(...args: string[]): string {
  const r = runArgv(["podman", ...args], PODMAN_ENV);
  if (r.code !== 0) throw new Error(`podman ${args.join(" ")} failed: ${r.stderr}`);
  return r.stdout.trim();
}

/** The full id podman reports for a container. */
export function inspectId(name: string): string {
  return podman("inspect", "--format", "{{.Id}}", name);
}

/** podman's Docker-compatible API on a socket of this test; stop() ends it. */
export class PodmanService {
  readonly socket: string;

  constructor(tag: string) {
    this.socket = `${DIR}/api-${tag}-${Deno.pid}.sock`;
    script("service-start", this.socket);
  }

  stop(): void {
    script("service-stop", this.socket);
  }
}

/** Removes a container the test started (by its name), whatever its state. */
export function removeContainer(name: string): void {
  runArgv(["podman", "rm", "-f", "-t", "0", name], PODMAN_ENV);
}
