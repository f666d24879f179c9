/**
 * Thin typed wrapper over libbpf: owns the object, program, link and map pointers, and funnels
 * every failure into a LibbpfError carrying the call name and errno name.
 *
 * Nothing here opens a library at import time: `loadLibbpf()` does, and tests pass a fake
 * with the same shape instead.
 */
import { errnoName } from "./errno.ts";
import { type LibbpfSymbols, libbpfSymbols } from "./libbpf_symbols.ts";
import { type LibcSymbols, libcSymbols } from "./libc_symbols.ts";

/** A libbpf call failed. */
export class LibbpfError extends Error {
  constructor(readonly call: string, readonly errno: number, detail?: string) {
    super(`${call}: ${errnoName(errno)}${detail ? ` (${detail})` : ""}`);
    this.name = "LibbpfError";
  }

  /** The errno name, e.g. "EPERM". */
  get errnoName(): string {
    return errnoName(this.errno);
  }
}

/** libbpf could not be opened at all. */
export class LibbpfMissingError extends Error {
  constructor(readonly tried: readonly string[], detail: string) {
    super(`Cannot load libbpf: tried ${tried.join(", ")}: ${detail}`);
    this.name = "LibbpfMissingError";
  }
}

/** Native libraries tracee talks to. */
export interface NativeLibs {
  readonly libbpf: LibbpfSymbols;
  readonly libc: LibcSymbols;
  close(): void;
}

/** Library names tried after LIBBPF_PATH, in order. */
export const LIBBPF_NAMES = ["libbpf.so.1", "libbpf.so", "/usr/lib64/libbpf.so.1"] as const;

/**
 * Opens libbpf (>= 1.0) and libc. `path` (or the LIBBPF_PATH environment variable) is tried
 * first, then LIBBPF_NAMES.
 */
export function loadNativeLibs(path?: string): NativeLibs {
  const override = path ?? Deno.env.get("LIBBPF_PATH");
  const tried = override ? [override] : [...LIBBPF_NAMES];
  let lastError = "not found";
  for (const name of tried) {
    let lib: Deno.DynamicLibrary<typeof libbpfSymbols>;
    try {
      lib = Deno.dlopen(name, libbpfSymbols);
    } catch (e) {
      lastError = (e as Error).message.split("\n")[0]!;
      continue;
    }
    const major = lib.symbols.libbpf_major_version();
    if (major < 1) {
      lib.close();
      lastError = `${name} is libbpf ${major}.x, 1.0 or later is needed`;
      continue;
    }
    const libc = Deno.dlopen("libc.so.6", libcSymbols);
    return {
      libbpf: lib.symbols,
      libc: libc.symbols,
      close() {
        lib.close();
        libc.close();
      },
    };
  }
  throw new LibbpfMissingError(tried, lastError);
}

/** Throws LibbpfError when a libbpf int result is negative; returns it otherwise. */
export function check(call: string, ret: number): number {
  if (ret < 0) throw new LibbpfError(call, -ret);
  return ret;
}

/** Throws LibbpfError when a libbpf pointer result is NULL (errno read right after the call). */
export function checkPtr(
  lib: LibbpfSymbols,
  call: string,
  ptr: Deno.PointerValue,
  detail?: string,
): Deno.PointerObject {
  if (ptr === null) {
    const err = Number(lib.libbpf_get_error(null));
    throw new LibbpfError(call, err === 0 ? 22 : -err, detail);
  }
  return ptr;
}

const encoder = new TextEncoder();

/** A NUL-terminated copy of `s` for passing to C. */
export function cString(s: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(encoder.encode(s).length + 1);
  encoder.encodeInto(s, bytes);
  return bytes;
}

/** The text in a C buffer up to its first NUL. */
export function bufferText(buf: Uint8Array): string {
  const end = buf.indexOf(0);
  return new TextDecoder().decode(end < 0 ? buf : buf.subarray(0, end));
}

/** Reads a C string (or "" for NULL). */
export function readCString(ptr: Deno.PointerValue): string {
  return ptr === null ? "" : Deno.UnsafePointerView.getCString(ptr);
}

/**
 * struct bpf_object_open_opts (libbpf 1.x, x86_64): field offsets in bytes.
 * tests/unit/ffi_layout_test.ts compiles them against <bpf/libbpf.h>.
 */
export const OPEN_OPTS = {
  size: 80,
  sz: 0,
  object_name: 8,
  btf_custom_path: 48,
  kernel_log_buf: 56,
  kernel_log_size: 64,
  kernel_log_level: 72,
} as const;

