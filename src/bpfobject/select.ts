/**
 * Chooses the eBPF object to load, first match wins (seeds 000/001):
 *  1. TRACEE_BPF_FILE: that object (with TRACEE_BTF_FILE for its relocations, if set);
 *  2. /sys/kernel/btf/vmlinux exists, or TRACEE_BTF_FILE is set: the embedded CO-RE object;
 *  3. an embedded BTFHub BTF for this exact OS and kernel: unpacked, then the CO-RE object;
 *  4. the non CO-RE object <install-path>/tracee.bpf.<release>.<version>.o;
 *  5. none: an error naming both ways out.
 * Each step logs Tracee's debug line. Every file is opened once through src/trust/ (owner and
 * permissions of it, of every directory on its path and of any link followed) and vetted for its
 * format: the bytes vetted are the bytes loaded, and libbpf reads the BTF vetted through
 * /proc/self/fd/N.
 */
import { basename, join } from "node:path";
import { TraceeError } from "../errors.ts";
import { logger } from "../log/logger.ts";
import type { OsInfo } from "../osinfo/osinfo.ts";
import type { ObjectSource } from "../runtime/tracer.ts";
import {
  FsError,
  fsErrorText,
  isNotFound,
  openTrustedFile,
  type TrustedFile,
} from "../trust/trusted_open.ts";
import type { EmbeddedAssets } from "./assets.ts";
import { findBtfhubArchive, unpackBtfhubArchive } from "./btfhub.ts";
import { checkBtfFile, elfSections, ObjectFormatError } from "./elf.ts";

/** Path of the running kernel's BTF. */
export const VMLINUX_BTF = "/sys/kernel/btf/vmlinux";

/** How the object was chosen. */
export type ObjectMode = "env" | "core" | "core-btf-env" | "core-btfhub" | "nocore";

/** The object chosen, and the BTF (if any) its CO-RE relocations use. */
export interface ObjectChoice {
  readonly mode: ObjectMode;
  readonly object: ObjectSource;
  /** The BTF file as the user or tracee named it (logs). */
  readonly btfFile?: string;
  /** What libbpf opens for that BTF: /proc/self/fd/N of the file vetted (open until release). */
  readonly btfCustomPath?: string;
  /** Whether the running kernel exposes its BTF (tp_btf programs can attach). */
  readonly kernelBtf: boolean;
  /** Closes what the choice holds open (the BTF file); after the object is loaded. */
  release(): void;
}

/** Everything the choice depends on. */
export interface SelectInput {
  /** TRACEE_BPF_FILE and TRACEE_BTF_FILE (empty counts as unset). */
  readonly bpfFile?: string;
  readonly btfFile?: string;
  /** Whether /sys/kernel/btf/vmlinux exists. */
  readonly vmlinux: boolean;
  readonly os: OsInfo;
  readonly installPath: string;
  readonly assets: EmbeddedAssets;
  readonly allowInsecure: boolean;
}

/** `tracee.bpf.<release>.<version>.o` with dots turned into underscores. */
export function nonCoreObjectName(release: string, version: string): string {
  return `tracee.bpf.${release.replaceAll(".", "_")}.${version.replaceAll(".", "_")}.o`;
}

const INSECURE_FLAG = "--allow-insecure-bpf-file";

/**
 * Opens `path` through the trust checks; `missing` words the error when it does not exist.
 */
function openVetted(
  path: string,
  what: string,
  allowInsecure: boolean,
  missing: () => TraceeError,
): TrustedFile {
  try {
    return openTrustedFile(path, { what, override: { flag: INSECURE_FLAG, given: allowInsecure } });
  } catch (e) {
    if (isNotFound(e)) throw missing();
    if (e instanceof FsError) {
      throw new TraceeError(`Cannot load ${what} ${path}: ${fsErrorText(e)}`, 2);
    }
    throw e;
  }
}

/** Throws TraceeError naming `path` when `check` finds the format wrong. */
function vetFormat(what: string, path: string, check: () => void): void {
  try {
    check();
  } catch (e) {
    if (e instanceof ObjectFormatError) {
      throw new TraceeError(`Cannot load ${what} ${path}: ${e.message}`, 2);
    }
    throw e;
  }
}

