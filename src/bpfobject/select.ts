/**
 * Chooses the eBPF object to load, first match wins (seeds 000/001):
 *  1. TRACEE_BPF_FILE: that object (with TRACEE_BTF_FILE for its relocations, if set);
 *  2. /sys/kernel/btf/vmlinux exists, or TRACEE_BTF_FILE is set: the embedded CO-RE object;
 *  3. an embedded BTFHub BTF for this exact OS and kernel: unpacked, then the CO-RE object;
 *  4. the non CO-RE object <install-path>/tracee.bpf.<release>.<version>.o;
 *  5. none: an error naming both ways out.
 * Each step logs Tracee's debug line. Every file is vetted (owner, permissions, format) and the
 * bytes vetted are the bytes loaded.
 */
import { basename, join } from "node:path";
import { fileErrorText, TraceeError } from "../errors.ts";
import { logger } from "../log/logger.ts";
import type { OsInfo } from "../osinfo/osinfo.ts";
import type { ObjectSource } from "../runtime/tracer.ts";
import type { EmbeddedAssets } from "./assets.ts";
import { findBtfhubArchive, unpackBtfhubArchive } from "./btfhub.ts";
import { checkBtfFile, elfSections, ObjectFormatError } from "./elf.ts";
import { requireTrusted } from "./trust.ts";
import { pathExists } from "../path_exists.ts";

/** Path of the running kernel's BTF. */
export const VMLINUX_BTF = "/sys/kernel/btf/vmlinux";

/** How the object was chosen. */
export type ObjectMode = "env" | "core" | "core-btf-env" | "core-btfhub" | "nocore";

/** The object chosen, and the BTF (if any) its CO-RE relocations use. */
export interface ObjectChoice {
  readonly mode: ObjectMode;
  readonly object: ObjectSource;
  readonly btfCustomPath?: string;
  /** Whether the running kernel exposes its BTF (tp_btf programs can attach). */
  readonly kernelBtf: boolean;
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

function readOrThrow(path: string, what: string): Uint8Array<ArrayBuffer> {
  try {
    return Deno.readFileSync(path);
  } catch (e) {
    throw new TraceeError(`Cannot load ${what} ${path}: ${fileErrorText(e)}`, 2);
  }
}

/** Reads an object file after vetting owner/permissions, and checks it is an eBPF ELF. */
function vettedObject(path: string, allowInsecure: boolean): Uint8Array<ArrayBuffer> {
  requireTrusted(path, "eBPF object", allowInsecure);
  const bytes = readOrThrow(path, "eBPF object");
  try {
    elfSections(bytes);
  } catch (e) {
    if (e instanceof ObjectFormatError) {
      throw new TraceeError(`Cannot load eBPF object ${path}: ${e.message}`, 2);
    }
    throw e;
  }
  return bytes;
}

/** Vets a BTF file (owner/permissions and format). */
function vetBtf(path: string, allowInsecure: boolean): void {
  try {
    Deno.statSync(path);
  } catch {
    throw new TraceeError(
      `Cannot load BTF file ${path}: could not open TRACEE_BTF_FILE ${path}`,
      2,
    );
  }
  requireTrusted(path, "BTF file", allowInsecure);
  try {
    checkBtfFile(readOrThrow(path, "BTF file"));
  } catch (e) {
    if (e instanceof ObjectFormatError) {
      throw new TraceeError(`Cannot load BTF file ${path}: ${e.message}`, 2);
    }
    throw e;
  }
}

/** Picks the object per the chain above. */
export async function selectObject(input: SelectInput): Promise<ObjectChoice> {
  const log = logger("initialize");
  const bpfFile = input.bpfFile || undefined;
  const btfFile = input.btfFile || undefined;
  const { vmlinux, allowInsecure } = input;
  log.debug("BTF", { bpfenv: bpfFile !== undefined, btfenv: btfFile !== undefined, vmlinux });

  if (bpfFile !== undefined) {
    if (!pathExists(bpfFile)) {
      throw new TraceeError(
        `Cannot load eBPF object: could not open TRACEE_BPF_FILE ${bpfFile}`,
        2,
      );
    }
    const bytes = vettedObject(bpfFile, allowInsecure);
    if (btfFile !== undefined) vetBtf(btfFile, allowInsecure);
    log.debug("BPF: using BPF object from environment", { file: bpfFile });
    return {
      mode: "env",
      object: { kind: "memory", bytes, name: basename(bpfFile) },
      btfCustomPath: btfFile,
      kernelBtf: vmlinux,
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

  if (btfFile !== undefined) {
    vetBtf(btfFile, allowInsecure);
    log.debug("BTF: using BTF file from environment", { file: btfFile });
  }
  if (vmlinux || btfFile !== undefined) {
    log.debug("BPF: using embedded BPF object");
    return {
      mode: btfFile ? "core-btf-env" : "core",
      object: core(),
      btfCustomPath: btfFile,
      kernelBtf: vmlinux,
    };
  }

  const archive = findBtfhubArchive(input.assets, input.os);
  if (archive) {
    const object = core();
    const path = await unpackBtfhubArchive(
      archive.bytes,
      input.os.kernelRelease,
      input.installPath,
      allowInsecure,
    );
    log.debug("BTF: using BTF file from embedded btfhub", { file: path });
    return { mode: "core-btfhub", object, btfCustomPath: path, kernelBtf: false };
  }

  const nocore = join(
    input.installPath,
    nonCoreObjectName(input.os.kernelRelease, input.assets.version),
  );
  log.debug("BPF: no BTF file was found or provided");
  if (!pathExists(nocore)) {
    throw new TraceeError(
      "BPF: could not load CO-RE eBPF object and could not find non CO-RE object",
      2,
      `build and install the non CO-RE object for this kernel with 'make install-bpf-nocore' (expected at ${nocore}), ` +
        "or set TRACEE_BTF_FILE to this kernel's BTF file (e.g. from BTFHub)",
    );
  }
  const bytes = vettedObject(nocore, allowInsecure);
  log.debug("BPF: trying non CO-RE eBPF", { file: nocore });
  return {
    mode: "nocore",
    object: { kind: "memory", bytes, name: basename(nocore) },
    kernelBtf: false,
  };
}
