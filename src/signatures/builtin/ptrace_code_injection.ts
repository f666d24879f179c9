/** TRC-103: a process wrote into another's memory with ptrace (PTRACE_POKETEXT/POKEDATA). */
import { numberArg } from "../event_args.ts";
import { defineSignature } from "../signature.ts";

const PTRACE_POKETEXT = 4;
const PTRACE_POKEDATA = 5;

export default defineSignature({
  metadata: {
    id: "TRC-103",
    version: "1",
    name: "Code injection detected using ptrace",
    eventName: "ptrace_code_injection",
    description:
      "Possible code injection into another process was detected. Code injection is an exploitation technique used to run malicious code, adversaries may use it in order to execute their malware.",
    properties: {
      Severity: 3,
      Category: "defense-evasion",
      Technique: "Ptrace System Calls",
      Kubernetes_Technique: "",
      id: "attack-pattern--ea016b56-ae0e-47fe-967a-cc0ad51af67f",
      external_id: "T1055.008",
    },
  },
  selectedEvents: [{ name: "ptrace", origin: "*" }],
  onEvent(e, ctx) {
    const request = numberArg(e, "request");
    if (request === PTRACE_POKETEXT || request === PTRACE_POKEDATA) ctx.detect();
  },
});
