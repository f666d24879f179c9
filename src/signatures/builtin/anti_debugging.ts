/** TRC-102: a process asked to be traced by its parent (PTRACE_TRACEME), blocking debuggers. */
import { numberArg } from "../event_args.ts";
import { defineSignature } from "../signature.ts";

const PTRACE_TRACEME = 0;

export default defineSignature({
  metadata: {
    id: "TRC-102",
    version: "1",
    name: "Anti-Debugging detected",
    eventName: "anti_debugging",
    description:
      "A process used anti-debugging techniques to block a debugger. Malware use anti-debugging to stay invisible and inhibit analysis of their behavior.",
    properties: {
      Severity: 1,
      Category: "defense-evasion",
      Technique: "Debugger Evasion",
      Kubernetes_Technique: "",
      id: "attack-pattern--e4dc8c01-417f-458d-9ee0-bb0617c1b391",
      external_id: "T1622",
    },
  },
  selectedEvents: [{ name: "ptrace", origin: "*" }],
  onEvent(e, ctx) {
    if (numberArg(e, "request") === PTRACE_TRACEME) ctx.detect();
  },
});