/** Options for opening an object. */
export interface OpenOptions {
  /** Name libbpf uses in its messages and map names. */
  readonly objectName?: string;
  /** BTF used for CO-RE relocations instead of /sys/kernel/btf/vmlinux. */
  readonly btfCustomPath?: string;
  /**
   * Buffer for the kernel's verifier log of a failed program load (libbpf then does not print
   * it). Kernels >= 6.4 keep the log's tail when it does not fit.
   */
  readonly kernelLogBuf?: Uint8Array<ArrayBuffer>;
}

function openOpts(options: OpenOptions, keep: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const buf = new Uint8Array(OPEN_OPTS.size);
  const dv = new DataView(buf.buffer);
  dv.setBigUint64(OPEN_OPTS.sz, BigInt(OPEN_OPTS.size), true);
  const setString = (offset: number, s: string | undefined) => {
    if (s === undefined) return;
    const c = cString(s);
    keep.push(c);
    dv.setBigUint64(offset, BigInt(Deno.UnsafePointer.value(Deno.UnsafePointer.of(c))), true);
  };
  setString(OPEN_OPTS.object_name, options.objectName);
  setString(OPEN_OPTS.btf_custom_path, options.btfCustomPath);
  if (options.kernelLogBuf) {
    keep.push(options.kernelLogBuf);
    const ptr = Deno.UnsafePointer.of(options.kernelLogBuf);
    dv.setBigUint64(OPEN_OPTS.kernel_log_buf, BigInt(Deno.UnsafePointer.value(ptr)), true);
    dv.setBigUint64(OPEN_OPTS.kernel_log_size, BigInt(options.kernelLogBuf.byteLength), true);
  }
  return buf;
}

/** A BPF map of an object. */
export class BpfMap {
  constructor(
    private readonly lib: LibbpfSymbols,
    readonly name: string,
    readonly ptr: Deno.PointerObject,
  ) {}

  /** The map's fd (after load). */
  get fd(): number {
    return check(`bpf_map__fd(${this.name})`, this.lib.bpf_map__fd(this.ptr));
  }

  get maxEntries(): number {
    return this.lib.bpf_map__max_entries(this.ptr);
  }

  get valueSize(): number {
    return this.lib.bpf_map__value_size(this.ptr);
  }

  /** Sets the number of entries (before load). */
  setMaxEntries(n: number): void {
    check(`bpf_map__set_max_entries(${this.name})`, this.lib.bpf_map__set_max_entries(this.ptr, n));
  }

  /** Sets the map's type (enum bpf_map_type), before load. */
  setType(type: number): void {
    check(`bpf_map__set_type(${this.name})`, this.lib.bpf_map__set_type(this.ptr, type));
  }

  /** Replaces the initial contents of a global-data map (.rodata), before load. */
  setInitialValue(data: Uint8Array<ArrayBuffer>): void {
    check(
      `bpf_map__set_initial_value(${this.name})`,
      this.lib.bpf_map__set_initial_value(this.ptr, data, BigInt(data.byteLength)),
    );
  }

  update(key: Uint8Array<ArrayBuffer>, value: Uint8Array<ArrayBuffer>, flags = 0n): void {
    check(
      `bpf_map_update_elem(${this.name})`,
      this.lib.bpf_map_update_elem(this.fd, key, value, flags),
    );
  }

  /** Fills `value`; returns false when the key is absent. */
  lookup(key: Uint8Array<ArrayBuffer>, value: Uint8Array<ArrayBuffer>): boolean {
    const ret = this.lib.bpf_map_lookup_elem(this.fd, key, value);
    if (ret === -2) return false;
    check(`bpf_map_lookup_elem(${this.name})`, ret);
    return true;
  }
}

/** An attached program; destroy() detaches it. */
export class BpfLink {
  #ptr: Deno.PointerObject | null;
  constructor(
    private readonly lib: LibbpfSymbols,
    readonly program: string,
    ptr: Deno.PointerObject,
  ) {
    this.#ptr = ptr;
  }

  get attached(): boolean {
    return this.#ptr !== null;
  }

  destroy(): void {
    if (this.#ptr === null) return;
    const ptr = this.#ptr;
    this.#ptr = null;
    check(`bpf_link__destroy(${this.program})`, this.lib.bpf_link__destroy(ptr));
  }
}

/** A program of an object. */
export class BpfProgram {
  constructor(
    private readonly lib: LibbpfSymbols,
    readonly name: string,
    readonly sectionName: string,
    readonly ptr: Deno.PointerObject,
  ) {}

