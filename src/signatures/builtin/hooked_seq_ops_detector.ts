/**
 * DRV-003: network seq_ops functions (show/start/next/stop of tcp4/tcp6/udp/udp6/raw/raw6) made
 * to point elsewhere: a rootkit hiding connections. hooked_seq_ops names the hooked functions; it
 * is a kprobe event, so kernels without kprobes do not feed this signature.
 */
import { argOf, hasHookedSymbols } from "../event_args.ts";
import { defineSignature } from "../signature.ts";

export default defineSignature({
  metadata: {
    id: "DRV-003",
    version: "1.0.0",
    name: "Network Seq_ops Hooking Detected",
    eventName: "hooked_seq_ops_detector",
    description:
      "Network seq_ops function pointers have been modified to point to unexpected addresses, indicating potential network traffic hiding by a rootkit",
    properties: {
      Severity: 3,
      Category: "defense-evasion",
      Technique: "Rootkit",
      Kubernetes_Technique: "",
      id: "attack-pattern--0f20e3cb-245b-4a61-8a91-2d93f7cb0e9b",
      external_id: "T1014",
    },
  },
  selectedEvents: [{ name: "hooked_seq_ops", origin: "*" }],
  onEvent(e, ctx) {
    const hooked = argOf(e, "hooked_seq_ops");
    if (hasHookedSymbols(hooked)) ctx.detect({ hooked_seq_ops_detector: hooked });
  },
});
