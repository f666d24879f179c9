/** Signal numbers, x86_64 numbering (asm/signal.h). */

import { enumName } from "./flag_names.ts";

/** SIGRTMIN: the kernel's first real-time signal (glibc reserves 32 and 33 for itself). */
const SIGRTMIN = 32;

/** SIGRTMAX: the last signal, _NSIG. */
const SIGRTMAX = 64;

/** The standard signals (SIGIOT and SIGPOLL are aliases of SIGABRT and SIGIO). */
export const SIGNALS: ReadonlyMap<number, string> = new Map([
  [1, "SIGHUP"],
  [2, "SIGINT"],
  [3, "SIGQUIT"],
  [4, "SIGILL"],
  [5, "SIGTRAP"],
  [6, "SIGABRT"],
  [7, "SIGBUS"],
  [8, "SIGFPE"],
  [9, "SIGKILL"],
  [10, "SIGUSR1"],
  [11, "SIGSEGV"],
  [12, "SIGUSR2"],
  [13, "SIGPIPE"],
  [14, "SIGALRM"],
  [15, "SIGTERM"],
  [16, "SIGSTKFLT"],
  [17, "SIGCHLD"],
  [18, "SIGCONT"],
  [19, "SIGSTOP"],
  [20, "SIGTSTP"],
  [21, "SIGTTIN"],
  [22, "SIGTTOU"],
  [23, "SIGURG"],
  [24, "SIGXCPU"],
  [25, "SIGXFSZ"],
  [26, "SIGVTALRM"],
  [27, "SIGPROF"],
  [28, "SIGWINCH"],
  [29, "SIGIO"],
  [30, "SIGPWR"],
  [31, "SIGSYS"],
]);

/**
 * A signal number: 9 → `SIGKILL`, 32 → `SIGRTMIN`, 36 → `SIGRTMIN+4`, up to 64; 0 (the "does
 * the process exist" probe of kill(2)) and anything else in decimal.
 */
export function signalName(v: number): string {
  if (v === SIGRTMIN) return "SIGRTMIN";
  if (v > SIGRTMIN && v <= SIGRTMAX) return `SIGRTMIN+${v - SIGRTMIN}`;
  return enumName(v, SIGNALS);
}
