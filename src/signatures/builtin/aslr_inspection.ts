/** TRC-109: the ASLR setting (randomize_va_space) read. */
import { readPath } from "../event_args.ts";
import { defineSignature } from "../signature.ts";
import { EXPLOITATION_FOR_PRIVILEGE_ESCALATION } from "./mitre.ts";

const ASLR_SETTING = "/proc/sys/kernel/randomize_va_space";

export default defineSignature({
  metadata: {
    id: "TRC-109",
    version: "1",
    name: "ASLR inspection detected",
    eventName: "aslr_inspection",
    description:
      "The ASLR (address space layout randomization) configuration was inspected. ASLR is used by Linux to prevent memory vulnerabilities. An adversary may want to inspect and change the ASLR configuration in order to avoid detection.",
    properties: {
      Severity: 0,
      Category: "privilege-escalation",
      ...EXPLOITATION_FOR_PRIVILEGE_ESCALATION,
      Kubernetes_Technique: "",
    },
  },
  selectedEvents: [{ name: "security_file_open", origin: "*" }],
  onEvent(e, ctx) {
    if (readPath(e) === ASLR_SETTING) ctx.detect();
  },
});
