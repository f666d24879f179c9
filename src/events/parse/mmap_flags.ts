/**
 * mmap(2)/mprotect(2) protection and mmap(2) flags, x86_64 values (asm-generic/mman-common.h,
 * asm-generic/mman.h, asm/mman.h, linux/mman.h).
 */

import { bitmaskNames, type FlagTable } from "./flag_names.ts";

/** PROT_NONE: no access, the protection with no bits set. */
const PROT_NONE = 0;

/** MAP_HUGETLB: with it, bits MAP_HUGE_SHIFT.. hold the huge page size instead of flags. */
const MAP_HUGETLB = 0x40000n;

/** MAP_UNINITIALIZED: bit 26, which is also the lowest bit of the huge page size field. */
const MAP_UNINITIALIZED = 0x4000000n;

/** MAP_HUGE_SHIFT: where the huge page size field starts. */
const MAP_HUGE_SHIFT = 26n;

/** MAP_HUGE_MASK: the width of the huge page size field (six bits, log2 of the size). */
const MAP_HUGE_MASK = 0x3fn;

/** The protection bits. */
export const MMAP_PROT: FlagTable = [
  [0x1n, "PROT_READ"],
  [0x2n, "PROT_WRITE"],
  [0x4n, "PROT_EXEC"],
  [0x8n, "PROT_SEM"],
  [0x01000000n, "PROT_GROWSDOWN"],
  [0x02000000n, "PROT_GROWSUP"],
];

/**
 * The mmap flags. The low four bits (MAP_TYPE) hold the mapping type: MAP_SHARED_VALIDATE (3)
 * comes before MAP_SHARED (1) and MAP_PRIVATE (2) so that it prints alone. MAP_DROPPABLE (8, a
 * type too) is from Linux 6.11.
 */
export const MMAP_FLAGS: FlagTable = [
  [0x03n, "MAP_SHARED_VALIDATE"],
  [0x01n, "MAP_SHARED"],
  [0x02n, "MAP_PRIVATE"],
  [0x08n, "MAP_DROPPABLE"],
  [0x10n, "MAP_FIXED"],
  [0x20n, "MAP_ANONYMOUS"],
  [0x40n, "MAP_32BIT"],
  [0x100n, "MAP_GROWSDOWN"],
  [0x800n, "MAP_DENYWRITE"],
  [0x1000n, "MAP_EXECUTABLE"],
  [0x2000n, "MAP_LOCKED"],
  [0x4000n, "MAP_NORESERVE"],
  [0x8000n, "MAP_POPULATE"],
  [0x10000n, "MAP_NONBLOCK"],
  [0x20000n, "MAP_STACK"],
  [MAP_HUGETLB, "MAP_HUGETLB"],
  [0x80000n, "MAP_SYNC"],
  [0x100000n, "MAP_FIXED_NOREPLACE"],
  [MAP_UNINITIALIZED, "MAP_UNINITIALIZED"],
];

/**
 * The huge page sizes linux/mman.h names: log2 of the size in the field at MAP_HUGE_SHIFT.
 * Each row is the whole field's value, compared for equality, not as a bit set.
 */
export const MAP_HUGE_SIZES: FlagTable = [
  [14n << MAP_HUGE_SHIFT, "MAP_HUGE_16KB"],
  [16n << MAP_HUGE_SHIFT, "MAP_HUGE_64KB"],
  [19n << MAP_HUGE_SHIFT, "MAP_HUGE_512KB"],
  [20n << MAP_HUGE_SHIFT, "MAP_HUGE_1MB"],
  [21n << MAP_HUGE_SHIFT, "MAP_HUGE_2MB"],
  [23n << MAP_HUGE_SHIFT, "MAP_HUGE_8MB"],
  [24n << MAP_HUGE_SHIFT, "MAP_HUGE_16MB"],
  [25n << MAP_HUGE_SHIFT, "MAP_HUGE_32MB"],
  [28n << MAP_HUGE_SHIFT, "MAP_HUGE_256MB"],
  [29n << MAP_HUGE_SHIFT, "MAP_HUGE_512MB"],
  [30n << MAP_HUGE_SHIFT, "MAP_HUGE_1GB"],
  [31n << MAP_HUGE_SHIFT, "MAP_HUGE_2GB"],
  [34n << MAP_HUGE_SHIFT, "MAP_HUGE_16GB"],
];

/** The flags a MAP_HUGETLB mapping can carry: bit 26 is then part of the page size. */
const HUGETLB_FLAGS: FlagTable = MMAP_FLAGS.filter(([bits]) => bits !== MAP_UNINITIALIZED);

/** mmap(2)/mprotect(2) protection, e.g. 5 → `PROT_READ|PROT_EXEC`; 0 → `PROT_NONE`. */
export function mmapProt(v: number): string {
  const prot = v >>> 0;
  return prot === PROT_NONE ? "PROT_NONE" : bitmaskNames(prot, MMAP_PROT);
}

/**
 * mmap(2) flags, e.g. 0x22 → `MAP_PRIVATE|MAP_ANONYMOUS`. With MAP_HUGETLB, a named page size
 * prints right after it (`MAP_HUGETLB|MAP_HUGE_2MB`); an unnamed one is left in the trailing hex
 * literal. Without MAP_HUGETLB, bit 26 is MAP_UNINITIALIZED. Only the low 32 bits count.
 */
export function mmapFlags(v: number): string {
  const flags = BigInt(v >>> 0);
  if ((flags & MAP_HUGETLB) === 0n) return bitmaskNames(flags, MMAP_FLAGS);
  const field = flags & (MAP_HUGE_MASK << MAP_HUGE_SHIFT);
  const size = MAP_HUGE_SIZES.find(([encoding]) => encoding === field);
  if (size === undefined) return bitmaskNames(flags, HUGETLB_FLAGS);
  const table = HUGETLB_FLAGS.flatMap((row) => row[0] === MAP_HUGETLB ? [row, size] : [row]);
  return bitmaskNames(flags, table);
}
