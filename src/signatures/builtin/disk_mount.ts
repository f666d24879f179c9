/**
 * TRC-1014: a device (/dev/…) mounted in a container: a host disk mounted inside a privileged
 * container, to escape it.
 * Only once the container has started (its entrypoint ran, see ContainerRecord.started): the
 * runtime's own mounts while it sets the container up are not reported.
 */
import { stringArg } from "../event_args.ts";
import { defineSignature } from "../signature.ts";
import { ESCAPE_TO_HOST } from "./mitre.ts";

const DEVICES_DIR = "/dev/";

export default defineSignature({
  metadata: {
    id: "TRC-1014",
    version: "1",
    name: "Container device mount detected",
    eventName: "disk_mount",
    description:
      "Container device filesystem mount detected. A mount of a host device filesystem can be exploited by adversaries to perform container escape.",
    properties: {
      Severity: 3,
      Category: "privilege-escalation",
      ...ESCAPE_TO_HOST,
      Kubernetes_Technique: "",
    },
  },
  selectedEvents: [{ name: "security_sb_mount", origin: "container" }],
  onEvent(e, ctx) {
    if (!ctx.container?.started) return;
    if (stringArg(e, "dev_name").startsWith(DEVICES_DIR)) ctx.detect();
  },
});
