/** Tracee's behavioural signatures, rewritten in TypeScript: one file each, upstream's ids. */
import type { Signature } from "../signature.ts";
import antiDebugging from "./anti_debugging.ts";
import dynamicCodeLoading from "./dynamic_code_loading.ts";
import filelessExecution from "./fileless_execution.ts";

/** Every built-in signature. */
export const builtinSignatures: readonly Signature[] = [
  antiDebugging,
  dynamicCodeLoading,
  filelessExecution,
];
