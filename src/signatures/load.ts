/**
 * The signatures of a run: the built-in ones, then every .ts/.js module and CEL .yaml/.yml file
 * directly in each --signatures-dir (sorted by name). Directories and files are opened once and
 * vetted as eBPF objects are (root-owned, writable by no group or other user, no link an
 * untrusted user could own), and what was vetted is what is loaded. Any problem is one error
 * naming the file, before tracee touches the kernel.
 */
import { openTrustedDir } from "../trust/trusted_open.ts";
import { builtinSignatures } from "./builtin/index.ts";
import { isModuleFile, moduleSignatures } from "./modules.ts";
import { SignatureRegistry } from "./registry.ts";
import type { Signature } from "./signature.ts";

const CEL_EXTENSIONS = [".yaml", ".yml"];

/** Whether `name` is a file a signatures directory is read for. */
function isSignatureFile(name: string): boolean {
  return !name.startsWith(".") &&
    (isModuleFile(name) || CEL_EXTENSIONS.some((ext) => name.endsWith(ext)));
}

/** The signatures of one file's vetted bytes. */
async function fileSignatures(path: string, bytes: Uint8Array): Promise<Signature[]> {
  if (isModuleFile(path)) return await moduleSignatures(path, bytes);
  // the CEL engine is loaded only for runs that have CEL rules (it is most of a run's heap)
  const { celSignatures } = await import("./cel/cel_signatures.ts");
  return celSignatures(path, new TextDecoder().decode(bytes));
}

/** The built-in signatures, and those of `dirs`. */
export async function loadSignatures(dirs: readonly string[]): Promise<SignatureRegistry> {
  const registry = new SignatureRegistry();
  for (const s of builtinSignatures) registry.add(s, "builtin");
  for (const dir of dirs) {
    const d = openTrustedDir(dir, { what: "signatures directory" });
    try {
      for (const name of d.names().filter(isSignatureFile)) {
        const f = d.openFile(name, "signature");
        try {
          const path = `${dir.replace(/\/+$/, "")}/${name}`;
          for (const s of await fileSignatures(path, f.bytes())) registry.add(s, path);
        } finally {
          f.close();
        }
      }
    } finally {
      d.close();
    }
  }
  return registry;
}
