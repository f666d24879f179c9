/**
 * Writes a self-extracting executable: the launcher (tools/launcher, static C), then the files
 * compressed with zstd, the manifest and the trailer (manifest.ts). The launcher unpacks them
 * once into its cache and execs `exec` from there.
 */
import { createHash } from "node:crypto";
import { dirname } from "node:path";
import { zstdFrame } from "./compress.ts";
import {
  type EntryFile,
  type Manifest,
  type ManifestFile,
  manifestText,
  trailer,
} from "./manifest.ts";

/** A file to put in the package. */
export interface PackageInput extends EntryFile {
  /** Where it is now. */
  readonly path: string;
}

/** What to package. */
export interface PackageSpec {
  readonly exec: string;
  readonly args: readonly string[];
  readonly env: readonly string[];
  /** Empty directories to create besides the files' parents (e.g. a writable cache). */
  readonly emptyDirs?: readonly string[];
  readonly files: readonly PackageInput[];
  readonly libbpf?: { readonly version: string; readonly rel: string };
}

/** Sizes of what was written. */
export interface PackageResult {
  /** Size of the executable. */
  readonly size: number;
  /** Size of the launcher. */
  readonly launcher: number;
  /** Each file with its size and compressed size. */
  readonly files: readonly { rel: string; size: number; compressed: number }[];
  /** Hex sha256 of the manifest (names the cache entry). */
  readonly key: string;
}

/** Options of assemblePackage. */
export interface AssembleOptions {
  /** zstd level (19 by default). */
  readonly level?: number;
  /** Where compressed big files are kept between builds. */
  readonly cacheDir: string;
}

function sha256File(path: string): string {
  const h = createHash("sha256");
  const f = Deno.openSync(path);
  try {
    const buf = new Uint8Array(1 << 20);
    for (;;) {
      const n = f.readSync(buf);
      if (n === null) break;
      h.update(buf.subarray(0, n));
    }
  } finally {
    f.close();
  }
  return h.digest("hex");
}

/** Every directory the files live in, and the empty ones, parents first. */
function directories(spec: PackageSpec): string[] {
  const dirs = new Set<string>();
  const add = (d: string) => {
    if (d === "." || d === "" || dirs.has(d)) return;
    add(dirname(d));
    dirs.add(d);
  };
  for (const f of spec.files) add(dirname(f.rel));
  for (const d of spec.emptyDirs ?? []) add(d);
  return [...dirs];
}

/** Writes the executable to `out` (atomically: a temporary file renamed into place). */
export function assemblePackage(
  launcher: string,
  spec: PackageSpec,
  out: string,
  opts: AssembleOptions,
): PackageResult {
  const level = opts.level ?? 19;
  const head = Deno.readFileSync(launcher);
  const files: ManifestFile[] = [];
  const frames: Uint8Array[] = [];
  for (const f of spec.files) {
    const sha256 = sha256File(f.path);
    files.push({ rel: f.rel, mode: f.mode, size: Deno.statSync(f.path).size, sha256 });
    frames.push(zstdFrame(f.path, sha256, level, opts.cacheDir));
  }
  const manifest: Manifest = {
    exec: spec.exec,
    args: spec.args,
    env: spec.env,
    dirs: directories(spec),
    files,
    libbpf: spec.libbpf,
  };
  const text = new TextEncoder().encode(manifestText(manifest));
  const payloadSize = frames.reduce((n, f) => n + f.length, 0);
  const tmp = `${out}.tmp-${Deno.pid}`;
  const file = Deno.openSync(tmp, { write: true, create: true, truncate: true, mode: 0o755 });
  try {
    const writeAll = (b: Uint8Array) => {
      for (let off = 0; off < b.length;) off += file.writeSync(b.subarray(off));
    };
    writeAll(head);
    for (const f of frames) writeAll(f);
    writeAll(text);
    writeAll(trailer(head.length, payloadSize, text.length));
  } finally {
    file.close();
  }
  Deno.chmodSync(tmp, 0o755);
  Deno.renameSync(tmp, out);
  return {
    size: Deno.statSync(out).size,
    launcher: head.length,
    files: files.map((f, i) => ({ rel: f.rel, size: f.size, compressed: frames[i]!.length })),
    key: createHash("sha256").update(text).digest("hex"),
  };
}
