/** TRC-1029: the scheduler's debug file (every CPU's tasks) read from a container: reconnaissance. */
import { readPath } from "../event_args.ts";
import { defineSignature } from "../signature.ts";

/** Where kernels put it: procfs before 5.13, debugfs since. */
const SCHED_DEBUG_FILES = ["/proc/sched_debug", "/sys/kernel/debug/sched/debug"];

export default defineSignature({
  metadata: {
    id: "TRC-1029",
    version: "1",
    name: "sched_debug CPU file was read",
    eventName: "sched_debug_recon",
    description:
      "The sched_debug file was read. This file contains information about your CPU and processes. Adversaries may read this file in order to gather that information for their use.",
    properties: {
      Severity: 1,
      Category: "discovery",
      Technique: "Container and Resource Discovery",
      Kubernetes_Technique: "",
      id: "attack-pattern--0470e792-32f8-46b0-a351-652bc35e9336",
      external_id: "T1613",
    },
  },
  selectedEvents: [{ name: "security_file_open", origin: "container" }],
  onEvent(e, ctx) {
    if (SCHED_DEBUG_FILES.includes(readPath(e))) ctx.detect();
  },
});
