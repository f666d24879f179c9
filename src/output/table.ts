/** The table output (`--output table`), columns as Tracee prints them. */
import type { TraceeEvent } from "../decode/event.ts";
import { type EpochClock, type EpochTime, tableTime } from "./clock.ts";
import { escapeControl } from "./escape.ts";
import type { Printer } from "./printer.ts";
import { tableValue } from "./values.ts";

/** The header line, exactly as Tracee prints it. */
export const TABLE_HEADER =
  "TIME             UID    COMM             PID     TID     RET              EVENT                ARGS";

/** Formats the event's arguments as `name: value, name: value`. */
export function tableArgs(e: TraceeEvent): string {
  let s = "";
  for (let i = 0; i < e.args.length; i++) {
    const a = e.args[i]!;
    if (i > 0) s += ", ";
    s += a.name + ": " + tableValue(a.value);
  }
  return s;
}

/** The value of the RET column: the return value, or its errno name when parsed. */
export type RetFormatter = (e: TraceeEvent) => string;

const plainRet: RetFormatter = (e) => String(e.returnValue);

/** Prints events as table rows. */
export class TablePrinter implements Printer {
  readonly #t: EpochTime = { sec: 0, nsec: 0 };

  constructor(private readonly clock: EpochClock, private readonly ret: RetFormatter = plainRet) {}

  header(): string {
    return TABLE_HEADER;
  }

  format(e: TraceeEvent): string {
    const time = tableTime(this.clock.toEpoch(e.tsHi, e.tsLo, this.#t));
    return `${time.padEnd(16)} ${String(e.userId).padEnd(6)} ${
      escapeControl(e.processName).padEnd(16)
    } ${String(e.hostProcessId).padEnd(7)} ${String(e.hostThreadId).padEnd(7)} ${
      this.ret(e).padEnd(16)
    } ${e.def.name.padEnd(20)} ${tableArgs(e)}`;
  }
}
