/**
 * `make bench` (= `deno task bench`, after `make`): throughput, loss, overhead, memory and
 * start-up of tracee, side by side with a C libbpf consumer of the same object (the ceiling)
 * and bpftrace, every figure from this one run. Prints a table, writes
 * bench/results/<date>-<commit>.json and a plot of received vs offered rate (.svg).
 *
 * Scenarios: untraced storm; tracee (json to /dev/null); the C consumer; bpftrace; an offered
 * rate ramp for tracee and the C consumer; start-up time; all syscalls on a mixed workload; a
 * scope that matches nothing; an open storm traced as openat and as security_file_open (json to
 * a pipe another process reads), with the in-kernel cost per event from BPF runtime stats;
 * detections (bench/detections.ts); overhead on unselected syscalls, 1 M events/s to a pipe and a
 * file, memory and kernel cost per event (bench/overhead.ts); per-syscall vs raw syscall hooks by
 * selection size (bench/hooks.ts). Loss accounting is exact:
 * issued = received + lost. BENCH_QUICK=1 runs each scenario briefly (a smoke test).
 */
import {
  build,
  checkAccounting,
  Child,
  fmt,
  loadgen,
  LOADGEN_COMM,
  MIX_COMM,
  OBJECT,
  pct,
  RAMP,
  resultsBase,
  row,
  rows,
  run,
  sleep,
  STORM_SECONDS,
  TRACEE,
  withConsumer,
  withTracee,
} from "./lib.ts";
import { detectionScenarios } from "./detections.ts";
import { hooksScenarios } from "./hooks.ts";
import { overheadScenarios } from "./overhead.ts";

async function main(): Promise<void> {
  if (Deno.uid() !== 0) {
    console.error("Cannot benchmark: root is needed (sudo make bench)");
    Deno.exit(2);
  }
  for (const f of [TRACEE, OBJECT]) {
    try {
      Deno.statSync(f);
    } catch {
      console.error(`Cannot benchmark: ${f} is missing (run make first)`);
      Deno.exit(2);
    }
  }
  build();
  const statsWas = run("sysctl", ["-n", "kernel.bpf_stats_enabled"]).trim();
  run("sysctl", ["-q", "-w", "kernel.bpf_stats_enabled=1"]);
  try {
    await scenarios();
  } finally {
    run("sysctl", ["-q", "-w", `kernel.bpf_stats_enabled=${statsWas}`]);
  }
}

