/** What every benchmark scenario shares: the processes, the load generator, the consumers. */
import { join } from "node:path";
import { pump } from "../tests/helpers/tracee_process.ts";

export const ROOT = new URL("..", import.meta.url).pathname;
export const OUT = join(ROOT, ".output/bench");
export const TRACEE = join(ROOT, "dist/tracee");
export const OBJECT = join(ROOT, "dist/tracee.bpf.core.o");
export const LOADGEN_COMM = "tracee-loadgen";
export const MIX_COMM = "tracee-mixload";
export const GETPPID = 110;
export const QUICK = Deno.env.get("BENCH_QUICK") === "1";
export const STORM_SECONDS = QUICK ? 1 : 3;
export const RAMP = QUICK
  ? [250_000, 1_000_000]
  : [100_000, 250_000, 500_000, 1_000_000, 2_000_000, 3_000_000];

// ---- processes -------------------------------------------------------------------------------

const dec = new TextDecoder();

/** A child process whose output lines are collected as they come. */
export class Child {
  readonly proc: Deno.ChildProcess;
  readonly out: string[] = [];
  readonly err: string[] = [];
  readonly #pumps: Promise<void>[];

  /** Lines read from stdout when it is counted rather than kept (stdout: "count"). */
  lines = 0;

  constructor(
    cmd: string,
    args: string[],
    opts: {
      stdin?: boolean;
      stdout?: "piped" | "null" | "count";
      env?: Record<string, string>;
    } = {},
  ) {
    const stdout = opts.stdout ?? "piped";
    this.proc = new Deno.Command(cmd, {
      args,
      stdin: opts.stdin ? "piped" : "null",
      stdout: stdout === "null" ? "null" : "piped",
      stderr: "piped",
      env: { NO_COLOR: "1", ...opts.env },
    }).spawn();
    this.#pumps = [this.proc.stderr].map((s) => pump(s, this.err));
    if (stdout === "piped") this.#pumps.push(pump(this.proc.stdout, this.out));
    if (stdout === "count") this.#pumps.push(this.#count(this.proc.stdout));
  }

