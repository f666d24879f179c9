/**
 * zstd frames for the payload, made by the `zstd` tool. Big files (the runtime) are compressed
 * once per content and level and kept in a cache directory: level 19 takes ~40 s for Deno.
 */
import { join } from "node:path";

/** Files at least this big are kept compressed in the cache. */
const CACHE_MIN_BYTES = 4 << 20;
/** zstd's long-distance window (2^25 = 32 MiB): the launcher decodes it with default limits. */
const LONG_WINDOW_LOG = 25;

/** The compressed frame of `path` (whose sha256 is `sha256`). */
export function zstdFrame(
  path: string,
  sha256: string,
  level: number,
  cacheDir: string,
): Uint8Array {
  const size = Deno.statSync(path).size;
  const cached = join(cacheDir, `${sha256}.${level}.zst`);
  if (size >= CACHE_MIN_BYTES) {
    try {
      return Deno.readFileSync(cached);
    } catch {
      // not compressed yet
    }
  }
  // zstd skips symbolic links: give it the file they point to.
  const args = [
    "-q",
    "-c",
    "-T0",
    `--long=${LONG_WINDOW_LOG}`,
    `-${level}`,
    Deno.realPathSync(path),
  ];
  if (level > 19) args.unshift("--ultra");
  let out: Deno.CommandOutput;
  try {
    out = new Deno.Command("zstd", { args, stdout: "piped", stderr: "piped" }).outputSync();
  } catch {
    throw new Error("Cannot build dist/tracee: zstd is missing (apt-get install zstd)");
  }
  if (!out.success) {
    throw new Error(
      `Cannot build dist/tracee: zstd failed on ${path}: ${new TextDecoder().decode(out.stderr)}`,
    );
  }
  if (size >= CACHE_MIN_BYTES) {
    Deno.mkdirSync(cacheDir, { recursive: true });
    const tmp = `${cached}.${Deno.pid}`;
    Deno.writeFileSync(tmp, out.stdout);
    Deno.renameSync(tmp, cached);
  }
  return out.stdout;
}
