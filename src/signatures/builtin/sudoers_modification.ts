/** TRC-1028: the sudoers file (or a file in sudoers.d) opened for writing or replaced. */
import { inPaths, writtenPath } from "../event_args.ts";
import { defineSignature } from "../signature.ts";

const SUDOERS_FILES = ["/etc/sudoers", "/private/etc/sudoers"];
const SUDOERS_DIRS = ["/etc/sudoers.d/", "/private/etc/sudoers.d/"];

export default defineSignature({
  metadata: {
    id: "TRC-1028",
    version: "1",
    name: "Sudoers file modification detected",
    eventName: "sudoers_modification",
    description:
      "The sudoers file was modified. The sudoers file is a configuration file which controls the permissions and options of the sudo feature. Adversaries may alter the sudoers file to elevate privileges, execute commands as other users or spawn processes with higher privileges.",
    properties: {
      Severity: 2,
      Category: "privilege-escalation",
      Technique: "Sudo and Sudo Caching",
      Kubernetes_Technique: "",
      id: "attack-pattern--1365fe3b-0f50-455d-b4da-266ce31c23b0",
      external_id: "T1548.003",
    },
  },
  selectedEvents: [
    { name: "security_file_open", origin: "*" },
    { name: "security_inode_rename", origin: "*" },
  ],
  onEvent(e, ctx) {
    if (inPaths(writtenPath(e), SUDOERS_FILES, SUDOERS_DIRS)) ctx.detect();
  },
});
