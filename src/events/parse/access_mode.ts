/** access(2)/faccessat(2) modes (unistd.h). */

import { bitmaskNames, type FlagTable } from "./flag_names.ts";

/** F_OK: test for existence only, the mode with no bits set. */
const F_OK = 0;

/** The permission tests, in the order they are conventionally written. */
export const ACCESS_MODES: FlagTable = [
  [4n, "R_OK"],
  [2n, "W_OK"],
  [1n, "X_OK"],
];

/** An access mode: 0 → `F_OK`, else e.g. 6 → `R_OK|W_OK`. Only the low 32 bits count. */
export function accessMode(v: number): string {
  const mode = v >>> 0;
  return mode === F_OK ? "F_OK" : bitmaskNames(mode, ACCESS_MODES);
}
