/**
 * User signature modules (.ts or .js in --signatures-dir): a module's default export is a
 * signature or an array of them (or it exports `signatures`). The module is imported from the
 * bytes tracee checked and read (a data: URL), never again by path, so it must be self-contained:
 * helpers come with each event's context (ctx.helpers), types from src/signatures/signature.ts.
 */
import { UsageError } from "../errors.ts";
import type { Signature } from "./signature.ts";

const MEDIA_TYPES: Readonly<Record<string, string>> = {
  ".ts": "application/typescript",
  ".js": "text/javascript",
};

/** Whether a file name is a signature module. */
export function isModuleFile(name: string): boolean {
  return Object.keys(MEDIA_TYPES).some((ext) => name.endsWith(ext));
}

function base64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(s);
}

/** The first line of an error message (module errors can span several). */
function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split("\n")[0]!.trim();
}

/** Imports the module whose source is `bytes` (read from `file`) and returns its signatures. */
export async function moduleSignatures(file: string, bytes: Uint8Array): Promise<Signature[]> {
  const ext = Object.keys(MEDIA_TYPES).find((x) => file.endsWith(x));
  if (!ext) throw new UsageError(`Cannot load signature module ${file}: not a .ts or .js file`);
  let mod: Record<string, unknown>;
  try {
    mod = await import(`data:${MEDIA_TYPES[ext]};base64,${base64(bytes)}`);
  } catch (e) {
    throw new UsageError(`Cannot load signature module ${file}: ${firstLine(e)}`);
  }
  const exported = mod.default ?? mod.signatures;
  if (exported === undefined) {
    throw new UsageError(
      `Cannot load signature module ${file}: it exports no signature (export default one, or an array)`,
    );
  }
  return (Array.isArray(exported) ? exported : [exported]) as Signature[];
}
