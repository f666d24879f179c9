/**
 * Routes libbpf's messages (libbpf_set_print) to a callback, one line at a time. libbpf hands
 * over a printf format and a va_list; vsnprintf from libc renders them.
 */
import type { NativeLibs } from "./libbpf.ts";

/** libbpf_print_level. */
export type LibbpfLevel = "warn" | "info" | "debug";
const LEVELS: readonly LibbpfLevel[] = ["warn", "info", "debug"];

const PRINT_FN = { parameters: ["i32", "pointer", "pointer"], result: "i32" } as const;

/** Installs `sink` as libbpf's printer; dispose() restores libbpf's default (stderr) printer. */
export function routeLibbpfPrint(
  libs: NativeLibs,
  sink: (level: LibbpfLevel, line: string) => void,
): { dispose(): void } {
  const buf = new Uint8Array(16384);
  const decoder = new TextDecoder();
  const callback = new Deno.UnsafeCallback(PRINT_FN, (level, fmt, ap) => {
    const n = libs.libc.vsnprintf(buf, BigInt(buf.length), fmt, ap);
    if (n <= 0) return 0;
    const text = decoder.decode(buf.subarray(0, Math.min(n, buf.length - 1)));
    const lvl = LEVELS[level] ?? "debug";
    for (const line of text.split("\n")) if (line.trim() !== "") sink(lvl, line.trimEnd());
    return 0;
  });
  libs.libbpf.libbpf_set_print(callback.pointer);
  return {
    dispose() {
      libs.libbpf.libbpf_set_print(null);
      callback.close();
    },
  };
}
