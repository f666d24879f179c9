/**
 * TRC-1016: a web server ran a shell. security_bprm_check carries the name of the process as it
 * was before the exec (the web server's), and the program being run.
 */
import { stringArg } from "../event_args.ts";
import { defineSignature } from "../signature.ts";

/** Shells, as the end of the program's path. */
const SHELLS = ["/ash", "/bash", "/csh", "/ksh", "/sh", "/tcsh", "/zsh", "/dash"];
/** Web servers, by process name (comm: at most 15 characters, hence "httpd-foregroun"). */
const WEB_SERVERS = new Set([
  "nginx",
  "httpd",
  "httpd-foregroun",
  "http-nio",
  "lighttpd",
  "apache",
  "apache2",
]);

export default defineSignature({
  metadata: {
    id: "TRC-1016",
    version: "1",
    name: "Web server spawned a shell",
    eventName: "illegitimate_shell",
    description:
      "A web-server program on your server spawned a shell program. Shell is the linux command-line program, web servers usually don't run shell programs, so this alert might indicate an adversary is exploiting a web server program to gain command execution on the server.",
    properties: {
      Severity: 2,
      Category: "initial-access",
      Technique: "Exploit Public-Facing Application",
      Kubernetes_Technique: "",
      id: "attack-pattern--3f886f2a-874f-4333-b794-aa6075009b1c",
      external_id: "T1190",
    },
  },
  selectedEvents: [{ name: "security_bprm_check", origin: "*" }],
  onEvent(e, ctx) {
    if (!WEB_SERVERS.has(e.processName)) return;
    const program = stringArg(e, "pathname");
    if (SHELLS.some((shell) => program.endsWith(shell))) ctx.detect();
  },
});
