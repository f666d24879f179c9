/**
 * TRC-107: a program run with LD_PRELOAD or LD_LIBRARY_PATH in its environment, or
 * /etc/ld.so.preload opened for writing or replaced (also inside a container's root: any path
 * ending in it).
 */
import { stringsArg, writtenPath } from "../event_args.ts";
import { defineSignature } from "../signature.ts";
import { HIJACK_EXECUTION_FLOW } from "./mitre.ts";

/** Variables that make the dynamic loader load other libraries first. */
const PRELOAD_VARIABLES = ["LD_PRELOAD", "LD_LIBRARY_PATH"];
/** The loader's system-wide preload list. */
const PRELOAD_FILE = "/etc/ld.so.preload";

export default defineSignature({
  metadata: {
    id: "TRC-107",
    version: "1",
    name: "LD_PRELOAD code injection detected",
    eventName: "ld_preload",
    description:
      "LD_PRELOAD usage was detected. LD_PRELOAD lets you load your library before any other library, allowing you to hook functions in a process. Adversaries may use this technique to change your applications' behavior or load their own programs.",
    properties: {
      Severity: 2,
      Category: "persistence",
      ...HIJACK_EXECUTION_FLOW,
      Kubernetes_Technique: "",
    },
  },
  selectedEvents: [
    { name: "sched_process_exec", origin: "*" },
    { name: "security_file_open", origin: "*" },
    { name: "security_inode_rename", origin: "*" },
  ],
  // the environment of sched_process_exec
  options: ["exec-env"],
  onEvent(e, ctx) {
    if (e.def.name === "sched_process_exec") {
      for (const entry of stringsArg(e, "env")) {
        const name = PRELOAD_VARIABLES.find((v) => entry.startsWith(`${v}=`));
        if (name) {
          ctx.detect({ [name]: entry });
          return;
        }
      }
      return;
    }
    if (writtenPath(e).endsWith(PRELOAD_FILE)) ctx.detect();
  },
});
