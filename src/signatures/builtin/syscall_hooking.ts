/**
 * TRC-1030: an entry of the syscall table points outside the kernel's text (hooked_syscall): a
 * rootkit. hooked_syscall is a kprobe event; kernels without kprobes do not feed this signature.
 */
import { defineSignature } from "../signature.ts";
import { ROOTKIT } from "./mitre.ts";

export default defineSignature({
  metadata: {
    id: "TRC-1030",
    version: "1",
    name: "Syscall table hooking detected",
    eventName: "syscall_hooking",
    description:
      "Syscall table hooking detected. Syscalls (system calls) are the interface between user applications and the kernel. By hooking the syscall table an adversary gains control on certain system function, such as file writing and reading or other basic function performed by the operation system. The adversary may also hijack the execution flow and execute it's own code. Syscall table hooking is considered a malicious behavior that is performed by rootkits and may indicate that the host's kernel has been compromised. Hidden modules are marked as hidden symbol owners and indicate further malicious activity of an adversary.",
    properties: {
      Severity: 3,
      Category: "defense-evasion",
      ...ROOTKIT,
      Kubernetes_Technique: "",
    },
  },
  selectedEvents: [{ name: "hooked_syscall", origin: "*" }],
  onEvent(_e, ctx) {
    // the event itself is the finding: it is only emitted for a hooked entry
    ctx.detect();
  },
});
