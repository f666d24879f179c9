/**
 * What tracee costs on a busy host, and whether a real reader keeps up:
 *  - a storm of a syscall tracee does not select, untraced vs with tracee on `-e execve`,
 *    `-e openat,connect` and the default set, each as tracee chooses its syscall hooks and with
 *    the raw tracepoints forced (TRACEE_SYSCALL_HOOKS=raw: every syscall runs the program);
 *  - 1 M getppid/s offered for 10 s, json to a pipe another process reads (wc -l) and to a file
 *    on disk, three runs each: received, lost, and the lines the reader got;
 *  - resident memory idle and at that rate;
 *  - the in-kernel cost per event (BPF runtime stats) of getppid, openat and execve;
 *  - with BENCH_PEER=/path/to/another/tracee, the unselected storm through that tool too.
 */
import { join } from "node:path";
import {
  Child,
  fmt,
  loadgen,
  LOADGEN_COMM,
  OUT,
  pct,
  QUICK,
  row,
  run,
  sleep,
  STORM_SECONDS,
  TRACEE,
  traceeToWc,
  withTracee,
} from "./lib.ts";

/** Resident memory of a process (MiB): total, and the part that is the ring buffer's mapping. */
function rss(pid: number): { total: number; ring: number } {
  let total = 0, ring = 0, name = "";
  for (const line of Deno.readTextFileSync(`/proc/${pid}/smaps`).split("\n")) {
    const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) name = head[1]!;
    const m = /^Rss:\s+(\d+) kB/.exec(line);
    if (!m) continue;
    total += Number(m[1]);
    if (name.startsWith("anon_inode:bpf-map")) ring += Number(m[1]);
  }
  return { total: total / 1024, ring: ring / 1024 };
}

/** The getppid storm's rate with `cmd` (a tracer, args) attached, or untraced (undefined). */
async function stormWith(
  cmd: { bin: string; args: string[]; env?: Record<string, string>; ready: RegExp } | undefined,
): Promise<number> {
  if (!cmd) return (await loadgen(["-d", String(STORM_SECONDS)])).rate;
  const t = new Child(cmd.bin, cmd.args, { stdout: "null", env: cmd.env });
  await t.waitLine("err", (l) => cmd.ready.test(l), 60000);
  await sleep(300);
  const r = (await loadgen(["-d", String(STORM_SECONDS)])).rate;
  await t.stop();
  return r;
}

/** One run of 1 M getppid/s for `seconds`, json to a pipe read by wc -l or to a file. */
async function toReader(
  where: "pipe" | "file",
  seconds: number,
): Promise<Record<string, string | number>> {
  const args = ["--log", "debug", "-e", "getppid", "-o", "json", "--scope", `comm=${LOADGEN_COMM}`];
  const file = join(OUT, "events.json");
  const piped = where === "pipe" ? traceeToWc(args) : undefined;
  const t = piped?.tracee ?? new Child("sh", ["-c", `exec ${TRACEE} ${args.join(" ")} > ${file}`]);
  await t.waitLine("err", (l) => l.includes('"BPF: attached"'));
  const load = await loadgen(["-r", "1000000", "-d", String(seconds)]);
  await sleep(1000);
  const peak = /VmHWM:\s+(\d+) kB/.exec(Deno.readTextFileSync(`/proc/${t.proc.pid}/status`));
  await t.stop();
  const summary = await t.waitLine("err", (l) => l.startsWith("tracee: "));
  const r = /tracee: (\d+) events received, (\d+) lost in kernel, (\d+) lost in user space/.exec(
    summary,
  )!;
  let lines: number;
  if (piped) {
    lines = await piped.lines();
  } else {
    lines = Number(run("wc", ["-l", file]).split(" ")[0]);
    Deno.removeSync(file);
  }
  const received = Number(r[1]), lost = Number(r[2]) + Number(r[3]);
  return {
    offered_per_s: fmt(load.issued / load.seconds),
    received,
    lost,
    lines_read: lines,
    exact: received + Number(r[2]) === load.issued && lines === received ? "yes" : "NO",
    peak_rss_mib: Math.round(Number(peak?.[1] ?? 0) / 1024),
  };
}

