/**
 * `-o option:parse-arguments`: raw numbers become the names Tracee prints (O_RDONLY|O_CLOEXEC,
 * AT_FDCWD, PROT_READ, AF_INET, SIGKILL, …). A parsed argument's type becomes "string", as in
 * Tracee's output.
 */
import type { EventArg, TraceeEvent } from "../decode/event.ts";
import { accessMode } from "../events/parse/access_mode.ts";
import { atFlags, dirfd } from "../events/parse/at_flags.ts";
import { capabilityName } from "../events/parse/capabilities.ts";
import { cloneFlags, unshareFlags } from "../events/parse/clone_flags.ts";
import { fileMode } from "../events/parse/file_mode.ts";
import { memProtAlert } from "../events/parse/mem_prot_alert.ts";
import { mmapFlags, mmapProt } from "../events/parse/mmap_flags.ts";
import { openFlags } from "../events/parse/open_flags.ts";
import { prctlOption } from "../events/parse/prctl_options.ts";
import { ptraceRequest } from "../events/parse/ptrace_requests.ts";
import { signalName } from "../events/parse/signals.ts";
import { socketDomain, socketProtocol, socketType } from "../events/parse/socket_args.ts";

/** Turns an argument's number into its name; `raw` gives the event's other raw arguments. */
type ArgParser = (value: number, raw: (name: string) => number) => string;

const socketArgs: Readonly<Record<string, ArgParser>> = {
  domain: socketDomain,
  type: socketType,
  protocol: (v, raw) => socketProtocol(raw("domain"), v),
};
const modeArg = { mode: fileMode };
const signalArg = { sig: signalName };

/** Parsers by event, then argument name. */
const BY_EVENT: Readonly<Record<string, Readonly<Record<string, ArgParser>>>> = {
  open: { flags: openFlags, mode: fileMode },
  openat: { flags: openFlags, mode: fileMode },
  creat: modeArg,
  mkdir: modeArg,
  mkdirat: modeArg,
  mknod: modeArg,
  mknodat: modeArg,
  chmod: modeArg,
  fchmod: modeArg,
  fchmodat: modeArg,
  fchmodat2: { mode: fileMode, flags: atFlags },
  access: { mode: accessMode },
  faccessat: { mode: accessMode },
  faccessat2: { mode: accessMode, flags: atFlags },
  newfstatat: { flags: atFlags },
  unlinkat: { flags: atFlags },
  linkat: { flags: atFlags },
  fchownat: { flags: atFlags },
  utimensat: { flags: atFlags },
  statx: { flags: atFlags },
  execveat: { flags: atFlags },
  mmap: { prot: mmapProt, flags: mmapFlags },
  mprotect: { prot: mmapProt },
  pkey_mprotect: { prot: mmapProt },
  socket: socketArgs,
  socketpair: socketArgs,
  ptrace: { request: ptraceRequest },
  prctl: { option: prctlOption },
  clone: { flags: cloneFlags },
  unshare: { flags: unshareFlags },
  setns: { nstype: unshareFlags },
  kill: signalArg,
  tkill: signalArg,
  tgkill: signalArg,
  rt_sigqueueinfo: signalArg,
  rt_tgsigqueueinfo: signalArg,
  pidfd_send_signal: signalArg,
  rt_sigaction: { signum: signalName },
  signal_generate: signalArg,
  signal_deliver: signalArg,
  cap_capable: { cap: capabilityName },
  sched_process_exec: { inode_mode: fileMode, stdin_type: fileMode },
  security_file_open: { flags: openFlags },
  security_socket_connect: { type: socketType },
  mem_prot_alert: { alert: memProtAlert, prot: mmapProt, prev_prot: mmapProt },
};

/** Parsers for an argument name in any event. */
const ANY_EVENT: Readonly<Record<string, ArgParser>> = {
  dirfd: dirfd,
  olddirfd: dirfd,
  newdirfd: dirfd,
};

/** Rewrites the event's parsable arguments in place. */
export function parseArguments(e: TraceeEvent): void {
  const byName = BY_EVENT[e.def.name];
  const args: readonly EventArg[] = e.args;
  const numbers = args.map((
    a,
  ) => (typeof a.value === "number" || typeof a.value === "bigint" ? Number(a.value) : 0));
  const raw = (name: string) => numbers[args.findIndex((a) => a.name === name)] ?? 0;
  args.forEach((arg, i) => {
    const parser = byName?.[arg.name] ?? ANY_EVENT[arg.name];
    if (!parser || (typeof arg.value !== "number" && typeof arg.value !== "bigint")) return;
    arg.value = parser(numbers[i]!, raw);
    arg.type = "string";
  });
}
