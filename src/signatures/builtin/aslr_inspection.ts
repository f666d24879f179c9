/** TRC-109: the ASLR setting (randomize_va_space) read. */
import { readPath } from "../event_args.ts";
import { defineSignature } from "../signature.ts";

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
      Technique: "Exploitation for Privilege Escalation",
      Kubernetes_Technique: "",
      id: "attack-pattern--b21c3b2d-02e6-45b1-980b-e69051040839",
      external_id: "T1068",
    },
  },
  selectedEvents: [{ name: "security_file_open", origin: "*" }],
  onEvent(e, ctx) {
    if (readPath(e) === ASLR_SETTING) ctx.detect();
  },
});
