/** TRC-1023: a process's memory file (/proc/<pid>/mem) opened for reading: stealing secrets. */
import { readPath } from "../event_args.ts";
import { defineSignature } from "../signature.ts";

/** /proc/<pid>/mem (as upstream matches it: a pid of two or more digits, or a task path). */
export const PROC_MEM = /\/proc\/(?:\d.+)\/mem$/;

export default defineSignature({
  metadata: {
    id: "TRC-1023",
    version: "1",
    name: "Process memory access detected",
    eventName: "proc_mem_access",
    description:
      "Process memory access detected. Adversaries may access other processes memory to steal credentials and secrets.",
    properties: {
      Severity: 3,
      Category: "credential-access",
      Technique: "Proc Filesystem",
      Kubernetes_Technique: "",
      id: "attack-pattern--3120b9fa-23b8-4500-ae73-09494f607b7d",
      external_id: "T1003.007",
    },
  },
  selectedEvents: [{ name: "security_file_open", origin: "*" }],
  onEvent(e, ctx) {
    if (PROC_MEM.test(readPath(e))) ctx.detect();
  },
});
