/**
 * The package format read by the launcher (tools/launcher/package.h documents it byte for byte):
 * `[launcher][payload: zstd frames][manifest][trailer]`, the manifest a list of text lines.
 */

/** Where a file goes in the cache entry, and with which permissions. */
export interface EntryFile {
  /** Path inside the cache entry (relative, no `..`). */
  readonly rel: string;
  /** Permission bits it is unpacked with (e.g. 0o500 for the runtime, 0o400 for data). */
  readonly mode: number;
}

/** One file of the package, in payload order. */
export interface ManifestFile extends EntryFile {
  readonly size: number;
  /** Hex sha256 of its content. */
  readonly sha256: string;
}

/** What the launcher unpacks and runs. "{}" in args and env stands for the entry directory. */
export interface Manifest {
  /** The file to execute. */
  readonly exec: string;
  /** Arguments put before the user's. */
  readonly args: readonly string[];
  /** `NAME=value` set in the environment. */
  readonly env: readonly string[];
  /** Directories to create (parents before children). */
  readonly dirs: readonly string[];
  readonly files: readonly ManifestFile[];
  /** The embedded libbpf, when there is one. */
  readonly libbpf?: { readonly version: string; readonly rel: string };
}

/** Magic at the start of the trailer. */
export const PACKAGE_MAGIC = "TRACEEPK";
/** Size of the trailer. */
export const TRAILER_LEN = 32;

function checkRel(rel: string): string {
  if (
    rel === "" || rel.startsWith("/") ||
    rel.split("/").some((p) => p === "" || p === "." || p === "..")
  ) {
    throw new Error(`Cannot build the package: bad path '${rel}'`);
  }
  if (/[\n]/.test(rel)) throw new Error(`Cannot build the package: newline in '${rel}'`);
  return rel;
}

function oneLine(text: string): string {
  if (text.includes("\n")) throw new Error(`Cannot build the package: newline in '${text}'`);
  return text;
}

/** The manifest's text. */
export function manifestText(m: Manifest): string {
  const lines = [
    "tracee-package 1",
    `exec ${checkRel(m.exec)}`,
    ...m.args.map((a) => `arg ${oneLine(a)}`),
    ...m.env.map((e) => {
      if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(e)) {
        throw new Error(`Cannot build the package: bad env '${e}'`);
      }
      return `env ${oneLine(e)}`;
    }),
    ...m.dirs.map((d) => `dir ${checkRel(d)}`),
    ...m.files.map((f) =>
      `file ${f.mode.toString(8).padStart(4, "0")} ${f.size} ${f.sha256} ${checkRel(f.rel)}`
    ),
  ];
  if (m.libbpf) lines.push(`libbpf ${oneLine(m.libbpf.version)} ${checkRel(m.libbpf.rel)}`);
  return lines.join("\n") + "\n";
}

/** The trailer: magic, payload offset, payload size, manifest size (little-endian u64). */
export function trailer(
  payloadOffset: number,
  payloadSize: number,
  manifestSize: number,
): Uint8Array {
  const t = new Uint8Array(TRAILER_LEN);
  t.set(new TextEncoder().encode(PACKAGE_MAGIC), 0);
  const dv = new DataView(t.buffer);
  dv.setBigUint64(8, BigInt(payloadOffset), true);
  dv.setBigUint64(16, BigInt(payloadSize), true);
  dv.setBigUint64(24, BigInt(manifestSize), true);
  return t;
}
