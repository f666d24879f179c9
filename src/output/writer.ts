/** Buffered line output: many events per write() so output never dominates the hot path. */

/** Where lines go (Deno.stdout, a file, or a test buffer). */
export interface SyncWriter {
  writeSync(p: Uint8Array): number;
}

/** The reader of our output went away (e.g. `tracee | head`). */
export class OutputClosedError extends Error {
  constructor() {
    super("Cannot write events: the output was closed");
    this.name = "OutputClosedError";
  }
}

const encoder = new TextEncoder();

/** Collects lines and writes them in large chunks. */
export class LineWriter {
  #parts: string[] = [];
  #size = 0;
  lines = 0;

  constructor(private readonly out: SyncWriter, private readonly limit = 1 << 16) {}

  line(s: string): void {
    this.#parts.push(s);
    this.#size += s.length + 1;
    this.lines++;
    if (this.#size >= this.limit) this.flush();
  }

  flush(): void {
    if (this.#parts.length === 0) return;
    this.#parts.push("");
    const bytes = encoder.encode(this.#parts.join("\n"));
    this.#parts = [];
    this.#size = 0;
    let off = 0;
    try {
      while (off < bytes.length) off += this.out.writeSync(bytes.subarray(off));
    } catch (e) {
      if (e instanceof Deno.errors.BrokenPipe) throw new OutputClosedError();
      throw e;
    }
  }
}
