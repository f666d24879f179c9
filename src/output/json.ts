/** The json output (`--output json`): one object per line with Tracee's field names. */
import type { TraceeEvent } from "../decode/event.ts";
import { eventById } from "../events/table.ts";
import { type EpochClock, epochNsString, type EpochTime } from "./clock.ts";
import type { PolicyNamer, Printer } from "./printer.ts";
import { errnoOfReturn } from "./ret.ts";
import { jsonValue } from "./values.ts";

const TWO_32 = 4294967296;

/** Prints events as JSON lines. */
export class JsonPrinter implements Printer {
  readonly #t: EpochTime = { sec: 0, nsec: 0 };

  constructor(
    private readonly clock: EpochClock,
    private readonly policies: PolicyNamer,
    /** With option:parse-arguments: add returnValueName (e.g. "ENOENT") to failed syscalls. */
    private readonly errnoNames = false,
  ) {}

  header(): undefined {
    return undefined;
  }

  #epoch(hi: number, lo: number): string {
    return epochNsString(this.clock.toEpoch(hi, lo, this.#t));
  }

  #errnoName(e: TraceeEvent): string {
    if (!this.errnoNames) return "";
    const name = errnoOfReturn(e);
    return name ? ',"returnValueName":"' + name + '"' : "";
  }

  format(e: TraceeEvent): string {
    const start = e.threadStartTime;
    const startHi = Math.floor(start / TWO_32);
    let args = "";
    for (let i = 0; i < e.args.length; i++) {
      const a = e.args[i]!;
      args += (i > 0 ? ',{"name":' : '{"name":') + JSON.stringify(a.name) + ',"type":' +
        JSON.stringify(a.type) + ',"value":' + jsonValue(a.value) + "}";
    }
    const syscall = e.syscall >= 0 ? eventById(e.syscall)?.name ?? String(e.syscall) : "";
    return '{"timestamp":' + this.#epoch(e.tsHi, e.tsLo) +
      ',"threadStartTime":' + this.#epoch(startHi, start - startHi * TWO_32) +
      ',"processorId":' + e.processorId +
      ',"processId":' + e.processId +
      ',"cgroupId":' + e.cgroupId +
      ',"threadId":' + e.threadId +
      ',"parentProcessId":' + e.parentProcessId +
      ',"hostProcessId":' + e.hostProcessId +
      ',"hostThreadId":' + e.hostThreadId +
      ',"hostParentProcessId":' + e.hostParentProcessId +
      ',"userId":' + e.userId +
      ',"mountNamespace":' + e.mountNamespace +
      ',"pidNamespace":' + e.pidNamespace +
      ',"processName":' + JSON.stringify(e.processName) +
      ',"eventId":"' + e.eventId + '"' +
      ',"eventName":"' + e.def.name + '"' +
      ',"matchedPolicies":' + JSON.stringify(this.policies(e.policiesLo, e.policiesHi)) +
      ',"argsNum":' + e.args.length +
      ',"returnValue":' + e.returnValue + this.#errnoName(e) +
      ',"syscall":"' + syscall + '"' +
      ',"args":[' + args + "]}";
  }
}
