/** clone(2), clone3(2), unshare(2) and setns(2) flags (linux/sched.h). */

import { bitmaskNames, type FlagTable, toFlagBits } from "./flag_names.ts";
import { signalName } from "./signals.ts";

/** CSIGNAL: clone(2)'s low byte is the signal sent to the parent when the child exits. */
const CSIGNAL = 0xffn;

/** The CLONE_* flags above the CSIGNAL byte; the last two only fit clone3's 64-bit flags. */
export const CLONE_FLAGS: FlagTable = [
  [0x00000100n, "CLONE_VM"],
  [0x00000200n, "CLONE_FS"],
  [0x00000400n, "CLONE_FILES"],
  [0x00000800n, "CLONE_SIGHAND"],
  [0x00001000n, "CLONE_PIDFD"],
  [0x00002000n, "CLONE_PTRACE"],
  [0x00004000n, "CLONE_VFORK"],
  [0x00008000n, "CLONE_PARENT"],
  [0x00010000n, "CLONE_THREAD"],
  [0x00020000n, "CLONE_NEWNS"],
  [0x00040000n, "CLONE_SYSVSEM"],
  [0x00080000n, "CLONE_SETTLS"],
  [0x00100000n, "CLONE_PARENT_SETTID"],
  [0x00200000n, "CLONE_CHILD_CLEARTID"],
  [0x00400000n, "CLONE_DETACHED"],
  [0x00800000n, "CLONE_UNTRACED"],
  [0x01000000n, "CLONE_CHILD_SETTID"],
  [0x02000000n, "CLONE_NEWCGROUP"],
  [0x04000000n, "CLONE_NEWUTS"],
  [0x08000000n, "CLONE_NEWIPC"],
  [0x10000000n, "CLONE_NEWUSER"],
  [0x20000000n, "CLONE_NEWPID"],
  [0x40000000n, "CLONE_NEWNET"],
  [0x80000000n, "CLONE_IO"],
  [0x100000000n, "CLONE_CLEAR_SIGHAND"],
  [0x200000000n, "CLONE_INTO_CGROUP"],
];

/**
 * The flags where no exit signal shares the low byte (unshare, setns, clone3's flags field):
 * CLONE_NEWTIME (0x80) first, then the CLONE_* flags.
 */
export const NAMESPACE_FLAGS: FlagTable = [[0x80n, "CLONE_NEWTIME"], ...CLONE_FLAGS];

/**
 * clone(2) flags: the CLONE_* names, then the exit signal of the low byte, if any, e.g. 0x1200011
 * → `CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD`. 0x80 there is a signal, never
 * CLONE_NEWTIME (clone(2) cannot request a time namespace).
 */
export function cloneFlags(v: number | bigint): string {
  const bits = toFlagBits(v);
  if (bits === undefined) return String(v);
  const flags = bits & ~CSIGNAL;
  const exitSignal = Number(bits & CSIGNAL);
  const names: string[] = [];
  if (flags !== 0n) names.push(bitmaskNames(flags, CLONE_FLAGS));
  if (exitSignal !== 0) names.push(signalName(exitSignal));
  return names.length === 0 ? "0" : names.join("|");
}

/**
 * unshare(2)/setns(2) flags, also right for clone3's flags field: the CLONE_* names with
 * CLONE_NEWTIME, no exit signal, e.g. 0x10000080 → `CLONE_NEWTIME|CLONE_NEWUSER`; 0 → `0`.
 */
export function unshareFlags(v: number | bigint): string {
  return bitmaskNames(v, NAMESPACE_FLAGS);
}
