/**
 * Where per-syscall tracepoints stop paying: selections of growing size (the mixed workload's
 * syscalls plus others in table order, getppid never among them), each with the syscall
 * programs attached per syscall and on the raw tracepoints (TRACEE_SYSCALL_HOOKS forces both).
 * For each: start-up to attached, the mixed workload (open, read, fstat, close, stat, getppid,
 * mmap, munmap: all but getppid traced, json to a pipe this process reads) against untraced, and
 * a getppid storm (not selected) against untraced. PER_SYSCALL_MAX in
 * src/runtime/syscall_hooks.ts is chosen from these figures.
 */
import { events } from "../src/events/table.ts";
import { tracepointOf } from "../src/events/syscall_tracepoints.ts";
import { ensureTracefs, tracepointLookup } from "../src/osinfo/tracefs.ts";
import {
  build,
  Child,
  fmt,
  loadgen,
  MIX_COMM,
  pct,
  QUICK,
  row,
  sleep,
  STORM_SECONDS,
  TRACEE,
} from "./lib.ts";

/** The mix's syscalls tracee selects (glibc's open/stat/fstat are openat and newfstatat). */
const MIX_TRACED = ["openat", "read", "newfstatat", "close", "mmap", "munmap"];
/** Never selected: the storm's syscall, and those that end or replace the process. */
const NEVER = new Set(["getppid", "exit", "exit_group", "execve", "execveat"]);

/** `n` syscalls: the mix's, then others in table order that have tracepoints here. */
function selection(n: number, exists: (tp: string) => boolean | undefined): string[] {
  const names = [...MIX_TRACED];
  for (const e of events) {
    if (names.length >= n) break;
    if (!e.syscall || NEVER.has(e.name) || names.includes(e.name)) continue;
    const tp = tracepointOf(e.name);
    if (exists(`sys_enter_${tp}`) === true && exists(`sys_exit_${tp}`) === true) names.push(e.name);
  }
  return names;
}

/** One mode on one selection: start-up, the mix's rate, the unselected storm's rate. */
async function measure(
  names: string[],
  hooks: "per-syscall" | "raw",
): Promise<{ startupMs: number; hooksLine: string; mix: number; storm: number; lost: number }> {
  const t0 = performance.now();
  const t = new Child(TRACEE, ["--log", "debug", "-o", "json", "-e", names.join(",")], {
    stdout: "count",
    env: { TRACEE_SYSCALL_HOOKS: hooks },
  });
  const attached = await t.waitLine("err", (l) => l.includes('"BPF: attached"'), 60000);
  const startupMs = performance.now() - t0;
  await sleep(300);
  const mix = (await loadgen(["-m", "-c", MIX_COMM, "-d", String(STORM_SECONDS)])).rate;
  const storm = (await loadgen(["-d", String(STORM_SECONDS)])).rate;
  await t.stop();
  const summary = await t.waitLine("err", (l) => l.startsWith("tracee: "));
  const r = /(\d+) lost in kernel, (\d+) lost in user space/.exec(summary)!;
  return {
    startupMs,
    hooksLine: JSON.parse(attached).syscall_hooks as string,
    mix,
    storm,
    lost: Number(r[1]) + Number(r[2]),
  };
}

/** The hooks scenario (`step` numbers its heading). */
export async function hooksScenarios(step: number): Promise<void> {
  console.log(`${step}. syscall hooks: per syscall vs raw tracepoints, by selection size`);
  ensureTracefs();
  const exists = tracepointLookup();
  const sizes = Deno.env.get("HOOKS_SIZES")?.split(",").map(Number) ??
    (QUICK ? [6, 64] : [6, 32, 64, 128, 256, 512]);
  for (const n of sizes) {
    const names = selection(n, exists);
    for (const hooks of ["per-syscall", "raw"] as const) {
      // untraced right before each traced run: the ratio of the pair, on this noisy machine
      const mixBase = (await loadgen(["-m", "-c", MIX_COMM, "-d", String(STORM_SECONDS)])).rate;
      const stormBase = (await loadgen(["-d", String(STORM_SECONDS)])).rate;
      const m = await measure(names, hooks);
      row(`hooks, ${names.length} syscalls, ${hooks}`, {
        hooks: m.hooksLine,
        startup_ms: Math.round(m.startupMs),
        mix_per_s: fmt(m.mix),
        mix_vs_untraced: `${pct(m.mix, mixBase)}%`,
        unselected_storm_vs_untraced: `${pct(m.storm, stormBase)}%`,
        lost: m.lost,
      });
    }
  }
}

if (import.meta.main) {
  if (Deno.uid() !== 0) {
    console.error("Cannot benchmark: root is needed");
    Deno.exit(2);
  }
  build();
  await hooksScenarios(1);
}
