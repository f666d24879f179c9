/** TRC-1025: process_vm_writev(2) into another process's memory: code injection. */
import { numberArg } from "../event_args.ts";
import { defineSignature } from "../signature.ts";

export default defineSignature({
  metadata: {
    id: "TRC-1025",
    version: "1",
    name: "Code injection detected using process_vm_writev syscall",
    eventName: "process_vm_write_inject",
    description:
      "Possible code injection into another process was detected. Code injection is an exploitation technique used to run malicious code, adversaries may use it in order to execute their malware.",
    properties: {
      Severity: 3,
      Category: "defense-evasion",
      Technique: "Process Injection",
      Kubernetes_Technique: "",
      id: "attack-pattern--43e7dc91-05b2-474c-b9ac-2ed4fe101f4d",
      external_id: "T1055",
    },
  },
  selectedEvents: [{ name: "process_vm_writev", origin: "*" }],
  onEvent(e, ctx) {
    // the target pid as the caller names it, in its own pid namespace: compare with its own
    if (numberArg(e, "pid") !== e.processId) ctx.detect();
  },
});
