/**
 * Clients of the container runtimes' APIs, asked for what a container id alone does not say: its
 * name, image, image digest and, under Kubernetes, its pod (from the labels the kubelet sets).
 *   docker, podman  the Docker REST API on their socket (podman serves it with
 *                   `podman system service`): /containers/<id>/json, then /images/<image>/json
 *   crio            cri-o's own HTTP inspect endpoint on its socket: /containers/<id>
 * containerd speaks only gRPC: tracee has no client for it (its containers keep their ids).
 * The enricher (enricher.ts) uses them; tests give it fakes of this interface.
 */
import type { EventContainer } from "../decode/event.ts";
import type { RuntimeName } from "./cgroup_path.ts";
import { httpGetUnix } from "./http_unix.ts";

/** What a runtime says of a container (empty strings where it says nothing). */
export type ContainerDetails = Omit<EventContainer, "id" | "runtime" | "version" | "started">;

/** A runtime's API. */
export interface RuntimeClient {
  readonly runtime: RuntimeName;
  readonly socket: string;
  /**
   * The container's details, or undefined when the runtime does not know the id. Rejects when
   * the runtime cannot be asked (socket gone, connection refused, no answer in time).
   */
  inspect(id: string): Promise<ContainerDetails | undefined>;
}

/** The labels the kubelet puts on a pod's containers. */
const POD_NAME = "io.kubernetes.pod.name";
const POD_NAMESPACE = "io.kubernetes.pod.namespace";
const POD_UID = "io.kubernetes.pod.uid";
const DOCKER_TYPE = "io.kubernetes.docker.type";
const CONTAINER_NAME = "io.kubernetes.container.name";

function podOf(labels: Record<string, string> | null | undefined) {
  const l = labels ?? {};
  return {
    podName: l[POD_NAME] ?? "",
    podNamespace: l[POD_NAMESPACE] ?? "",
    podUid: l[POD_UID] ?? "",
    podSandbox: l[DOCKER_TYPE] === "podsandbox" || l[DOCKER_TYPE] === "sandbox" ||
      l[CONTAINER_NAME] === "POD",
  };
}

const str = (v: unknown): string => (typeof v === "string" ? v : "");

/** docker and podman: the Docker REST API. */
export class DockerApiClient implements RuntimeClient {
  constructor(
    readonly runtime: RuntimeName,
    readonly socket: string,
    private readonly timeoutMs = 2000,
  ) {}

  async inspect(id: string): Promise<ContainerDetails | undefined> {
    const c = await httpGetUnix(this.socket, `/containers/${id}/json`, this.timeoutMs);
    if (c.status === 404) return undefined;
    if (c.status !== 200) throw new Error(`${this.runtime} answered ${c.status}: ${c.body.trim()}`);
    const body = JSON.parse(c.body) as {
      Name?: string;
      Image?: string;
      Config?: { Image?: string; Labels?: Record<string, string> | null };
    };
    let image = str(body.Config?.Image);
    let imageDigest = "";
    // the config names the image as the user wrote it; the image itself has its tags and digests
    if (body.Image) {
      const i = await httpGetUnix(
        this.socket,
        `/images/${encodeURIComponent(body.Image)}/json`,
        this.timeoutMs,
      );
      if (i.status === 200) {
        const img = JSON.parse(i.body) as { RepoTags?: string[]; RepoDigests?: string[] };
        image = img.RepoTags?.[0] ?? image;
        imageDigest = img.RepoDigests?.[0] ?? "";
      }
    }
    return {
      name: str(body.Name).replace(/^\//, ""),
      image,
      imageDigest,
      ...podOf(body.Config?.Labels),
    };
  }
}

/** cri-o: its HTTP inspect endpoint. */
export class CrioClient implements RuntimeClient {
  readonly runtime = "crio";

  constructor(readonly socket: string, private readonly timeoutMs = 2000) {}

  async inspect(id: string): Promise<ContainerDetails | undefined> {
    const r = await httpGetUnix(this.socket, `/containers/${id}`, this.timeoutMs);
    if (r.status === 404) return undefined;
    if (r.status !== 200) throw new Error(`crio answered ${r.status}: ${r.body.trim()}`);
    const body = JSON.parse(r.body) as {
      name?: string;
      image?: string;
      image_ref?: string;
      labels?: Record<string, string>;
    };
    return {
      name: str(body.labels?.[CONTAINER_NAME] ?? body.name),
      image: str(body.image),
      imageDigest: str(body.image_ref),
      ...podOf(body.labels),
    };
  }
}

/** The client for a runtime's socket, or undefined when tracee cannot speak its API. */
export function runtimeClient(runtime: RuntimeName, socket: string): RuntimeClient | undefined {
  switch (runtime) {
    case "docker":
    case "podman":
      return new DockerApiClient(runtime, socket);
    case "crio":
      return new CrioClient(socket);
    case "containerd":
      return undefined;
  }
}
