/**
 * BTFHub archives embedded in tracee: reduced BTF of kernels without /sys/kernel/btf/vmlinux,
 * laid out as btfhub-archive does (`<ID>/<VERSION_ID>/<arch>/<kernel-release>.btf.tar.xz`).
 */
import { join } from "node:path";
import { TraceeError } from "../errors.ts";
import type { OsInfo } from "../osinfo/osinfo.ts";
import { btfhubKey, type EmbeddedAssets } from "./assets.ts";
import { checkBtfFile, ObjectFormatError } from "./elf.ts";
import { tarFiles } from "./tar.ts";
import {
  FsError,
  fsErrorText,
  openTrustedDir,
  type TrustedDir,
  type TrustedFile,
} from "../trust/trusted_open.ts";

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
  // loaded only on kernels that need BTFHub (a WASM decoder: memory the others need not pay)
  const xz = await import("xz-decompress");
  const { XzReadableStream } = (xz.default ?? xz) as unknown as {
    XzReadableStream: typeof import("xz-decompress").XzReadableStream;
  };
  const stream = new XzReadableStream(new Blob([bytes]).stream());
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

const INSTALL_PATH = "install path";

/**
 * Creates the install path (root-owned, 0755) if needed and opens it through the trust checks
 * (it, every directory above it, any link on the way).
 */
export function openInstallPath(path: string, allowInsecure: boolean): TrustedDir {
  try {
    Deno.statSync(path);
  } catch {
    Deno.mkdirSync(path, { recursive: true, mode: 0o755 });
    Deno.chmodSync(path, 0o755);
  }
  try {
    return openTrustedDir(path, {
      what: INSTALL_PATH,
      override: { flag: "--allow-insecure-bpf-file", given: allowInsecure },
    });
  } catch (e) {
    if (e instanceof FsError) {
      throw new TraceeError(`Cannot load ${INSTALL_PATH} ${path}: ${fsErrorText(e)}`, 2);
    }
    throw e;
  }
}

/**
 * Unpacks the BTF of `archive` to `<installPath>/<release>.btf` (written to a fresh name in the
 * vetted install path, then renamed into place) and returns it, open: libbpf reads what was
 * written through /proc/self/fd/N.
 */
export async function unpackBtfhubArchive(
  archive: Uint8Array,
  release: string,
  installPath: string,
  allowInsecure: boolean,
): Promise<TrustedFile> {
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
  const dir = openInstallPath(installPath, allowInsecure);
  try {
    return dir.createFile(`${release}.btf`, btf, 0o644);
  } catch (e) {
    if (e instanceof FsError) {
      throw new TraceeError(
        `Cannot unpack the embedded BTFHub archive to ${join(installPath, `${release}.btf`)}: ${
          fsErrorText(e)
        }`,
        1,
      );
    }
    throw e;
  } finally {
    dir.close();
  }
}
