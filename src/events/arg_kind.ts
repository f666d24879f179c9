/**
 * How the kernel encodes one argument in a record's payload. The numeric values are part of the
 * kernel/user contract: tools/gen_header.ts writes them to bpf/events.gen.h as `enum arg_kind`.
 *
 * Encodings (little endian):
 * - scalar kinds (S32..PTR): 8 bytes, the raw register value;
 * - STR, KSTR, AT_PATH, BUF, SOCKADDR*, TIMESPEC, INT_ARR2, STR_REGION: u32 length + bytes;
 * - STR_ARR: u32 count, then count × (u32 length + bytes).
 * Strings carry their terminating NUL in the length.
 */
export const ArgKind = {
  NONE: 0,
  /** int, pid_t, key_t, …: low 32 bits, signed. */
  S32: 1,
  /** unsigned int, uid_t, umode_t, …: low 32 bits, unsigned. */
  U32: 2,
  /** long, off_t, loff_t, …: 64 bits, signed. */
  S64: 3,
  /** unsigned long, size_t, u64, …: 64 bits, unsigned. */
  U64: 4,
  /** Any other pointer: printed as hex. */
  PTR: 5,
  /** `const char *` in user memory. */
  STR: 6,
  /** `const char *const *` in user memory (argv, envp). */
  STR_ARR: 7,
  /** `struct sockaddr *` with its length in the argument named by aux. */
  SOCKADDR: 8,
  /** `struct sockaddr *` with its length behind the pointer argument named by aux. */
  SOCKADDR_LENPTR: 9,
  /** `int[2]` in user memory (pipe fds, socketpair). */
  INT_ARR2: 10,
  /** `struct timespec *` in user memory. */
  TIMESPEC: 11,
  /** A data buffer in user memory, its length in the argument named by aux or the return value. */
  BUF: 12,
  /** A string in kernel memory (non-syscall events). */
  KSTR: 13,
  /** NUL-separated strings in one region (a process's argv/env area), decoded as a string array. */
  STR_REGION: 14,
  /** bool: 8 bytes, 0 or 1. */
  BOOL: 15,
  /**
   * A path the kernel joined from a directory's resolved path and a name as the process wrote
   * it (no lookup): decoded as a string with "." and ".." folded.
   */
  AT_PATH: 16,
} as const;

/** One of the ArgKind values. */
export type ArgKind = typeof ArgKind[keyof typeof ArgKind];

/** The C enumerator name of each kind, for bpf/events.gen.h. */
export function argKindCName(kind: ArgKind): string {
  const entry = Object.entries(ArgKind).find(([, v]) => v === kind);
  if (!entry) throw new Error(`Cannot name argument kind ${kind}: not an ArgKind`);
  return `ARG_${entry[0]}`;
}

/** Kinds whose payload is a fixed 8-byte value. */
export function isScalarKind(kind: ArgKind): boolean {
  return (kind >= ArgKind.S32 && kind <= ArgKind.PTR) || kind === ArgKind.BOOL;
}
