/** Runs dist/tracee as a user would and collects what it prints. */
import { bpfHeldBy, type HeldBpf, TRACEE_BIN } from "./kernel.ts";

/** A running tracee. */
export class TraceeProcess {
  readonly #child: Deno.ChildProcess;
  readonly stdoutLines: string[] = [];
  readonly stderrLines: string[] = [];
  readonly #done: Promise<Deno.CommandStatus>;
  readonly #pumps: Promise<void>[];

  /** Runs `wrap... dist/tracee args...` (wrap: e.g. hideBtf()). */
  constructor(args: string[], env: Record<string, string> = {}, wrap: string[] = []) {
    const argv = [...wrap, TRACEE_BIN, ...args];
    this.#child = new Deno.Command(argv[0]!, {
      args: argv.slice(1),
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

  /** The eBPF programs and links tracee held once attached (set by ready()). */
  held: HeldBpf = { progs: new Set(), links: new Set() };

  /** Waits until tracee has attached its programs (needs --log debug); notes what it holds. */
  async ready(): Promise<string> {
    const line = await this.waitFor("stderr", (l) => l.includes('"msg":"BPF: attached"'));
    this.held = bpfHeldBy(this.#child.pid);
    return line;
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

/** Splits a stream into lines, appending them to `into` as they come. */
export async function pump(stream: ReadableStream<Uint8Array>, into: string[]): Promise<void> {
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

/**
 * A command prefix running tracee in a private mount namespace where /sys/kernel/btf is an
 * empty tmpfs: the kernel as a user without BTF sees it.
 */
export function hideBtf(): string[] {
  return inMountNs('mount -t tmpfs none /sys/kernel/btf && exec "$@"');
}

/**
 * A command prefix running `script` (sh) in a private mount namespace, with the command that
 * follows the prefix as its arguments ("$@").
 */
export function inMountNs(script: string): string[] {
  return ["unshare", "-m", "--propagation", "private", "sh", "-c", script, "sh"];
}

/** Result of a tracee that exits on its own. */
export interface TraceeResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs tracee to completion (for commands that exit on their own). */
export function runTracee(
  args: string[],
  env: Record<string, string> = {},
  opts: { noCaps?: boolean; wrap?: string[] } = {},
): TraceeResult {
  // Root with an empty bounding and inheritable set execs with no capabilities at all.
  const wrap = opts.noCaps
    ? ["setpriv", "--bounding-set=-all", "--inh-caps=-all"]
    : opts.wrap ?? [];
  return runArgv([...wrap, TRACEE_BIN, ...args], env);
}

/** Runs argv to completion with `env` added to the environment. */
export function runArgv(argv: string[], env: Record<string, string> = {}): TraceeResult {
  const out = new Deno.Command(argv[0]!, {
    args: argv.slice(1),
    env,
    stdout: "piped",
    stderr: "piped",
  }).outputSync();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}
