/**
 * TRC-1021: /proc/kcore (the kernel's memory as a core file) read from a container, also through
 * the host's /proc mounted elsewhere (any path ending in it).
 */
import { readPath } from "../event_args.ts";
import { defineSignature } from "../signature.ts";
import { ESCAPE_TO_HOST } from "./mitre.ts";

const KCORE = "/proc/kcore";

export default defineSignature({
  metadata: {
    id: "TRC-1021",
    version: "1",
    name: "Kcore memory file read",
    eventName: "proc_kcore_read",
    description:
      "An attempt to read /proc/kcore file was detected. KCore provides a full dump of the physical memory of the system in the core file format. Adversaries may read this file to get all of the host memory and use this information for container escape.",
    properties: {
      Severity: 2,
      Category: "privilege-escalation",
      ...ESCAPE_TO_HOST,
      Kubernetes_Technique: "",
    },
  },
  selectedEvents: [{ name: "security_file_open", origin: "container" }],
  onEvent(e, ctx) {
    if (readPath(e).endsWith(KCORE)) ctx.detect();
  },
});
