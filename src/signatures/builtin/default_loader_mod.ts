/** TRC-1012: the dynamic loader (ld*.so* under /lib or /usr/lib) opened for writing or replaced. */
import { writtenPath } from "../event_args.ts";
import { defineSignature } from "../signature.ts";
import { HIJACK_EXECUTION_FLOW } from "./mitre.ts";

/** The loader and its variants: /lib64/ld-linux-x86-64.so.2, /usr/lib/…/ld-musl-x86_64.so.1, … */
const DYNAMIC_LOADER = /^\/(lib|usr\/lib).*\/ld.*\.so[^/]*/;

export default defineSignature({
  metadata: {
    id: "TRC-1012",
    version: "1",
    name: "Default dynamic loader modification detected",
    eventName: "default_loader_mod",
    description:
      "The default dynamic loader has been modified. The dynamic loader is an executable file loaded to process memory and run before the executable to load dynamic libraries to the process. An attacker might use this technique to hijack the execution context of each new process and bypass defenses.",
    properties: {
      Severity: 3,
      Category: "defense-evasion",
      ...HIJACK_EXECUTION_FLOW,
      Kubernetes_Technique: "",
    },
  },
  selectedEvents: [
    { name: "security_file_open", origin: "*" },
    { name: "security_inode_rename", origin: "*" },
  ],
  onEvent(e, ctx) {
    if (DYNAMIC_LOADER.test(writtenPath(e))) ctx.detect();
  },
});
