/**
 * TRC-1026: the boot/runlevel scripts (rc.local, /etc/init.d, /etc/rc?.d, …) modified or
 * replaced, or update-rc.d run: persistence across reboots.
 */
import { basename, inPaths, stringArg, writtenPath } from "../event_args.ts";
import { defineSignature } from "../signature.ts";

const RCD_FILES = ["/etc/rc.local", "/etc/init.d/rc.local"];
/** Matched as path prefixes (so "/etc/rc.d" also covers "/etc/rc.d.bak"). */
const RCD_DIRS = [
  "/etc/rc1.d",
  "/etc/rc2.d",
  "/etc/rc3.d",
  "/etc/rc4.d",
  "/etc/rc5.d",
  "/etc/rc6.d",
  "/etc/rcs.d",
  "/etc/init.d",
  "/etc/rc.d/rc.local",
  "/etc/rc.d/init.d",
  "/etc/rc.d",
];
const RCD_COMMAND = "update-rc.d";

export default defineSignature({
  metadata: {
    id: "TRC-1026",
    version: "1",
    name: "Rcd modification detected",
    eventName: "rcd_modification",
    description:
      "The rcd files were modified. rcd files are scripts executed on boot and runlevel switch. Those scripts are responsible for service control in runlevel switch. Adversaries may add or modify rcd files in order to persist a reboot, thus maintaining malicious execution on the affected host.",
    properties: {
      Severity: 2,
      Category: "persistence",
      Technique: "RC Scripts",
      Kubernetes_Technique: "",
      id: "attack-pattern--dca670cf-eeec-438f-8185-fd959d9ef211",
      external_id: "T1037.004",
    },
  },
  selectedEvents: [
    { name: "security_file_open", origin: "*" },
    { name: "security_inode_rename", origin: "*" },
    { name: "sched_process_exec", origin: "*" },
  ],
  onEvent(e, ctx) {
    const hit = e.def.name === "sched_process_exec"
      ? basename(stringArg(e, "pathname")) === RCD_COMMAND
      : inPaths(writtenPath(e), RCD_FILES, RCD_DIRS);
    if (hit) ctx.detect();
  },
});
