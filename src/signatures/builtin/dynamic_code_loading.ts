/** TRC-104: memory that was writable made executable (code written, then run: packers, JITs). */
import { numberArg } from "../event_args.ts";
import { defineSignature } from "../signature.ts";

/** mem_prot_alert's "Protection changed from W to E!" (ALERT_MPROT_W_REM). */
const ALERT_MPROT_W_REM = 4;

export default defineSignature({
  metadata: {
    id: "TRC-104",
    version: "1",
    name: "Dynamic code loading detected",
    eventName: "dynamic_code_loading",
    description:
      "Possible dynamic code loading was detected as the binary's memory is both writable and executable. Writing to an executable allocated memory region could be a technique used by adversaries to run code undetected and without dropping executables.",
    properties: {
      Severity: 2,
      Category: "defense-evasion",
      Technique: "Software Packing",
      Kubernetes_Technique: "",
      id: "attack-pattern--deb98323-e13f-4b0c-8d94-175379069062",
      external_id: "T1027.002",
    },
  },
  selectedEvents: [{ name: "mem_prot_alert", origin: "*" }],
  onEvent(e, ctx) {
    if (numberArg(e, "alert") === ALERT_MPROT_W_REM) ctx.detect();
  },
});
