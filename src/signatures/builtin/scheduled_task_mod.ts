/**
 * TRC-1027: the cron/at schedules (crontab files, /etc/cron.*, spool) modified or replaced, or a
 * scheduling command run: persistence.
 */
import { basename, inPaths, stringArg, writtenPath } from "../event_args.ts";
import { defineSignature } from "../signature.ts";

const CRON_FILES = ["/etc/crontab", "/etc/anacrontab", "/etc/cron.deny", "/etc/cron.allow"];
/**
 * Matched as path prefixes. "var/spool/anacron" lacks its leading slash as upstream has it, so
 * it matches no absolute path.
 */
const CRON_DIRS = [
  "/etc/cron.hourly",
  "/etc/cron.daily",
  "/etc/cron.weekly",
  "/etc/cron.monthly",
  "/etc/cron.d",
  "/var/spool/cron/crontabs",
  "var/spool/anacron",
];
const CRON_COMMANDS = new Set(["crontab", "at", "batch", "launchd"]);

export default defineSignature({
  metadata: {
    id: "TRC-1027",
    version: "1",
    name: "Scheduled tasks modification detected",
    eventName: "scheduled_task_mod",
    description:
      "The task scheduling functionality or files were modified. Crontab schedules task execution or enables task execution at boot time. Adversaries may add or modify scheduled tasks in order to persist a reboot, thus maintaining malicious execution on the affected host.",
    properties: {
      Severity: 2,
      Category: "persistence",
      Technique: "Cron",
      Kubernetes_Technique: "",
      id: "attack-pattern--2acf44aa-542f-4366-b4eb-55ef5747759c",
      external_id: "T1053.003",
    },
  },
  selectedEvents: [
    { name: "security_file_open", origin: "*" },
    { name: "security_inode_rename", origin: "*" },
    { name: "sched_process_exec", origin: "*" },
  ],
  onEvent(e, ctx) {
    const hit = e.def.name === "sched_process_exec"
      ? CRON_COMMANDS.has(basename(stringArg(e, "pathname")))
      : inPaths(writtenPath(e), CRON_FILES, CRON_DIRS);
    if (hit) ctx.detect();
  },
});
