/** TRC-1024: a process's memory file (/proc/<pid>/mem) opened for writing: code injection. */
import { writtenPath } from "../event_args.ts";
import { defineSignature } from "../signature.ts";
import { PROC_MEM } from "./proc_mem_access.ts";

export default defineSignature({
  metadata: {
    id: "TRC-1024",
    version: "1",
    name: "Code injection detected through /proc/<pid>/mem file",
    eventName: "proc_mem_code_injection",
    description:
      "Possible code injection into another process was detected. Code injection is an exploitation technique used to run malicious code, adversaries may use it in order to execute their malware.",
    properties: {
      Severity: 3,
      Category: "defense-evasion",
      Technique: "Proc Memory",
      Kubernetes_Technique: "",
      id: "attack-pattern--d201d4cc-214d-4a74-a1ba-b3fa09fd4591",
      external_id: "T1055.009",
    },
  },
  selectedEvents: [{ name: "security_file_open", origin: "*" }],
  onEvent(e, ctx) {
    if (PROC_MEM.test(writtenPath(e))) ctx.detect();
  },
});
