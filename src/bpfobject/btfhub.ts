/**
 * BTFHub archives embedded in tracee: reduced BTF of kernels without /sys/kernel/btf/vmlinux,
 * laid out as btfhub-archive does (`<ID>/<VERSION_ID>/<arch>/<kernel-release>.btf.tar.xz`).
 */
import { join } from "node:path";
import xz from "xz-decompress";
import { TraceeError } from "../errors.ts";
import type { OsInfo } from "../osinfo/osinfo.ts";
import { btfhubKey, type EmbeddedAssets } from "./assets.ts";
import { checkBtfFile, ObjectFormatError } from "./elf.ts";
import { tarFiles } from "./tar.ts";
import { requireTrusted } from "./trust.ts";

const { XzReadableStream } = xz as unknown as {
  XzReadableStream: typeof import("xz-decompress").XzReadableStream;
};

/** btfhub-archive's name for a machine (uname -m). */
export function btfhubArch(machine: string): string {
  return machine === "aarch64" ? "arm64" : machine;
}

/** The embedded archive for this exact OS and kernel, or undefined. */
export function findBtfhubArchive(
  assets: EmbeddedAssets,
  os: OsInfo,
): { key: string; bytes: Uint8Array } | undefined {
  const key = btfhubKey(os.id, os.versionId, btfhubArch(os.arch), os.kernelRelease);
  const bytes = assets.btfhub.get(key);
  return bytes ? { key, bytes } : undefined;
}

/** Decompresses an .xz stream held in memory. */
export async function unxz(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const stream = new XzReadableStream(new Blob([bytes]).stream());
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Creates the install path (root-owned, 0755) if needed and checks it is safe to write into. */
export function ensureInstallPath(path: string, allowInsecure: boolean): void {
  try {
    Deno.statSync(path);
  } catch {
    Deno.mkdirSync(path, { recursive: true, mode: 0o755 });
    Deno.chmodSync(path, 0o755);
  }
  requireTrusted(path, "install path", allowInsecure);
}

/**
 * Unpacks the BTF of `archive` to `<installPath>/<release>.btf` (written to a fresh name, then
 * renamed into place) and returns its path.
 */
export async function unpackBtfhubArchive(
  archive: Uint8Array,
  release: string,
  installPath: string,
  allowInsecure: boolean,
): Promise<string> {
  let btf: Uint8Array;
  try {
    const files = tarFiles(await unxz(new Uint8Array(archive)));
    const entry = files.find((f) => f.name.endsWith(".btf"));
    if (!entry) throw new Error("no .btf file in the archive");
    btf = entry.data;
    checkBtfFile(btf);
  } catch (e) {
    const detail = e instanceof ObjectFormatError || e instanceof Error ? e.message : String(e);
    throw new TraceeError(`Cannot unpack the embedded BTFHub archive for ${release}: ${detail}`, 1);
  }
  ensureInstallPath(installPath, allowInsecure);
  const target = join(installPath, `${release}.btf`);
  const temp = join(installPath, `.${release}.btf.${crypto.randomUUID()}`);
  Deno.writeFileSync(temp, btf, { createNew: true, mode: 0o644 });
  Deno.chmodSync(temp, 0o644);
  Deno.renameSync(temp, target);
  return target;
}