/** The bytes of a vetted eBPF object (owner, permissions, path, and ELF format). */
function vettedObject(path: string, allowInsecure: boolean, missing: () => TraceeError) {
  const file = openVetted(path, "eBPF object", allowInsecure, missing);
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = file.bytes();
  } finally {
    file.close();
  }
  vetFormat("eBPF object", path, () => elfSections(bytes));
  return bytes;
}

/** A vetted BTF file, left open for libbpf (owner, permissions, path, and BTF format). */
function vettedBtf(path: string, allowInsecure: boolean): TrustedFile {
  const file = openVetted(
    path,
    "BTF file",
    allowInsecure,
    () =>
      new TraceeError(`Cannot load BTF file ${path}: could not open TRACEE_BTF_FILE ${path}`, 2),
  );
  try {
    vetFormat("BTF file", path, () => checkBtfFile(file.bytes()));
  } catch (e) {
    file.close();
    throw e;
  }
  return file;
}

/** Picks the object per the chain above. */
export async function selectObject(input: SelectInput): Promise<ObjectChoice> {
  const log = logger("initialize");
  const bpfFile = input.bpfFile || undefined;
  const btfFile = input.btfFile || undefined;
  const { vmlinux, allowInsecure } = input;
  log.debug("BTF", { bpfenv: bpfFile !== undefined, btfenv: btfFile !== undefined, vmlinux });

  if (bpfFile !== undefined) {
    const bytes = vettedObject(
      bpfFile,
      allowInsecure,
      () =>
        new TraceeError(`Cannot load eBPF object: could not open TRACEE_BPF_FILE ${bpfFile}`, 2),
    );
    const btf = btfFile !== undefined ? vettedBtf(btfFile, allowInsecure) : undefined;
    log.debug("BPF: using BPF object from environment", { file: bpfFile });
    return {
      mode: "env",
      object: { kind: "memory", bytes, name: basename(bpfFile) },
      btfFile,
      btfCustomPath: btf?.procPath,
      kernelBtf: vmlinux,
      release: () => btf?.close(),
    };
  }

  const core = (): ObjectSource => {
    if (!input.assets.coreObject) {
      throw new TraceeError(
        "Cannot load the CO-RE eBPF object: this build of tracee has none embedded",
        2,
      );
    }
    return { kind: "memory", bytes: input.assets.coreObject, name: "tracee.bpf.core.o" };
  };

  const btf = btfFile !== undefined ? vettedBtf(btfFile, allowInsecure) : undefined;
  if (btf) log.debug("BTF: using BTF file from environment", { file: btfFile });
  if (vmlinux || btf) {
    log.debug("BPF: using embedded BPF object");
    return {
      mode: btf ? "core-btf-env" : "core",
      object: core(),
      btfFile,
      btfCustomPath: btf?.procPath,
      kernelBtf: vmlinux,
      release: () => btf?.close(),
    };
  }

  const archive = findBtfhubArchive(input.assets, input.os);
  if (archive) {
    const object = core();
    const unpacked = await unpackBtfhubArchive(
      archive.bytes,
      input.os.kernelRelease,
      input.installPath,
      allowInsecure,
    );
    log.debug("BTF: using BTF file from embedded btfhub", { file: unpacked.path });
    return {
      mode: "core-btfhub",
      object,
      btfFile: unpacked.path,
      btfCustomPath: unpacked.procPath,
      kernelBtf: false,
      release: () => unpacked.close(),
    };
  }

  const nocore = join(
    input.installPath,
    nonCoreObjectName(input.os.kernelRelease, input.assets.version),
  );
  log.debug("BPF: no BTF file was found or provided");
  const bytes = vettedObject(nocore, allowInsecure, () =>
    new TraceeError(
      "BPF: could not load CO-RE eBPF object and could not find non CO-RE object",
      2,
      `build and install the non CO-RE object for this kernel with 'make install-bpf-nocore' (expected at ${nocore}), ` +
        "or set TRACEE_BTF_FILE to this kernel's BTF file (e.g. from BTFHub)",
    ));
  log.debug("BPF: trying non CO-RE eBPF", { file: nocore });
  return {
    mode: "nocore",
    object: { kind: "memory", bytes, name: basename(nocore) },
    kernelBtf: false,
    release: () => {},
  };
}
