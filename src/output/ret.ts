/** Return values as option:parse-arguments shows them: a syscall's -errno as its name. */
import { ERRNO_NAMES } from "../../ffi/errno.ts";
import type { TraceeEvent } from "../decode/event.ts";

/** Largest errno a syscall returns (include/linux/err.h MAX_ERRNO). */
const MAX_ERRNO = 4095;

/** The errno name of a syscall event's negative return value, or undefined. */
export function errnoOfReturn(e: TraceeEvent): string | undefined {
  if (!e.def.syscall || e.returnValue >= 0 || e.returnValue < -MAX_ERRNO) return undefined;
  return ERRNO_NAMES[-e.returnValue] ?? `E${-e.returnValue}`;
}
