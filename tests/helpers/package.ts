/**
 * Small self-extracting packages made with the real launcher and packer (tools/package): a copy
 * of /bin/sh as the "runtime" and a script as the "program", so the launcher's cache rules can be
 * tested in milliseconds instead of unpacking Deno each time.
 */
import { join } from "node:path";
import { assemblePackage, type PackageResult } from "../../tools/package/assemble.ts";
import { ROOT } from "./kernel.ts";
import { runArgv, type TraceeResult } from "./tracee_process.ts";

/** The launcher `make` builds. */
export const LAUNCHER = `${ROOT}.output/launcher`;

/** A built package. */
export interface TinyPackage extends PackageResult {
  /** The executable. */
  readonly exe: string;
  /** Name of its cache entry. */
  readonly entryName: string;
}

/** Options of tinyPackage. */
export interface TinyOptions {
  /** Version of the fake embedded libbpf (default 1.0.0). */
  readonly libbpfVersion?: string;
  /** Size of an extra file of zeros (to need space when unpacking). */
  readonly padBytes?: number;
}

/**
 * A package in `dir` whose program prints `ran <args>` and the libbpf variables it was given.
 */
export function tinyPackage(dir: string, opts: TinyOptions = {}): TinyPackage {
  const src = join(dir, "src");
  Deno.mkdirSync(src, { recursive: true });
  const script = join(src, "prog.sh");
  Deno.writeTextFileSync(
    script,
    'echo "ran $*"\necho "LIBBPF_PATH=${LIBBPF_PATH:-}"\necho "LD_LIBRARY_PATH=${LD_LIBRARY_PATH:-}"\necho "STATE=$STATE"\n',
  );
  const lib = join(src, "libbpf.so.1");
  Deno.writeTextFileSync(lib, "not really libbpf\n");
  const files = [
    { rel: "sh", mode: 0o500, path: "/bin/sh" },
    { rel: "prog.sh", mode: 0o400, path: script },
    { rel: "lib/libbpf.so.1", mode: 0o400, path: lib },
  ];
  if (opts.padBytes) {
    const pad = join(src, "pad");
    Deno.writeFileSync(pad, new Uint8Array(opts.padBytes));
    files.push({ rel: "data/pad", mode: 0o400, path: pad });
  }
  const exe = join(dir, "tiny");
  const r = assemblePackage(
    LAUNCHER,
    {
      exec: "sh",
      args: ["{}/prog.sh"],
      env: ["STATE={}/state"],
      emptyDirs: ["state"],
      files,
      libbpf: { version: opts.libbpfVersion ?? "1.0.0", rel: "lib/libbpf.so.1" },
    },
    exe,
    { level: 3, cacheDir: join(dir, "zst") },
  );
  return { ...r, exe, entryName: r.key.slice(0, 32) };
}

/** Runs `wrap... exe args...` with `env` added to the environment. */
export function runExe(
  exe: string,
  args: string[] = [],
  env: Record<string, string> = {},
  wrap: string[] = [],
): TraceeResult {
  return runArgv([...wrap, exe, ...args], env);
}
