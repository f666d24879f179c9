/**
 * TRC-1031: the magic SysRq setting or trigger opened for writing from a container (reboot the
 * host, dump its tasks to the kernel log).
 */
import { writtenPath } from "../event_args.ts";
import { defineSignature } from "../signature.ts";
import { ESCAPE_TO_HOST } from "./mitre.ts";

const SYSRQ_FILES = ["/proc/sys/kernel/sysrq", "/proc/sysrq-trigger"];

export default defineSignature({
  metadata: {
    id: "TRC-1031",
    version: "1",
    name: "System request key configuration modification",
    eventName: "system_request_key_mod",
    description:
      "An attempt to modify and activate the System Request Key configuration file was detected. The system request key allows immediate input to the kernel through simple key combinations. Adversaries may use this feature to immediately shut down or restart a system. With read access to kernel logs, host related information such as listing tasks and CPU registers may be disclosed and could be used for container escape.",
    properties: {
      Severity: 3,
      Category: "privilege-escalation",
      ...ESCAPE_TO_HOST,
      Kubernetes_Technique: "",
    },
  },
  selectedEvents: [{ name: "security_file_open", origin: "container" }],
  onEvent(e, ctx) {
    if (SYSRQ_FILES.includes(writtenPath(e))) ctx.detect();
  },
});
