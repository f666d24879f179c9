/** FNV-1a 64, as bpf/filters.bpf.h computes it over a path or hostname (first 256 bytes). */

const OFFSET = 0xcbf29ce484222325n;
const PRIME = 0x100000001b3n;
const MASK = 0xffff_ffff_ffff_ffffn;
/** BINARY_HASH_LEN in bpf/types.h. */
export const HASH_LEN = 256;

/** The hash the kernel computes for this string. */
export function fnv1a(s: string): bigint {
  let h = OFFSET;
  const bytes = new TextEncoder().encode(s).subarray(0, HASH_LEN);
  for (const b of bytes) {
    if (b === 0) break;
    h = ((h ^ BigInt(b)) * PRIME) & MASK;
  }
  return h;
}
