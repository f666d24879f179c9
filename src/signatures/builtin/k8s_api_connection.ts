/**
 * TRC-1013: a container connected to the Kubernetes API server, whose address the container was
 * given in KUBERNETES_SERVICE_HOST (remembered per container from the environment of its execs).
 */
import { ipOf, isInternet, sockaddrArg, stringsArg } from "../event_args.ts";
import { defineSignature, type Signature } from "../signature.ts";

const API_HOST_VARIABLE = "KUBERNETES_SERVICE_HOST=";
/** Containers remembered at most (the oldest is forgotten first). */
const MAX_CONTAINERS = 4096;

/** The API server address in an environment ("" when absent). */
function apiHostOf(env: readonly string[]): string {
  const entry = env.find((v) => v.includes(API_HOST_VARIABLE));
  return entry === undefined ? "" : entry.slice(entry.indexOf("=") + 1).trim();
}

/** A fresh instance (it keeps each container's API server address). */
export function k8sApiConnection(): Signature {
  const apiHostByContainer = new Map<string, string>();
  return defineSignature({
    metadata: {
      id: "TRC-1013",
      version: "0.1.0",
      name: "Kubernetes API server connection detected",
      eventName: "k8s_api_connection",
      description:
        "A connection to the kubernetes API server was detected. The K8S API server is the brain of your K8S cluster, adversaries may try and communicate with the K8S API server to gather information/credentials, or even run more containers and laterally expand their grip on your systems.",
      tags: ["container"],
      properties: {
        Severity: 1,
        "MITRE ATT&CK": "Discovery: Cloud Service Discovery",
      },
    },
    selectedEvents: [
      { name: "sched_process_exec", origin: "container" },
      { name: "security_socket_connect", origin: "container" },
    ],
    // the environment of sched_process_exec
    options: ["exec-env"],
    onEvent(e, ctx) {
      const container = ctx.container?.id;
      if (!container) return;
      if (e.def.name === "sched_process_exec") {
        const host = apiHostOf(stringsArg(e, "env"));
        if (host === "") return;
        apiHostByContainer.delete(container);
        if (apiHostByContainer.size >= MAX_CONTAINERS) {
          apiHostByContainer.delete(apiHostByContainer.keys().next().value!);
        }
        apiHostByContainer.set(container, host);
        return;
      }
      const host = apiHostByContainer.get(container);
      const remote = sockaddrArg(e, "remote_addr");
      if (host !== undefined && isInternet(remote) && ipOf(remote) === host) {
        ctx.detect({ ip: host });
      }
    },
  });
}

export default k8sApiConnection();