  /** Reads stdout as a pipe reader would, counting lines. */
  async #count(stream: ReadableStream<Uint8Array>): Promise<void> {
    for await (const chunk of stream) {
      for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) this.lines++;
    }
  }

  async waitLine(where: "out" | "err", pred: (l: string) => boolean, ms = 20000): Promise<string> {
    const lines = where === "out" ? this.out : this.err;
    const end = Date.now() + ms;
    while (Date.now() < end) {
      const hit = lines.find(pred);
      if (hit !== undefined) return hit;
      await sleep(20);
    }
    throw new Error(
      `Cannot benchmark: timed out waiting for output; stderr: ${this.err.slice(-5).join(" | ")}`,
    );
  }

  async stop(signal: Deno.Signal = "SIGINT"): Promise<void> {
    try {
      this.proc.kill(signal);
    } catch {
      // gone already
    }
    await this.done();
  }

  async done(): Promise<Deno.CommandStatus> {
    const st = await this.proc.status;
    await Promise.all(this.#pumps);
    return st;
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function run(cmd: string, args: string[]): string {
  const r = new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).outputSync();
  if (!r.success) {
    throw new Error(`Cannot benchmark: ${cmd} ${args.join(" ")} failed: ${dec.decode(r.stderr)}`);
  }
  return dec.decode(r.stdout);
}

/** CPU seconds a process has used (user + system). */
export function cpuSeconds(pid: number): number {
  const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(f[11]) + Number(f[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

/** Peak resident memory of a process, in MiB. */
export function peakRssMiB(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(Deno.readTextFileSync(`/proc/${pid}/status`));
  return m ? Number(m[1]) / 1024 : 0;
}

// ---- the load generator -------------------------------------------------------------------

export interface Load {
  issued: number;
  seconds: number;
  rate: number;
  pid: number;
}

/** Runs the load generator; `attach` runs once it is ready (knowing its pid), before the storm. */
export async function loadgen(
  args: string[],
  attach: (pid: number) => Promise<void> = async () => {},
): Promise<Load> {
  const c = new Child(join(OUT, "loadgen"), args, { stdin: true });
  const ready = await c.waitLine("out", (l) => l.startsWith("ready"));
  await attach(Number(ready.split(" ")[1]));
  const w = c.proc.stdin.getWriter();
  await w.write(new TextEncoder().encode("go\n"));
  await w.close();
  // its result comes when the storm ends: a fixed time (-d) or a count (allow two minutes)
  const d = args.indexOf("-d");
  const waitMs = (d >= 0 ? Number(args[d + 1]) * 1000 : 0) + 120000;
  const line = await c.waitLine("out", (l) => l.startsWith("{"), waitMs);
  await c.done();
  return JSON.parse(line);
}

// ---- consumers ----------------------------------------------------------------------------

export interface Consumed {
  /** Records read from the ring buffer. */
  received: number;
  lostKernel: number;
  lostUser: number;
  cpuPercent: number;
  rssMiB: number;
}

/** CPU share and peak memory of process `pid` while `storm` runs (plus half a second to drain). */
export async function measured(
  pid: number,
  storm: () => Promise<Load>,
): Promise<{ load: Load; cpuPercent: number; rssMiB: number }> {
  const cpu0 = cpuSeconds(pid);
  const t0 = performance.now();
  const load = await storm();
  await sleep(500);
  const cpuPercent = (100 * (cpuSeconds(pid) - cpu0)) / ((performance.now() - t0) / 1000);
  return { load, cpuPercent, rssMiB: peakRssMiB(pid) };
}

/**
 * Run time and run count of the eBPF programs process `pid` holds (BPF runtime stats, from the
 * fdinfo of its program descriptors; kernel.bpf_stats_enabled must be on).
 */
export function bpfRunStats(pid: number): { ns: number; runs: number } {
  let ns = 0, runs = 0;
  for (const fd of Deno.readDirSync(`/proc/${pid}/fdinfo`)) {
    let info: string;
    try {
      info = Deno.readTextFileSync(`/proc/${pid}/fdinfo/${fd.name}`);
    } catch {
      continue;
    }
    if (!info.includes("prog_id:")) continue;
    ns += Number(/run_time_ns:\s+(\d+)/.exec(info)?.[1] ?? 0);
    runs += Number(/run_cnt:\s+(\d+)/.exec(info)?.[1] ?? 0);
  }
  return { ns, runs };
}

/** Runs tracee with `args` around `storm` and reads its exit summary. */
export async function withTracee(
  args: string[],
  storm: () => Promise<Load>,
  out: "null" | "pipe" = "null",
): Promise<Consumed & { load: Load; kernelNs: number; printed: number }> {
  const t = new Child(TRACEE, ["--log", "debug", ...args], {
    stdout: out === "pipe" ? "count" : "null",
  });
  await t.waitLine("err", (l) => l.includes('"BPF: attached"'));
  const k0 = bpfRunStats(t.proc.pid);
  const m = await measured(t.proc.pid, storm);
  const k1 = bpfRunStats(t.proc.pid);
  await t.stop();
  const summary = await t.waitLine("err", (l) => l.startsWith("tracee: "));
  const r = /tracee: (\d+) events received, (\d+) lost in kernel, (\d+) lost in user space/.exec(
    summary,
  )!;
  return {
    ...m,
    received: Number(r[1]),
    lostKernel: Number(r[2]),
    lostUser: Number(r[3]),
    kernelNs: k1.ns - k0.ns,
    printed: t.lines,
  };
}

/** Runs the C consumer (comm scope, getppid) around `storm`. */
export async function withConsumer(storm: () => Promise<Load>): Promise<Consumed & { load: Load }> {
  const c = new Child(join(OUT, "consumer"), [OBJECT, String(GETPPID), LOADGEN_COMM]);
  await c.waitLine("out", (l) => l === "ready");
  const m = await measured(c.proc.pid, storm);
  await c.stop();
  const r = JSON.parse(await c.waitLine("out", (l) => l.startsWith("{")));
  return {
    ...m,
    received: r.received,
    lostKernel: r.lost_ring + r.lost_stash + r.lost_stash_exit + r.lost_stash_orphan,
    lostUser: 0,
  };
}

/** issued = received + lost (kernel): every syscall accounted for. */
export function checkAccounting(name: string, issued: number, c: Consumed): string {
  const accounted = c.received + c.lostKernel;
  return accounted === issued
    ? "exact"
    : `MISMATCH ${name}: issued ${issued} != received ${c.received} + lost ${c.lostKernel}`;
}

export interface Row {
  scenario: string;
  figures: Record<string, number | string>;
}

export const rows: Row[] = [];
export const row = (scenario: string, figures: Record<string, number | string>) => {
  rows.push({ scenario, figures });
  console.log(`  ${scenario}: ${Object.entries(figures).map(([k, v]) => `${k}=${v}`).join(" ")}`);
};

/**
 * Tracee with `args`, its json going to a pipe that `wc -l` reads (another process, as a user's
 * `tracee | wc -l`): `lines()` waits for the reader and returns its count. stderr is kept.
 */
export function traceeToWc(args: string[]): { tracee: Child; lines: () => Promise<number> } {
  const fifo = join(OUT, "events.fifo");
  Deno.mkdirSync(OUT, { recursive: true });
  try {
    Deno.removeSync(fifo);
  } catch {
    // none yet
  }
  run("mkfifo", [fifo]);
  const wc = new Child("sh", ["-c", `exec wc -l < ${fifo}`]);
  const tracee = new Child("sh", ["-c", `exec ${TRACEE} ${args.join(" ")} > ${fifo}`]);
  return {
    tracee,
    lines: async () => {
      await wc.done();
      Deno.removeSync(fifo);
      return Number(wc.out[0]);
    },
  };
}

/** Where a run's results go: bench/results/<date>-<commit>, and that commit. */
export function resultsBase(): { base: string; commit: string } {
  const dir = join(ROOT, "bench/results");
  Deno.mkdirSync(dir, { recursive: true });
  let commit = "unknown";
  try {
    commit = run("git", ["-C", ROOT, "describe", "--tags", "--always", "--dirty"]).trim();
  } catch {
    // not a git checkout
  }
  const stamp = new Date().toISOString().replace(/[:]/g, "-").replace(/\..*/, "");
  return { base: join(dir, `${stamp}-${commit}`), commit };
}

export function build(): void {
  Deno.mkdirSync(OUT, { recursive: true });
  run("cc", ["-O2", "-o", join(OUT, "loadgen"), join(ROOT, "bench/loadgen.c"), "-lpthread"]);
  run("cc", ["-O2", "-o", join(OUT, "consumer"), join(ROOT, "bench/consumer.c"), "-lbpf"]);
}

export const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
export const pct = (a: number, b: number) => (b === 0 ? 0 : Math.round((1000 * a) / b) / 10);
