/**
 * Triggers that stay alive until the engine has handled their events. Tracee finds an event's
 * container from its process's /proc/<pid>/cgroup while it handles the event, so a trigger that
 * exited before then would read as the host (a container's real processes mostly outlive their
 * first events; a test's do not). A held trigger runs python code, marks the end of its work by
 * running /bin/true with a unique argv[0] (sched_process_exec, which the process tree always gets,
 * comes after the work's events in the ring buffer), and waits on stdin: detectWhile shows it
 * each event once handled, and it lets the trigger exit when it sees the marker.
 */
import type { TraceeEvent } from "../../src/decode/event.ts";
import { stringsArg } from "../../src/signatures/event_args.ts";
import { type DetectOptions, detectWhile, type Trigger } from "./detect.ts";

/** What a held trigger printed, and its pid on the host. */
export interface HeldResult {
  /** Host pid of the python process that ran the code. */
  readonly hostPid: number;
  /** Lines the code printed. */
  readonly out: string[];
}

/** A running held trigger. */
export interface HeldRun extends Trigger {
  /** Lets the trigger exit (idempotent). */
  release(): void;
  /** Waits for it to exit; rejects with its stderr when it failed. */
  result(): Promise<HeldResult>;
}

/** Options of heldPython. */
export interface HeldOptions {
  /** A command the python interpreter is run under (e.g. `unshare --mount --`). */
  readonly wrap?: readonly string[];
  /** Environment variables added to the trigger's. */
  readonly env?: Record<string, string>;
}

let interpreter: string | undefined;

/** The python3 interpreter itself (not a launcher script in front of it). */
export function python3(): string {
  if (interpreter === undefined) {
    const out = new Deno.Command("python3", {
      args: ["-c", "import sys; print(sys.executable)"],
      stdout: "piped",
    }).outputSync();
    interpreter = new TextDecoder().decode(out.stdout).trim();
  }
  return interpreter;
}

/** Runs `code` in a held python trigger; the pid it reports is the first process started. */
export function heldPython(code: string, opts: HeldOptions = {}): HeldRun {
  const marker = `tracee-held-${crypto.randomUUID().slice(0, 8)}`;
  const script = [
    "import os, sys",
    // /proc is the host's here (code may cover it later): its self is the host pid
    "print(os.readlink('/proc/self'), flush=True)",
    code,
    "sys.stdout.flush()",
    "marker = os.fork()",
    `if marker == 0: os.execv('/bin/true', ['${marker}'])`,
    "os.waitpid(marker, 0)",
    "sys.stdin.readline()",
  ].join("\n");
  const [cmd, ...args] = [...(opts.wrap ?? []), python3(), "-c", script];
  const child = new Deno.Command(cmd!, {
    args,
    env: opts.env,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stdin = child.stdin.getWriter();
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    stdin.write(new TextEncoder().encode("\n")).catch(() => {}).finally(() =>
      stdin.close().catch(() => {})
    );
  };
  let result: Promise<HeldResult> | undefined;
  return {
    pid: child.pid,
    seen(e: TraceeEvent) {
      if (e.def.name === "sched_process_exec" && stringsArg(e, "argv")[0] === marker) release();
    },
    release,
    result() {
      result ??= (async () => {
        const [status, stdout, stderr] = await Promise.all([
          child.status,
          new Response(child.stdout).text(),
          new Response(child.stderr).text(),
        ]);
        if (!status.success) {
          throw new Error(`held trigger failed (exit ${status.code}): ${stderr.trim()}`);
        }
        const [pid, ...out] = stdout.trimEnd().split("\n");
        return { hostPid: Number(pid), out };
      })();
      return result;
    },
  };
}

/** Runs python code on the host in a mount namespace of its own, as a held trigger. */
export function privateMountsPython(code: string): HeldRun {
  return heldPython(code, { wrap: ["unshare", "--mount", "--"] });
}

/** What detectHeld saw. */
export interface HeldDetected extends HeldResult {
  readonly findings: TraceeEvent[];
}

/**
 * detectWhile with a held trigger: selects `select`, starts the trigger, collects findings until
 * it has exited, and returns them with what the trigger reported. The trigger is released (and
 * waited for) whatever happens.
 */
export async function detectHeld(
  select: readonly string[],
  start: () => HeldRun,
  opts: DetectOptions = {},
): Promise<HeldDetected> {
  let run: HeldRun | undefined;
  try {
    const { findings } = await detectWhile(select, () => (run = start()), opts);
    return { findings, ...await run!.result() };
  } finally {
    run?.release();
    await run?.result().catch(() => {});
  }
}