/** The overhead scenarios. */
export async function overheadScenarios(step: number): Promise<void> {
  console.log(`${step}. a storm tracee does not select (getppid), untraced vs attached`);
  const ready = /"BPF: attached"/;
  const selections: [string, string[]][] = [
    ["-e execve", ["-e", "execve"]],
    ["-e openat,connect", ["-e", "openat,connect"]],
    ["default set", []],
  ];
  for (const [name, sel] of selections) {
    for (const hooks of ["auto", "raw"]) {
      // untraced right before each traced run: the ratio of the pair, on this noisy machine
      const base = await stormWith(undefined);
      const traced = await stormWith({
        bin: TRACEE,
        args: ["--log", "debug", ...sel],
        env: { TRACEE_SYSCALL_HOOKS: hooks },
        ready,
      });
      row(`unselected storm, ${name}, ${hooks === "auto" ? "as chosen" : "raw forced"}`, {
        untraced_per_s: fmt(base),
        traced_per_s: fmt(traced),
        vs_untraced: `${pct(traced, base)}%`,
        slowdown: `x${(base / traced).toFixed(2)}`,
      });
    }
  }
  const peer = Deno.env.get("BENCH_PEER");
  if (peer) {
    for (const [name, sel] of selections) {
      const base = await stormWith(undefined);
      const traced = await stormWith({
        bin: peer,
        args: sel.length ? ["--events", sel[1]!] : [],
        ready: /./,
      });
      row(`unselected storm, ${name}, BENCH_PEER`, {
        untraced_per_s: fmt(base),
        traced_per_s: fmt(traced),
        slowdown: `x${(base / traced).toFixed(2)}`,
      });
    }
  } else {
    row("BENCH_PEER", { skipped: "set BENCH_PEER=/path/to/another/tracee to compare" });
  }

  console.log(`${step + 1}. 1 M getppid/s offered, json to a pipe (wc -l) and to a file`);
  const seconds = QUICK ? 2 : 10;
  for (const where of ["pipe", "file"] as const) {
    for (let i = 1; i <= (QUICK ? 1 : 3); i++) {
      row(`1M/s to a ${where}, run ${i}`, await toReader(where, seconds));
    }
  }

  console.log(`${step + 2}. resident memory, idle`);
  const idle = new Child(TRACEE, ["--log", "debug", "-e", "getppid"], { stdout: "null" });
  await idle.waitLine("err", (l) => ready.test(l));
  await sleep(2000);
  const m = rss(idle.proc.pid);
  await idle.stop();
  row("rss idle", {
    rss_mib: Math.round(m.total),
    ring_buffer_mapping_mib: Math.round(m.ring),
    without_ring_mib: Math.round(m.total - m.ring),
  });

  console.log(`${step + 3}. in-kernel cost per event (BPF runtime stats)`);
  const scope = ["--scope", `comm=${LOADGEN_COMM}`];
  const cost = async (name: string, sel: string[], storm: () => ReturnType<typeof loadgen>) => {
    // BPF runtime stats: on for the measurement (another tool may have turned them off)
    run("sysctl", ["-q", "-w", "kernel.bpf_stats_enabled=1"]);
    const r = await withTracee(["-o", "json", ...sel, ...scope], storm, "pipe");
    row(`kernel cost ${name}`, {
      events: r.received,
      kernel_ns_per_event: Math.round(r.kernelNs / Math.max(1, r.received + r.lostKernel)),
    });
  };
  await cost("getppid", ["-e", "getppid"], () => loadgen(["-d", String(STORM_SECONDS)]));
  await cost("openat", ["-e", "openat"], () => loadgen(["-o", "-d", String(STORM_SECONDS)]));
  await cost("execve", ["-e", "execve"], () => loadgen(["-x", "-n", QUICK ? "200" : "2000"]));
}
