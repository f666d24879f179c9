/**
 * DRV-003: network seq_ops functions (show/start/next/stop of tcp4/tcp6/udp/udp6/raw/raw6) made
 * to point elsewhere: a rootkit hiding connections. hooked_seq_ops names the hooked functions; it
 * is a kprobe event, so kernels without kprobes do not feed this signature.
 */
import { argOf, hasHookedSymbols } from "../event_args.ts";
import { defineSignature } from "../signature.ts";
import { ROOTKIT } from "./mitre.ts";

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
      ...ROOTKIT,
      Kubernetes_Technique: "",
    },
  },
  selectedEvents: [{ name: "hooked_seq_ops", origin: "*" }],
  onEvent(e, ctx) {
    const hooked = argOf(e, "hooked_seq_ops");
    if (hasHookedSymbols(hooked)) ctx.detect({ hooked_seq_ops_detector: hooked });
  },
});
