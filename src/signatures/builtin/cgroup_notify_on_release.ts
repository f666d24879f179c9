/**
 * TRC-106: a cgroup's notify_on_release opened for writing in a container (with release_agent,
 * the way to make the host run a program when the cgroup empties: a container escape).
 */
import { basename, writtenPath } from "../event_args.ts";
import { defineSignature } from "../signature.ts";
import { ESCAPE_TO_HOST } from "./mitre.ts";

const NOTIFY_FILE = "notify_on_release";

export default defineSignature({
  metadata: {
    id: "TRC-106",
    version: "1",
    name: "Cgroups notify_on_release file modification",
    eventName: "cgroup_notify_on_release",
    description:
      "An attempt to modify Cgroup notify_on_release file was detected. Cgroups are a Linux kernel feature which limits the resource usage of a set of processes. Adversaries may use this feature for container escaping.",
    properties: {
      Severity: 3,
      Category: "privilege-escalation",
      ...ESCAPE_TO_HOST,
      Kubernetes_Technique: "",
    },
  },
  selectedEvents: [{ name: "security_file_open", origin: "container" }],
  onEvent(e, ctx) {
    if (basename(writtenPath(e)) === NOTIFY_FILE) ctx.detect();
  },
});
