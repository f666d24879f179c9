/**
 * TRC-1010: a cgroup release_agent opened for writing, or a file renamed to that name, in a
 * container: the program the host runs when a cgroup empties (a container escape).
 */
import { basename, writtenPath } from "../event_args.ts";
import { defineSignature } from "../signature.ts";
import { ESCAPE_TO_HOST } from "./mitre.ts";

const RELEASE_AGENT_FILE = "release_agent";

export default defineSignature({
  metadata: {
    id: "TRC-1010",
    version: "1",
    name: "Cgroups release agent file modification",
    eventName: "cgroup_release_agent",
    description:
      "An attempt to modify Cgroup release agent file was detected. Cgroups are a Linux kernel feature which limits the resource usage of a set of processes. Adversaries may use this feature for container escaping.",
    properties: {
      Severity: 3,
      Category: "privilege-escalation",
      ...ESCAPE_TO_HOST,
      Kubernetes_Technique: "",
    },
  },
  selectedEvents: [
    { name: "security_file_open", origin: "container" },
    { name: "security_inode_rename", origin: "container" },
  ],
  onEvent(e, ctx) {
    if (basename(writtenPath(e)) === RELEASE_AGENT_FILE) ctx.detect();
  },
});
