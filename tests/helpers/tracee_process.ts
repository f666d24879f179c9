/** Runs dist/tracee as a user would and collects what it prints. */
import { TRACEE_BIN } from "./kernel.ts";

/** A running tracee. */
export class TraceeProcess {
  readonly #child: Deno.ChildProcess;
  readonly stdoutLines: string[] = [];
  readonly stderrLines: string[] = [];
  readonly #done: Promise<Deno.CommandStatus>;
  readonly #pumps: Promise<void>[];

  constructor(args: string[], env: Record<string, string> = {}, bin = TRACEE_BIN) {
    this.#child = new Deno.Command(bin, {
      args,
      env,
      stdout: "piped",
      stderr: "piped",
      stdin: "null",
    }).spawn();
    this.#pumps = [
      pump(this.#child.stdout, this.stdoutLines),
      pump(this.#child.stderr, this.stderrLines),
    ];
    this.#done = this.#child.status;
  }

  /** Waits until a line of stdout/stderr satisfies `pred`; throws after `ms`. */
  async waitFor(
    where: "stdout" | "stderr",
    pred: (line: string) => boolean,
    ms = 15000,
  ): Promise<string> {
    const lines = where === "stdout" ? this.stdoutLines : this.stderrLines;
    const end = Date.now() + ms;
    while (Date.now() < end) {
      const hit = lines.find(pred);
      if (hit !== undefined) return hit;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(
      `Timed out waiting on ${where}; stderr:\n${this.stderrLines.slice(-10).join("\n")}`,
    );
  }

  /** Waits until tracee has attached its programs (needs --log debug). */
  ready(): Promise<string> {
    return this.waitFor("stderr", (l) => l.includes('"msg":"BPF: attached"'));
  }

  /** Sends `signal` and waits for exit. */
  async stop(signal: Deno.Signal = "SIGINT"): Promise<Deno.CommandStatus> {
    try {
      this.#child.kill(signal);
    } catch {
      // already gone
    }
    return await this.wait();
  }

  async wait(): Promise<Deno.CommandStatus> {
    const st = await this.#done;
    await Promise.all(this.#pumps);
    return st;
  }

  /** stdout lines parsed as JSON events (non-JSON lines skipped). */
  jsonEvents(): Record<string, unknown>[] {
    return this.stdoutLines.filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
  }
}

async function pump(stream: ReadableStream<Uint8Array>, into: string[]): Promise<void> {
  let rest = "";
  const dec = new TextDecoder();
  for await (const chunk of stream) {
    rest += dec.decode(chunk, { stream: true });
    const parts = rest.split("\n");
    rest = parts.pop()!;
    into.push(...parts);
  }
  if (rest) into.push(rest);
}

/** Runs tracee to completion (for commands that exit on their own). */
export function runTracee(
  args: string[],
  env: Record<string, string> = {},
  opts: { noCaps?: boolean } = {},
) {
  // Root with an empty bounding and inheritable set execs with no capabilities at all.
  const cmd = opts.noCaps
    ? new Deno.Command("setpriv", {
      args: ["--bounding-set=-all", "--inh-caps=-all", TRACEE_BIN, ...args],
      env,
      stdout: "piped",
      stderr: "piped",
    })
    : new Deno.Command(TRACEE_BIN, { args, env, stdout: "piped", stderr: "piped" });
  const out = cmd.outputSync();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}
