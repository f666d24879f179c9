/**
 * TRC-1017: a kernel module loaded: the init_module syscall, or the kernel reading a module's
 * file (security_kernel_read_file, which finit_module gives; a kprobe event, so kernels without
 * kprobes feed this signature init_module only).
 */
import { numberArg } from "../event_args.ts";
import { defineSignature } from "../signature.ts";

/**
 * enum kernel_read_file_id's READING_MODULE, the kernel's number since 5.9.3 (kernels 4.18 to
 * 5.9.2 numbered the reasons differently).
 */
const READING_MODULE = 2;

export default defineSignature({
  metadata: {
    id: "TRC-1017",
    version: "1",
    name: "Kernel module loading detected",
    eventName: "kernel_module_loading",
    description:
      "Loading of a kernel module was detected. Kernel modules are binaries meant to run in the kernel. Adversaries may try and load kernel modules to extend their capabilities and avoid detection by running in the kernel and not user space.",
    properties: {
      Severity: 2,
      Category: "persistence",
      Technique: "Kernel Modules and Extensions",
      Kubernetes_Technique: "",
      id: "attack-pattern--a1b52199-c8c5-438a-9ded-656f1d0888c6",
      external_id: "T1547.006",
    },
  },
  selectedEvents: [
    { name: "init_module", origin: "*" },
    { name: "security_kernel_read_file", origin: "*" },
  ],
  onEvent(e, ctx) {
    if (e.def.name === "init_module" || numberArg(e, "type") === READING_MODULE) ctx.detect();
  },
});
