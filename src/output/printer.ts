import type { TraceeEvent } from "../decode/event.ts";

/** Turns events into output lines. */
export interface Printer {
  /** Printed once before the first event (a table header), or undefined. */
  header(): string | undefined;
  /** One event as one line, without the trailing newline. */
  format(e: TraceeEvent): string;
}

/** Names of the policies set in a matched-policies bitmap (low, high 32 bits). */
export type PolicyNamer = (lo: number, hi: number) => readonly string[];
