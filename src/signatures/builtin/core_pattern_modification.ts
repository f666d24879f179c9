/**
 * TRC-1011: the kernel's core_pattern opened for writing in a container (a pipe there makes the
 * host run a program on the next crash: a container escape).
 */
import { writtenPath } from "../event_args.ts";
import { defineSignature } from "../signature.ts";
import { ESCAPE_TO_HOST } from "./mitre.ts";

const CORE_PATTERN = "/proc/sys/kernel/core_pattern";

export default defineSignature({
  metadata: {
    id: "TRC-1011",
    version: "1",
    name: "Core dumps configuration file modification detected",
    eventName: "core_pattern_modification",
    description:
      "Modification of the core dump configuration file (core_pattern) detected. Core dumps are usually written to disk when a program crashes. Certain modifications enable container escaping through the kernel core_pattern feature.",
    properties: {
      Severity: 3,
      Category: "privilege-escalation",
      ...ESCAPE_TO_HOST,
      Kubernetes_Technique: "",
    },
  },
  selectedEvents: [{ name: "security_file_open", origin: "container" }],
  onEvent(e, ctx) {
    if (writtenPath(e).endsWith(CORE_PATTERN)) ctx.detect();
  },
});
