/**
 * The shared mechanism behind `-o option:parse-arguments`: turning a raw syscall argument into
 * the symbolic names of the flags it carries (a bitmask) or of the value it holds (an
 * enumeration). Every parser in this folder is a table plus one of these two functions.
 */

/**
 * A bitmask table: rows of (bits, name), tested in order. A row matches when all of its bits
 * are still set; its bits are then consumed, so a row naming several bits (O_SYNC = __O_SYNC |
 * O_DSYNC) must come before the rows naming its parts, which then no longer match.
 */
export type FlagTable = readonly (readonly [bigint, string])[];

/** An enumeration table: value → name, as a Map or a plain record keyed by the value. */
export type EnumTable = ReadonlyMap<number, string> | Readonly<Record<number, string>>;

/** Width of the widest syscall argument (a register): flags are read as this many bits. */
const REGISTER_BITS = 64;

/** Radix of the literal that prints bits no table row names. */
const HEX = 16;

/**
 * A raw argument as an unsigned 64-bit bit set: a negative number or bigint is read as its
 * two's complement, as the register holding it would be. Returns undefined for a number that is
 * not an integer (NaN, Infinity, 1.5), which has no bits to name.
 */
export function toFlagBits(value: number | bigint): bigint | undefined {
  if (typeof value === "number" && !Number.isInteger(value)) return undefined;
  return BigInt.asUintN(REGISTER_BITS, BigInt(value));
}

/**
 * Names of the flags set in `value`, joined with `|`, in table order (see {@link FlagTable} for
 * how overlapping rows are resolved). Bits no row names are appended as one hex literal, such as
 * `0x40000000`. A value of 0 gives `"0"`: callers with a name for "no flags" (PROT_NONE, F_OK)
 * handle it before calling. A non-integer number is returned as `String(value)`.
 */
export function bitmaskNames(value: number | bigint, table: FlagTable): string {
  const bits = toFlagBits(value);
  if (bits === undefined) return String(value);
  if (bits === 0n) return "0";
  const names: string[] = [];
  let rest = bits;
  for (const [mask, name] of table) {
    if (mask !== 0n && (rest & mask) === mask) {
      names.push(name);
      rest &= ~mask;
    }
  }
  if (rest !== 0n) names.push(`0x${rest.toString(HEX)}`);
  return names.join("|");
}

/** Whether an enumeration table is a Map (else it is a plain record). */
function isMap(table: EnumTable): table is ReadonlyMap<number, string> {
  return table instanceof Map;
}

/** The name of `value` in `table`, or the value in decimal when the table has no name for it. */
export function enumName(value: number, table: EnumTable): string {
  const name = isMap(table)
    ? table.get(value)
    : Object.hasOwn(table, value)
    ? table[value]
    : undefined;
  return name ?? String(value);
}