  get autoload(): boolean {
    return this.lib.bpf_program__autoload(this.ptr);
  }

  /** Whether load() loads this program (before load). */
  setAutoload(on: boolean): void {
    check(
      `bpf_program__set_autoload(${this.name})`,
      this.lib.bpf_program__set_autoload(this.ptr, on),
    );
  }

  attach(): BpfLink {
    const ptr = checkPtr(
      this.lib,
      `bpf_program__attach(${this.name})`,
      this.lib.bpf_program__attach(this.ptr),
    );
    return new BpfLink(this.lib, this.name, ptr);
  }

  /** Attaches to the tracepoint `category:name` (whatever the program's section names). */
  attachTracepoint(category: string, name: string): BpfLink {
    const ptr = checkPtr(
      this.lib,
      `bpf_program__attach_tracepoint(${this.name}, ${category}:${name})`,
      this.lib.bpf_program__attach_tracepoint(this.ptr, cString(category), cString(name)),
    );
    return new BpfLink(this.lib, this.name, ptr);
  }
}

/** An opened (then loaded) BPF object. close() frees it and everything it holds. */
export class BpfObject {
  #ptr: Deno.PointerObject | null;
  readonly #keep: Uint8Array[];

  private constructor(
    private readonly lib: LibbpfSymbols,
    ptr: Deno.PointerObject,
    keep: Uint8Array[],
  ) {
    this.#ptr = ptr;
    this.#keep = keep;
  }

  /** Opens an object from bytes in memory. */
  static openMem(
    lib: LibbpfSymbols,
    bytes: Uint8Array<ArrayBuffer>,
    options: OpenOptions = {},
  ): BpfObject {
    const keep: Uint8Array[] = [bytes];
    const opts = openOpts(options, keep);
    const ptr = checkPtr(
      lib,
      "bpf_object__open_mem",
      lib.bpf_object__open_mem(bytes, BigInt(bytes.byteLength), opts),
    );
    return new BpfObject(lib, ptr, keep);
  }

  /** Opens an object file. */
  static openFile(lib: LibbpfSymbols, path: string, options: OpenOptions = {}): BpfObject {
    const keep: Uint8Array[] = [];
    const opts = openOpts(options, keep);
    const ptr = checkPtr(
      lib,
      "bpf_object__open_file",
      lib.bpf_object__open_file(cString(path), opts),
      path,
    );
    return new BpfObject(lib, ptr, keep);
  }

  get ptr(): Deno.PointerObject {
    if (this.#ptr === null) throw new Error("Cannot use BPF object: it is closed");
    return this.#ptr;
  }

  /** Every program in the object, in section order. */
  programs(): BpfProgram[] {
    const out: BpfProgram[] = [];
    let p = this.lib.bpf_object__next_program(this.ptr, null);
    while (p !== null) {
      out.push(
        new BpfProgram(
          this.lib,
          readCString(this.lib.bpf_program__name(p)),
          readCString(this.lib.bpf_program__section_name(p)),
          p,
        ),
      );
      p = this.lib.bpf_object__next_program(this.ptr, p);
    }
    return out;
  }

  /** The program with this function name; throws LibbpfError(ENOENT) when absent. */
  program(name: string): BpfProgram {
    const p = this.lib.bpf_object__find_program_by_name(this.ptr, cString(name));
    if (p === null) throw new LibbpfError(`bpf_object__find_program_by_name(${name})`, 2);
    return new BpfProgram(this.lib, name, readCString(this.lib.bpf_program__section_name(p)), p);
  }

  /** The map with this name; throws LibbpfError(ENOENT) when absent. */
  map(name: string): BpfMap {
    const ptr = this.lib.bpf_object__find_map_by_name(this.ptr, cString(name));
    if (ptr === null) throw new LibbpfError(`bpf_object__find_map_by_name(${name})`, 2);
    return new BpfMap(this.lib, name, ptr);
  }

  /** Loads maps and programs into the kernel (verifier runs here). */
  load(): void {
    check("bpf_object__load", this.lib.bpf_object__load(this.ptr));
  }

  close(): void {
    if (this.#ptr === null) return;
    const ptr = this.#ptr;
    this.#ptr = null;
    this.lib.bpf_object__close(ptr);
    this.#keep.length = 0;
  }
}
