/**
 * `make bench-package` (= deno run -A bench/package_startup.ts, after `make`, as root): the size
 * of dist/tracee and its start-up to the first event, on the first run (unpacking into an empty
 * cache) and later runs, side by side with another tracee build in the same run:
 *
 *   --old FILE       a tracee executable to compare with
 *   --old-rev REV    build the tracee of that git revision (its tools/build_tool.ts, this
 *                    checkout's node_modules and eBPF objects) and compare with it
 *   --runs N         later runs per build (default 5; the median is reported)
 *
 * "First event" is the first openat of a marker file this process opens every 5 ms, decoded and
 * printed by tracee (--events openat -o json): exec, unpack, runtime start, load, attach, read.
 */
import { join } from "node:path";
import { pump } from "../tests/helpers/tracee_process.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const TRACEE = join(ROOT, "dist/tracee");

function flag(name: string): string | undefined {
  const i = Deno.args.indexOf(name);
  return i >= 0 ? Deno.args[i + 1] : undefined;
}

/** Builds the tracee of git revision `rev` in the temporary tree `dir`; returns its path. */
function buildOld(rev: string, dir: string): string {
  const sh = (script: string) => {
    const out = new Deno.Command("sh", { args: ["-c", script], cwd: dir, stderr: "piped" })
      .outputSync();
    if (!out.success) {
      throw new Error(`Cannot build ${rev}: ${new TextDecoder().decode(out.stderr)}`);
    }
  };
  sh(`git -C ${ROOT} archive ${rev} | tar -x`);
  sh(`ln -s ${ROOT}node_modules node_modules && mkdir -p dist .output`);
  sh(`cp -r ${ROOT}dist/tracee.bpf.core.o ${ROOT}dist/btfhub dist/`);
  sh(`${Deno.execPath()} run --allow-all tools/build_tool.ts dist ${rev} >/dev/null`);
  return join(dir, "dist/tracee");
}

/** Milliseconds from spawn to the first decoded openat of the marker. */
async function toFirstEvent(exe: string, env: Record<string, string>): Promise<number> {
  const marker = Deno.makeTempFileSync({ prefix: "tracee-startup-" });
  const t0 = performance.now();
  const child = new Deno.Command(exe, {
    args: ["--events", "openat", "-o", "json", "--scope", `pid=${Deno.pid}`],
    env,
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
  }).spawn();
  const out: string[] = [];
  const err: string[] = [];
  const pumps = [pump(child.stdout, out), pump(child.stderr, err)];
  let ms = NaN;
  try {
    const end = Date.now() + 60_000;
    while (Date.now() < end) {
      Deno.openSync(marker).close();
      if (out.some((l) => l.includes(marker))) {
        ms = performance.now() - t0;
        break;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    child.kill("SIGINT");
    await child.status;
    await Promise.all(pumps);
    Deno.removeSync(marker);
  }
  if (Number.isNaN(ms)) throw new Error(`Cannot measure ${exe}: no event; ${err.slice(-3)}`);
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mib = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;

if (import.meta.main) {
  if (Deno.uid() !== 0) {
    console.error(
      "Cannot run the start-up benchmark: it needs root (try: sudo make bench-package)",
    );
    Deno.exit(2);
  }
  const runs = Number(flag("--runs") ?? "5");
  const rev = flag("--old-rev");
  const scratch = Deno.makeTempDirSync({ prefix: "tracee-bench-package-" });
  try {
    const old = flag("--old") ??
      (rev ? buildOld(rev, Deno.makeTempDirSync({ dir: scratch })) : undefined);
    const env = { TRACEE_CACHE_DIR: join(scratch, "cache") };
    const first = await toFirstEvent(TRACEE, env);
    const later: number[] = [];
    const before: number[] = [];
    for (let i = 0; i < runs; i++) {
      later.push(await toFirstEvent(TRACEE, env));
      if (old) before.push(await toFirstEvent(old, {}));
    }
    const rows: [string, string][] = [
      ["dist/tracee size", mib(Deno.statSync(TRACEE).size)],
      ["first run (unpack) to first event", `${first.toFixed(0)} ms`],
      [`later runs to first event (median of ${runs})`, `${median(later).toFixed(0)} ms`],
    ];
    if (old) {
      rows.push([
        `${rev ?? old} to first event (median of ${runs})`,
        `${median(before).toFixed(0)} ms`,
      ]);
      rows.push([`${rev ?? old} size`, mib(Deno.statSync(old).size)]);
    }
    for (const [k, v] of rows) console.log(`${k.padEnd(52)} ${v}`);
    console.log(`later runs: ${later.map((x) => x.toFixed(0)).join(" ")} ms`);
    if (old) console.log(`${rev ?? old}: ${before.map((x) => x.toFixed(0)).join(" ")} ms`);
  } finally {
    Deno.removeSync(scratch, { recursive: true });
  }
}