async function scenarios(): Promise<void> {
  const started = performance.now();
  const scope = ["--scope", `comm=${LOADGEN_COMM}`];
  const json = ["-e", "getppid", "-o", "json", ...scope];

  console.log("1. untraced storm");
  const base = await loadgen(["-d", String(STORM_SECONDS)]);
  row("untraced", { syscalls_per_s: fmt(base.rate) });

  const count = Math.round(base.rate * STORM_SECONDS * 0.5);
  console.log(`2. tracee --events getppid --output json > /dev/null (${fmt(count)} syscalls)`);
  const tr = await withTracee(json, () => loadgen(["-n", String(count)]));
  row("tracee", {
    events_per_s: fmt(tr.received / tr.load.seconds),
    received: tr.received,
    lost_kernel: tr.lostKernel,
    lost_user: tr.lostUser,
    cpu_percent: Math.round(tr.cpuPercent),
    peak_rss_mib: Math.round(tr.rssMiB),
    storm_slowdown: `${pct(tr.load.rate, base.rate)}%`,
    accounting: checkAccounting("tracee", tr.load.issued, tr),
  });

  console.log("3. C libbpf consumer of the same object (counts only)");
  const cc = await withConsumer(() => loadgen(["-n", String(count)]));
  row("c-consumer", {
    events_per_s: fmt(cc.received / cc.load.seconds),
    received: cc.received,
    lost_kernel: cc.lostKernel,
    cpu_percent: Math.round(cc.cpuPercent),
    peak_rss_mib: Math.round(cc.rssMiB),
    storm_slowdown: `${pct(cc.load.rate, base.rate)}%`,
    accounting: checkAccounting("c-consumer", cc.load.issued, cc),
  });
  row("tracee/c", {
    ratio: `${pct(tr.received / tr.load.seconds, cc.received / cc.load.seconds)}%`,
  });

  console.log("4. bpftrace on raw_syscalls:sys_enter");
  const bpftrace = bpftraceAvailable();
  if (bpftrace) {
    let counted = 0;
    let bt: Child | undefined;
    const load = await loadgen(["-d", String(STORM_SECONDS)], async (pid) => {
      bt = new Child("bpftrace", [
        "-e",
        `tracepoint:raw_syscalls:sys_enter /pid == ${pid}/ { @c = count(); }`,
      ]);
      await bt.waitLine("out", (l) => l.startsWith("Attaching"));
      await sleep(300);
    });
    await bt!.stop();
    counted = Number(/@c: (\d+)/.exec(bt!.out.join("\n"))?.[1] ?? 0);
    row("bpftrace", {
      storm_per_s: fmt(load.rate),
      storm_slowdown: `${pct(load.rate, base.rate)}%`,
      counted,
    });
  } else {
    row("bpftrace", { skipped: "bpftrace not installed (apt-get install bpftrace)" });
  }

  console.log("5. offered-rate ramp");
  const ramp: RampPoint[] = [];
  for (const rate of RAMP) {
    const args = ["-r", String(rate), "-d", "2", "-t", rate > 1_000_000 ? "2" : "1"];
    const t = await withTracee(json, () => loadgen(args));
    const c = await withConsumer(() => loadgen(args));
    const point: RampPoint = {
      offered: t.load.issued / t.load.seconds,
      tracee: t.received / t.load.seconds,
      offeredC: c.load.issued / c.load.seconds,
      c: c.received / c.load.seconds,
      traceeLost: pct(t.lostKernel, t.load.issued),
      cLost: pct(c.lostKernel, c.load.issued),
    };
    ramp.push(point);
    row(`ramp ${fmt(rate)}/s`, {
      offered_tracee: fmt(point.offered),
      tracee_per_s: fmt(point.tracee),
      tracee_lost: `${point.traceeLost}%`,
      offered_c: fmt(point.offeredC),
      c_per_s: fmt(point.c),
      c_lost: `${point.cLost}%`,
    });
  }

  console.log("6. start-up, and all syscalls on a mixed workload");
  const startups: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const t = new Child(TRACEE, ["--log", "debug", "-e", "openat"], { stdout: "null" });
    await t.waitLine("err", (l) => l.includes('"BPF: attached"'));
    startups.push(performance.now() - t0);
    await t.stop();
  }
  row("startup", { ms_to_attached: Math.round(startups.sort((a, b) => a - b)[1]!) });
  const mixArgs = ["-m", "-c", MIX_COMM, "-d", String(STORM_SECONDS)];
  const mixBase = await loadgen(mixArgs);
  const mix = await withTracee(
    ["-e", "syscalls", "-o", "json", "--scope", `comm=${MIX_COMM}`],
    () => loadgen(mixArgs),
  );
  row("mixed all-syscalls", {
    events_per_s: fmt(mix.received / mix.load.seconds),
    lost_kernel: mix.lostKernel,
    lost_pct: `${pct(mix.lostKernel, mix.lostKernel + mix.received)}%`,
    workload_slowdown: `${pct(mix.load.rate, mixBase.rate)}%`,
  });

  console.log("7. a scope that matches nothing vs untraced");
  const none = await withTracee(
    ["-e", "getppid", "--scope", "comm=no-such-process"],
    () => loadgen(["-d", String(STORM_SECONDS)]),
  );
  row("filter-nothing", {
    storm_per_s: fmt(none.load.rate),
    vs_untraced: `${pct(none.load.rate, base.rate)}%`,
    received: none.received,
  });

  console.log("8. open storm: openat vs security_file_open (json to a pipe read by this process)");
  const openArgs = ["-o", "-d", String(STORM_SECONDS)];
  const openBase = await loadgen(openArgs);
  row("open storm untraced", { opens_per_s: fmt(openBase.rate) });
  for (const event of ["openat", "security_file_open"]) {
    const o = await withTracee(
      ["-e", event, "-o", "json", ...scope],
      () => loadgen(openArgs),
      "pipe",
    );
    row(`open storm ${event}`, {
      events_per_s: fmt(o.received / o.load.seconds),
      storm_vs_untraced: `${pct(o.load.rate, openBase.rate)}%`,
      kernel_ns_per_event: Math.round(o.kernelNs / Math.max(1, o.received + o.lostKernel)),
      user_us_per_event: Math.round(
        (10 * 1e6 * (o.cpuPercent / 100) * o.load.seconds) / Math.max(1, o.received),
      ) / 10,
      lines_read: o.printed,
      lost_kernel: o.lostKernel,
      accounting: checkAccounting(event, o.load.issued, o),
    });
  }

  await detectionScenarios(9);
  await overheadScenarios(11);
  await hooksScenarios(15);

  const elapsed = (performance.now() - started) / 1000;
  console.log(`\nbench took ${Math.round(elapsed)} s`);
  writeResults(ramp, elapsed);
}

