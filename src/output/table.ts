/** The table output (`--output table`), columns as Tracee prints them. */
import type { TraceeEvent } from "../decode/event.ts";
import { type EpochClock, type EpochTime, tableTime } from "./clock.ts";
import { escapeControl } from "./escape.ts";
import { errnoOfReturn } from "./ret.ts";
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

/**
 * Container columns, as Tracee adds them when a policy scopes containers: "ids" adds
 * CONTAINER_ID (its first 12 digits), "enriched" IMAGE too (its first 16 characters).
 */
export type ContainerColumns = "none" | "ids" | "enriched";

/** The container columns' header cells and each row's cells. */
function containerHeader(mode: ContainerColumns): string {
  if (mode === "none") return "";
  return "CONTAINER_ID  " + (mode === "enriched" ? "IMAGE".padEnd(16) + " " : "");
}

function containerCells(e: TraceeEvent, mode: ContainerColumns): string {
  if (mode === "none") return "";
  const c = e.container;
  const id = (c?.id ?? "").slice(0, 12).padEnd(13) + " ";
  return mode === "enriched"
    ? id + escapeControl((c?.image ?? "").slice(0, 16)).padEnd(16) + " "
    : id;
}

/** `ns/host` ids as Tracee's container mode prints them: each padded to 7. */
const nsHost = (ns: number, host: number) => `${String(ns).padEnd(7)}/${String(host).padEnd(7)}`;

/** The header of the table in container mode. */
export function containerTableHeader(mode: "ids" | "enriched"): string {
  return `${"TIME".padEnd(16)} ${containerHeader(mode)}${"UID".padEnd(6)} ${"COMM".padEnd(16)} ${
    "PID/host".padEnd(15)
  } ${"TID/host".padEnd(15)} ${"RET".padEnd(16)} ${"EVENT".padEnd(20)} ARGS`;
}

/** Prints events as table rows. */
export class TablePrinter implements Printer {
  readonly #t: EpochTime = { sec: 0, nsec: 0 };

  constructor(
    private readonly clock: EpochClock,
    private readonly ret: RetFormatter = plainRet,
    private readonly containers: ContainerColumns = "none",
  ) {}

  header(): string {
    return this.containers === "none" ? TABLE_HEADER : containerTableHeader(this.containers);
  }

  format(e: TraceeEvent): string {
    const time = tableTime(this.clock.toEpoch(e.tsHi, e.tsLo, this.#t));
    if (this.containers !== "none") {
      return `${time.padEnd(16)} ${containerCells(e, this.containers)}${
        String(e.userId).padEnd(6)
      } ${escapeControl(e.processName).padEnd(16)} ${nsHost(e.processId, e.hostProcessId)} ${
        nsHost(e.threadId, e.hostThreadId)
      } ${this.ret(e).padEnd(16)} ${e.def.name.padEnd(20)} ${tableArgs(e)}`;
    }
    return `${time.padEnd(16)} ${String(e.userId).padEnd(6)} ${
      escapeControl(e.processName).padEnd(16)
    } ${String(e.hostProcessId).padEnd(7)} ${String(e.hostThreadId).padEnd(7)} ${
      this.ret(e).padEnd(16)
    } ${e.def.name.padEnd(20)} ${tableArgs(e)}`;
  }
}

/** The RET column with option:parse-arguments: a syscall's -errno as its name. */
export const errnoRet: RetFormatter = (e) => errnoOfReturn(e) ?? String(e.returnValue);

/** The header of `--output table-verbose`. */
export const VERBOSE_HEADER =
  "TIME             MNT_NS       PID_NS       UID    COMM             PID/host      TID/host      PPID/host     RET              EVENT                ARGS";

const ids = (ns: number, host: number) => (ns === host ? String(host) : `${ns}/${host}`);

/** Table rows with namespaces and both namespace and host ids (`--output table-verbose`). */
export class VerboseTablePrinter implements Printer {
  readonly #t: EpochTime = { sec: 0, nsec: 0 };

  constructor(
    private readonly clock: EpochClock,
    private readonly ret: RetFormatter = plainRet,
    private readonly containers: ContainerColumns = "none",
  ) {}

  header(): string {
    return VERBOSE_HEADER.replace(
      "TIME             ",
      "TIME             " + containerHeader(this.containers),
    );
  }

  format(e: TraceeEvent): string {
    const time = tableTime(this.clock.toEpoch(e.tsHi, e.tsLo, this.#t));
    return `${time.padEnd(16)} ${containerCells(e, this.containers)}${
      String(e.mountNamespace).padEnd(12)
    } ${String(e.pidNamespace).padEnd(12)} ${String(e.userId).padEnd(6)} ${
      escapeControl(e.processName).padEnd(16)
    } ${ids(e.processId, e.hostProcessId).padEnd(13)} ${
      ids(e.threadId, e.hostThreadId).padEnd(13)
    } ${ids(e.parentProcessId, e.hostParentProcessId).padEnd(13)} ${this.ret(e).padEnd(16)} ${
      e.def.name.padEnd(20)
    } ${tableArgs(e)}`;
  }
}
