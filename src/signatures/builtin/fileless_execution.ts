/** TRC-105: a program run from memory (memfd, /dev/shm) rather than from a file on disk. */
import { isMemoryPath, stringArg } from "../event_args.ts";
import { defineSignature } from "../signature.ts";

export default defineSignature({
  metadata: {
    id: "TRC-105",
    version: "1",
    name: "Fileless execution detected",
    eventName: "fileless_execution",
    description:
      "Fileless execution was detected. Executing a process from memory instead from a file in the filesystem may indicate that an adversary is trying to avoid execution detection.",
    properties: {
      Severity: 3,
      Category: "defense-evasion",
      Technique: "Reflective Code Loading",
      Kubernetes_Technique: "",
      id: "attack-pattern--4933e63b-9b77-476e-ab29-761bc5b7d15a",
      external_id: "T1620",
    },
  },
  selectedEvents: [{ name: "sched_process_exec", origin: "*" }],
  onEvent(e, ctx) {
    if (isMemoryPath(stringArg(e, "pathname"))) ctx.detect();
  },
});