function bpftraceAvailable(): boolean {
  const has = () =>
    new Deno.Command("sh", { args: ["-c", "command -v bpftrace"], stdout: "null" }).outputSync()
      .success;
  if (has()) return true;
  new Deno.Command("sh", {
    args: ["-c", "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bpftrace >/dev/null 2>&1"],
  }).outputSync();
  return has();
}

function machine(): Record<string, string | number> {
  const cpu = /model name\s*:\s*(.*)/.exec(Deno.readTextFileSync("/proc/cpuinfo"))?.[1] ??
    "unknown";
  return {
    kernel: Deno.osRelease(),
    cpus: navigator.hardwareConcurrency,
    cpu,
    hostname: Deno.hostname(),
  };
}

/** One step of the ramp: what each consumer was offered (achieved load rate) and received. */
interface RampPoint {
  offered: number;
  tracee: number;
  offeredC: number;
  c: number;
  traceeLost: number;
  cLost: number;
}

/** SVG of received vs offered rate per consumer, with the y = x line of no loss. */
export function plot(ramp: RampPoint[]): string {
  const W = 640, H = 400, M = 60;
  const max = Math.max(...ramp.flatMap((p) => [p.offered, p.offeredC, p.tracee, p.c])) * 1.1;
  const x = (v: number) => (M + ((W - 2 * M) * v) / max).toFixed(1);
  const y = (v: number) => (H - M - ((H - 2 * M) * v) / max).toFixed(1);
  const series = (pts: [number, number][], color: string) =>
    `<polyline fill="none" stroke="${color}" stroke-width="2" points="${
      pts.map(([a, b]) => `${x(a)},${y(b)}`).join(" ")
    }"/>` +
    pts.map(([a, b]) => `<circle cx="${x(a)}" cy="${y(b)}" r="3" fill="${color}"/>`).join("");
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * max);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11">
<rect width="${W}" height="${H}" fill="white"/>
<text x="${
    W / 2
  }" y="20" text-anchor="middle" font-size="14">received vs offered events/s (getppid storm)</text>
<line x1="${M}" y1="${H - M}" x2="${W - M}" y2="${
    H - M
  }" stroke="black"/><line x1="${M}" y1="${M}" x2="${M}" y2="${H - M}" stroke="black"/>
${
    ticks.map((t) =>
      `<text x="${x(t)}" y="${H - M + 15}" text-anchor="middle">${
        (t / 1e6).toFixed(2)
      }M</text><text x="${M - 5}" y="${Number(y(t)) + 4}" text-anchor="end">${
        (t / 1e6).toFixed(2)
      }M</text>`
    ).join("\n")
  }
<text x="${W / 2}" y="${H - 20}" text-anchor="middle">offered (events/s)</text>
<text x="15" y="${H / 2}" transform="rotate(-90 15 ${
    H / 2
  })" text-anchor="middle">received (events/s)</text>
<line x1="${x(0)}" y1="${y(0)}" x2="${x(max)}" y2="${
    y(max)
  }" stroke="#bbbbbb" stroke-dasharray="4 3"/>
${series(ramp.map((p) => [p.offeredC, p.c]), "#1f77b4")}${
    series(ramp.map((p) => [p.offered, p.tracee]), "#d62728")
  }
<text x="${M + 15}" y="${M + 10}" fill="#d62728">tracee (json)</text>
<text x="${M + 15}" y="${M + 25}" fill="#1f77b4">C libbpf consumer (counts only)</text>
<text x="${M + 15}" y="${M + 40}" fill="#888888">dashed: received = offered (no loss)</text>
</svg>
`;
}

function writeResults(
  ramp: RampPoint[],
  elapsed: number,
): void {
  const { base, commit } = resultsBase();
  const result = {
    date: new Date().toISOString(),
    commit,
    machine: machine(),
    seconds: elapsed,
    rows,
    ramp,
  };
  Deno.writeTextFileSync(`${base}.json`, JSON.stringify(result, null, 2) + "\n");
  Deno.writeTextFileSync(`${base}.svg`, plot(ramp));
  console.log(`\n${"scenario".padEnd(22)} figures`);
  for (const r of rows) {
    console.log(
      `${r.scenario.padEnd(22)} ${
        Object.entries(r.figures).map(([k, v]) => `${k}=${v}`).join("  ")
      }`,
    );
  }
  console.log(`\nwrote ${base}.json and ${base}.svg`);
}

if (import.meta.main) {
  try {
    await main();
  } catch (e) {
    console.error((e as Error).message);
    Deno.exit(1);
  }
}
