/**
 * `make bench-soak`: tracee on its default set (every signature included) plus the events of a
 * 300 k/s getppid storm, for 10 minutes (SOAK_SECONDS to change), json to a pipe `wc -l`
 * reads. Reports lost events (must be 0), resident memory every minute (must stay flat) and
 * whether the exit summary accounts for every storm syscall exactly. Writes
 * bench/results/<date>-<commit>-soak.json.
 */
import { build, fmt, loadgen, LOADGEN_COMM, resultsBase, sleep, traceeToWc } from "./lib.ts";

const SECONDS = Number(Deno.env.get("SOAK_SECONDS") ?? 600);
const RATE = 300_000;

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(Deno.readTextFileSync(`/proc/${pid}/status`));
  return Math.round(Number(m?.[1] ?? 0) / 1024);
}

async function main(): Promise<void> {
  if (Deno.uid() !== 0) {
    console.error("Cannot benchmark: root is needed (sudo make bench-soak)");
    Deno.exit(2);
  }
  build();
  // the default set, and the storm's getppid
  // json to a pipe `wc -l` reads, as in overhead.ts's 1 M/s runs
  const { tracee: t, lines } = traceeToWc([
    "--log",
    "debug",
    "-o",
    "json",
    "-e",
    "default,getppid",
  ]);
  await t.waitLine("err", (l) => l.includes('"BPF: attached"'));
  await sleep(1000);
  const rss: number[] = [rssMiB(t.proc.pid)];
  console.log(`soak: ${SECONDS} s at ${fmt(RATE)} getppid/s; rss at start ${rss[0]} MiB`);
  const storm = loadgen(["-r", String(RATE), "-d", String(SECONDS), "-c", LOADGEN_COMM]);
  const every = Math.min(60, SECONDS);
  for (let s = every; s < SECONDS; s += every) {
    await sleep(every * 1000);
    rss.push(rssMiB(t.proc.pid));
    console.log(`  ${s} s: rss ${rss.at(-1)} MiB`);
  }
  const load = await storm;
  await sleep(1000);
  rss.push(rssMiB(t.proc.pid));
  await t.stop();
  const summary = await t.waitLine("err", (l) => l.startsWith("tracee: "));
  const loss = JSON.parse(t.err.find((l) => l.includes('"msg":"Loss counts"'))!);
  const received = Number(/tracee: (\d+) events received/.exec(summary)![1]);
  const lost = Object.entries(loss).filter(([k]) => k.startsWith("lost_"))
    .reduce((n, [, v]) => n + Number(v), 0);
  const result = {
    date: new Date().toISOString(),
    seconds: SECONDS,
    rate: RATE,
    storm_issued: load.issued,
    storm_rate: Math.round(load.issued / load.seconds),
    received,
    lost,
    lines_read: await lines(),
    // every record the kernel wrote was read (signature inputs and internal events are read,
    // not printed: lines_read counts what was printed)
    exact: loss.kernel_submitted === received,
    rss_mib: rss,
    summary,
  };
  console.log(JSON.stringify(result, null, 2));
  const file = `${resultsBase().base}-soak.json`;
  Deno.writeTextFileSync(file, JSON.stringify(result, null, 2) + "\n");
  console.log(`wrote ${file}`);
}

if (import.meta.main) {
  try {
    await main();
  } catch (e) {
    console.error((e as Error).message);
    Deno.exit(1);
  }
}
