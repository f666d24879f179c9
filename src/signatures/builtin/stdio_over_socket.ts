/**
 * TRC-101: a process's standard input, output or error became a socket connected to a remote
 * inet/inet6 address (a socket connected as fd 0-2, or dup'ed onto one): a reverse shell.
 */
import { ipOf, isInternet, numberArg, portOf, sockaddrArg } from "../event_args.ts";
import { defineSignature } from "../signature.ts";

/** stdin, stdout, stderr. */
const STDIO_FDS = new Set([0, 1, 2]);

export default defineSignature({
  metadata: {
    id: "TRC-101",
    version: "2",
    name: "Process standard input/output over socket detected",
    eventName: "stdio_over_socket",
    description:
      "A process has its standard input/output redirected to a socket. This behavior is the base of a Reverse Shell attack, which is when an interactive shell being invoked from a target machine back to the attacker's machine, giving it interactive control over the target. Adversaries may use a Reverse Shell to retain control over a compromised target while bypassing security measures like network firewalls.",
    properties: {
      Severity: 3,
      Category: "execution",
      Technique: "Unix Shell",
      Kubernetes_Technique: "",
      id: "attack-pattern--a9d4b653-6915-42af-98b2-5758c4ceee56",
      external_id: "T1059.004",
    },
  },
  selectedEvents: [
    { name: "security_socket_connect", origin: "*" },
    { name: "socket_dup", origin: "*" },
  ],
  onEvent(e, ctx) {
    const fd = numberArg(e, e.def.name === "socket_dup" ? "newfd" : "sockfd");
    if (!STDIO_FDS.has(fd)) return;
    const remote = sockaddrArg(e, "remote_addr");
    if (!isInternet(remote)) return;
    const port = portOf(remote);
    // no port (or port 0) is not a connection to anyone
    if (!(port > 0)) return;
    ctx.detect({ "IP address": ipOf(remote), "Port": String(port), "File descriptor": fd });
  },
});
