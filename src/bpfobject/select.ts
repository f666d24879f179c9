/**
 * Chooses the eBPF object to load and logs the choice with Tracee's debug lines.
 */
import { NotSupportedError } from "../errors.ts";
import { logger } from "../log/logger.ts";
import type { ObjectSource } from "../runtime/tracer.ts";
import type { EmbeddedAssets } from "./assets.ts";

/** The object chosen, and the BTF (if any) its CO-RE relocations use. */
export interface ObjectChoice {
  readonly object: ObjectSource;
  readonly btfCustomPath?: string;
  /** Whether the running kernel exposes its BTF (tp_btf programs can attach). */
  readonly kernelBtf: boolean;
}

/** Path of the running kernel's BTF. */
export const VMLINUX_BTF = "/sys/kernel/btf/vmlinux";

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Picks the embedded CO-RE object for a kernel with BTF. */
export function selectObject(assets: EmbeddedAssets): ObjectChoice {
  const log = logger("initialize");
  const vmlinux = exists(VMLINUX_BTF);
  log.debug("BTF", { bpfenv: false, btfenv: false, vmlinux });
  if (!assets.coreObject) {
    throw new NotSupportedError(
      "Cannot load the CO-RE eBPF object: this build of tracee has none embedded",
    );
  }
  log.debug("BPF: using embedded BPF object");
  return {
    object: { kind: "memory", bytes: assets.coreObject, name: "tracee.bpf.core.o" },
    kernelBtf: vmlinux,
  };
}
