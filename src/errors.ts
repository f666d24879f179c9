/**
 * Errors tracee reports to its user. Each prints as one line; `exitCode` tells the CLI how to
 * exit (2: the user asked for something wrong or the host cannot run tracee; 1: runtime failure).
 */
export class TraceeError extends Error {
  constructor(message: string, readonly exitCode: 1 | 2 = 2, readonly hint?: string) {
    super(message);
    this.name = "TraceeError";
  }
}

/** Something the user typed (flag, event, filter) is wrong. */
export class UsageError extends TraceeError {
  constructor(message: string) {
    super(message, 2);
    this.name = "UsageError";
  }
}

/** The host lacks something tracee needs (privileges, libbpf, a kernel feature). */
export class NotSupportedError extends TraceeError {
  constructor(message: string, hint?: string) {
    super(message, 2, hint);
    this.name = "NotSupportedError";
  }
}

/** A file error in a few words, the way Go prints them ("no such file or directory"). */
export function fileErrorText(e: unknown): string {
  if (e instanceof Deno.errors.NotFound) return "no such file or directory";
  if (e instanceof Deno.errors.PermissionDenied) return "permission denied";
  if (e instanceof Deno.errors.IsADirectory) return "is a directory";
  return e instanceof Error ? e.message.replace(/ \(os error \d+\)/, "").split(":")[0]! : String(e);
}
