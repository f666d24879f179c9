/**
 * What detections cost: the default set (which selects every signature) against the same set
 * without signatures (`-e -signatures`) on one mixed-workload storm, and how long a finding takes
 * from the event (its kernel timestamp) to the line a reader gets from tracee's pipe, idle and
 * under the storm.
 */
import {
  Child,
  fmt,
  loadgen,
  LOADGEN_COMM,
  MIX_COMM,
  pct,
  row,
  sleep,
  STORM_SECONDS,
  TRACEE,
  withTracee,
} from "./lib.ts";

/** The p-th percentile (0..100) of sorted numbers. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Epoch time now in ns, as a double (µs precision is enough for latencies). */
function epochNowNs(): number {
  return (performance.timeOrigin + performance.now()) * 1e6;
}

/** Findings of dynamic_code_loading while `rate` JIT-like mprotects/s run, and their latencies. */
async function findingLatency(
  rate: number,
  background: boolean,
): Promise<{ findings: number; issued: number; p50: number; p99: number; max: number }> {
  const latencies: number[] = [];
  const t = new Child(TRACEE, [
    "--log",
    "debug",
    "-o",
    "json",
    "-e",
    "dynamic_code_loading",
    "--scope",
    `comm=${LOADGEN_COMM}`,
  ]);
  await t.waitLine("err", (l) => l.includes('"BPF: attached"'));
  let seen = 0;
  const watcher = (async () => {
    while (true) {
      while (seen < t.out.length) {
        const line = t.out[seen++]!;
        const ts = /^\{"timestamp":(\d+)/.exec(line)?.[1];
        if (ts) latencies.push((epochNowNs() - Number(ts)) / 1e6);
      }
      if (t.out.length > 0 && t.out.at(-1) === "") return;
      await sleep(1);
    }
  })();
  const noise = background ? loadgen(["-m", "-c", MIX_COMM, "-d", "3"]) : undefined;
  const load = await loadgen(["-j", "-r", String(rate), "-d", "2"]);
  await noise;
  await sleep(500);
  await t.stop();
  t.out.push("");
  await watcher;
  latencies.sort((a, b) => a - b);
  return {
    findings: latencies.length,
    issued: load.issued,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? NaN,
  };
}

/** The detection scenarios. */
export async function detectionScenarios(step: number): Promise<void> {
  console.log(`${step}. default set with and without its signatures, on one mixed storm`);
  const mix = ["-m", "-c", MIX_COMM, "-d", String(STORM_SECONDS)];
  const base = await loadgen(mix);
  for (const [name, args] of [["signatures on", []], ["signatures off", ["-e", "-signatures"]]]) {
    const r = await withTracee(["-o", "json", ...args], () => loadgen(mix), "pipe");
    row(`default set, ${name}`, {
      events_per_s: fmt(r.received / r.load.seconds),
      workload_vs_untraced: `${pct(r.load.rate, base.rate)}%`,
      lost: r.lostKernel + r.lostUser,
      lost_pct: `${pct(r.lostKernel + r.lostUser, r.received + r.lostKernel)}%`,
      cpu_percent: Math.round(r.cpuPercent),
      peak_rss_mib: Math.round(r.rssMiB),
    });
  }

  console.log(`${step + 1}. finding latency: event timestamp → line read from tracee's pipe`);
  for (const background of [false, true]) {
    const l = await findingLatency(2000, background);
    row(`finding latency${background ? ", under the mixed storm" : ""}`, {
      findings: l.findings,
      expected: l.issued,
      p50_ms: l.p50.toFixed(2),
      p99_ms: l.p99.toFixed(2),
      max_ms: l.max.toFixed(2),
    });
  }
}
