/**
 * `-o option:exec-hash`: sched_process_exec gains a `sha256` argument, the digest of the binary
 * that was executed, read through /proc/<pid>/exe (the process's own view, containers included)
 * and else its path. Digests are cached by device, inode and change time, so a busy binary is
 * hashed once; an unreadable file gives an empty string.
 */
import { createHash } from "node:crypto";
import type { TraceeEvent } from "../decode/event.ts";

/** Reads a file's bytes (injectable for tests). */
export type FileReader = (path: string) => Uint8Array | undefined;

const readFile: FileReader = (path) => {
  try {
    return Deno.readFileSync(path);
  } catch {
    return undefined;
  }
};

/** Adds sha256 to sched_process_exec events. */
export class ExecHasher {
  readonly #cache = new Map<string, string>();
  hashed = 0;

  constructor(private readonly read: FileReader = readFile, private readonly maxEntries = 4096) {}

  enrich(e: TraceeEvent): void {
    if (e.def.name !== "sched_process_exec") return;
    const arg = (n: string) => e.args.find((a) => a.name === n)?.value;
    const key = `${arg("dev")}:${arg("inode")}:${arg("ctime")}`;
    let digest = this.#cache.get(key);
    if (digest === undefined) {
      const bytes = this.read(`/proc/${e.hostProcessId}/exe`) ??
        this.read(String(arg("pathname") ?? ""));
      digest = bytes ? createHash("sha256").update(bytes).digest("hex") : "";
      this.hashed++;
      if (this.#cache.size >= this.maxEntries) this.#cache.delete(this.#cache.keys().next().value!);
      this.#cache.set(key, digest);
    }
    e.args.push({ name: "sha256", type: "const char*", value: digest });
  }
}
