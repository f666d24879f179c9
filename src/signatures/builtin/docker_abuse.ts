/**
 * TRC-1019: the Docker API socket (…docker.sock) connected to, or opened for writing, from a
 * container: control of the host's Docker daemon from inside one of its containers.
 */
import { sockaddrArg, unixPathOf, writtenPath } from "../event_args.ts";
import { defineSignature } from "../signature.ts";
import { EXPLOITATION_FOR_PRIVILEGE_ESCALATION } from "./mitre.ts";

const DOCKER_SOCKET = "docker.sock";

export default defineSignature({
  metadata: {
    id: "TRC-1019",
    version: "1",
    name: "Docker socket abuse detected",
    eventName: "docker_abuse",
    description:
      "An attempt to abuse the Docker UNIX socket inside a container was detected. docker.sock is the UNIX socket that Docker uses as the entry point to the Docker API. Adversaries may attempt to abuse this socket to compromise the system.",
    properties: {
      Severity: 2,
      Category: "privilege-escalation",
      ...EXPLOITATION_FOR_PRIVILEGE_ESCALATION,
      Kubernetes_Technique: "",
    },
  },
  selectedEvents: [
    { name: "security_file_open", origin: "container" },
    { name: "security_socket_connect", origin: "container" },
  ],
  onEvent(e, ctx) {
    const path = e.def.name === "security_socket_connect"
      ? unixPathOf(sockaddrArg(e, "remote_addr"))
      : writtenPath(e);
    if (path.endsWith(DOCKER_SOCKET)) ctx.detect();
  },
});
