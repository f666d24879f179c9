/**
 * TRC-1020: file operations of /proc replaced (hooked_proc_fops names the hooked functions): a
 * rootkit hiding processes. hooked_proc_fops is a kprobe event; kernels without kprobes do not
 * feed this signature.
 */
import { argOf, hasHookedSymbols } from "../event_args.ts";
import { defineSignature } from "../signature.ts";
import { ROOTKIT } from "./mitre.ts";

export default defineSignature({
  metadata: {
    id: "TRC-1020",
    version: "1",
    name: "File operations hooking on proc filesystem detected",
    eventName: "proc_fops_hooking",
    description:
      "File operations hooking on proc filesystem detected. The proc filesystem is an interface for the running processes as files. This allows programs like `ps` and `top` to check what are the running processes. File operations are the functions defined on a file or directory. File operations hooking includes replacing the default function used to perform a basic task on files and directories like enumerating files. By hooking the file operations of /proc an adversary gains control on certain system function, such as file listing or other basic function performed by the operation system. The adversary may also hijack the execution flow and execute it's own code. File operation hooking is considered a malicious behavior that is performed by rootkits and may indicate that the host's kernel has been compromised. Hidden modules are marked as hidden symbol owners and indicate further malicious activity of an adversary.",
    properties: {
      Severity: 3,
      Category: "defense-evasion",
      ...ROOTKIT,
      Kubernetes_Technique: "",
    },
  },
  selectedEvents: [{ name: "hooked_proc_fops", origin: "host" }],
  onEvent(e, ctx) {
    const hooked = argOf(e, "hooked_fops_pointers");
    if (hasHookedSymbols(hooked)) ctx.detect({ "Hooked proc file operations": hooked });
  },
});
