/**
 * tracee's logs: JSON lines on stderr, `{"level","ts","msg",...fields}`, the shape Tracee uses,
 * through @logtape/logtape. `--log debug|info|warn|error` picks the lowest level printed.
 */
import {
  configureSync,
  getLogger,
  type LogLevel,
  type LogRecord,
  resetSync,
} from "@logtape/logtape";
import type { SyncWriter } from "../output/writer.ts";

/** Log levels as the --log flag names them. */
export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export type TraceeLogLevel = typeof LOG_LEVELS[number];

const TO_LOGTAPE: Record<TraceeLogLevel, LogLevel> = {
  debug: "debug",
  info: "info",
  warn: "warning",
  error: "error",
};

const FROM_LOGTAPE: Partial<Record<LogLevel, string>> = {
  warning: "warn",
  fatal: "error",
  trace: "debug",
};

const encoder = new TextEncoder();

/** Renders one record as Tracee's JSON log line. */
export function formatLogLine(record: LogRecord): string {
  const msg = typeof record.rawMessage === "string" ? record.rawMessage : record.message.join("");
  const head = {
    level: FROM_LOGTAPE[record.level] ?? record.level,
    ts: (performance.timeOrigin + performance.now()) / 1000,
    msg,
  };
  return JSON.stringify({ ...head, ...record.properties }) + "\n";
}

/** Sends tracee's logs at `level` and above to `out` (stderr by default). */
export function setupLogging(level: TraceeLogLevel, out: SyncWriter = Deno.stderr): void {
  resetSync();
  configureSync({
    sinks: {
      stderr: (record: LogRecord) => void out.writeSync(encoder.encode(formatLogLine(record))),
    },
    loggers: [
      { category: ["tracee"], lowestLevel: TO_LOGTAPE[level], sinks: ["stderr"] },
      { category: ["logtape", "meta"], lowestLevel: "warning", sinks: [] },
    ],
  });
}

/** The logger of one part of tracee (e.g. "initialize", "osinfo"). */
export function logger(pkg: string): ReturnType<typeof getLogger> {
  return getLogger(["tracee", pkg]);
}
