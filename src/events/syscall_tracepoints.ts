/** The names of syscalls' tracepoints (syscalls:sys_enter_<name>), where they differ. */

/** tracefs names that differ from the syscall's name in the syscall table. */
export const TRACEPOINT_ALIASES: Readonly<Record<string, string>> = {
  newstat: "stat",
  newfstat: "fstat",
  newlstat: "lstat",
  newuname: "uname",
  sendfile64: "sendfile",
  umount: "umount2",
};

const BY_SYSCALL = new Map(Object.entries(TRACEPOINT_ALIASES).map(([tp, name]) => [name, tp]));

/** The tracepoint name part of a syscall (sys_enter_<this>, sys_exit_<this>). */
export function tracepointOf(syscall: string): string {
  return BY_SYSCALL.get(syscall) ?? syscall;
}
