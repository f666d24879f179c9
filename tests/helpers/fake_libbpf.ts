/**
 * A fake libbpf with the same shape as the real symbols: an object of programs and maps held in
 * memory, recording every call, with failures injectable per call name.
 */
import type { NativeLibs } from "../../ffi/libbpf.ts";
import type { LibbpfSymbols } from "../../ffi/libbpf_symbols.ts";
import type { LibcSymbols } from "../../ffi/libc_symbols.ts";

interface FakeProgram {
  name: string;
  section: string;
  autoload: boolean;
  nameBuf: Uint8Array<ArrayBuffer>;
  sectionBuf: Uint8Array<ArrayBuffer>;
  ptr: Deno.PointerObject;
}

interface FakeMap {
  name: string;
  valueSize: number;
  maxEntries: number;
  fd: number;
  initial?: Uint8Array;
  entries: Map<string, Uint8Array>;
  ptr: Deno.PointerObject;
}

const enc = new TextEncoder();
function cstr(s: string): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(s.length + 1);
  enc.encodeInto(s, b);
  return b;
}

/** Bytes of a buffer argument, whatever view type it came as. */
function bytesOf(b: AllowSharedBufferSource | null): Uint8Array {
  if (b === null) return new Uint8Array(0);
  if (b instanceof ArrayBuffer || b instanceof SharedArrayBuffer) return new Uint8Array(b);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

function readC(b: AllowSharedBufferSource | null): string {
  const bytes = bytesOf(b);
  const end = bytes.indexOf(0);
  return new TextDecoder().decode(bytes.subarray(0, end < 0 ? bytes.length : end));
}

function keyOf(b: Uint8Array | null): string {
  return b ? [...b].join(",") : "";
}

/** What the fake object contains and how it should fail. */
export interface FakeSpec {
  programs?: { name: string; section: string }[];
  maps?: { name: string; valueSize: number; maxEntries: number }[];
  /** call name → negative errno it returns (or NULL + this errno for pointer calls). */
  fail?: Record<string, number>;
}

/** The fake library and what happened to it. */
export class FakeLibbpf {
  readonly calls: string[] = [];
  readonly programs: FakeProgram[];
  readonly maps: FakeMap[];
  readonly links = new Set<bigint>();
  objectClosed = false;
  loaded = false;
  lastErrno = 0;
  #nextPtr = 0x1000n;
  readonly objPtr: Deno.PointerObject;
  readonly fail: Record<string, number>;

  constructor(spec: FakeSpec = {}) {
    this.fail = spec.fail ?? {};
    this.objPtr = this.#ptr();
    this.programs = (spec.programs ?? []).map((p) => {
      const nameBuf = cstr(p.name);
      const sectionBuf = cstr(p.section);
      return { ...p, autoload: true, nameBuf, sectionBuf, ptr: this.#ptr() };
    });
    this.maps = (spec.maps ?? []).map((m, i) => ({
      ...m,
      fd: 100 + i,
      entries: new Map(),
      ptr: this.#ptr(),
    }));
  }

  #ptr(): Deno.PointerObject {
    this.#nextPtr += 0x10n;
    return Deno.UnsafePointer.create(this.#nextPtr)!;
  }

  #prog(p: Deno.PointerValue): FakeProgram {
    const found = this.programs.find((x) => Deno.UnsafePointer.equals(x.ptr, p));
    if (!found) throw new Error("fake: unknown program pointer");
    return found;
  }

  #map(p: Deno.PointerValue): FakeMap {
    const found = this.maps.find((x) => Deno.UnsafePointer.equals(x.ptr, p));
    if (!found) throw new Error("fake: unknown map pointer");
    return found;
  }

  #failed(call: string): number {
    this.calls.push(call);
    const errno = this.fail[call];
    if (errno) this.lastErrno = errno;
    return errno ?? 0;
  }

  /** Value stored in a map under `key`. */
  entry(mapName: string, key: Uint8Array): Uint8Array | undefined {
    return this.maps.find((m) => m.name === mapName)?.entries.get(keyOf(key));
  }

  get symbols(): LibbpfSymbols {
    const s: LibbpfSymbols = {
      bpf_object__open_mem: () => (this.#failed("bpf_object__open_mem") ? null : this.objPtr),
      bpf_object__open_file: () => (this.#failed("bpf_object__open_file") ? null : this.objPtr),
      bpf_object__load: () => {
        const e = this.#failed("bpf_object__load");
        if (e) return -e;
        this.loaded = true;
        return 0;
      },
      bpf_object__close: () => {
        this.calls.push("bpf_object__close");
        this.objectClosed = true;
      },
      bpf_object__find_program_by_name: (_o, name) => {
        this.calls.push("bpf_object__find_program_by_name");
        return this.programs.find((p) => p.name === readC(name))?.ptr ?? null;
      },
      bpf_object__next_program: (_o, prev) => {
        if (prev === null) return this.programs[0]?.ptr ?? null;
        const i = this.programs.findIndex((p) => Deno.UnsafePointer.equals(p.ptr, prev));
        return this.programs[i + 1]?.ptr ?? null;
      },
      bpf_object__find_map_by_name: (_o, name) =>
        this.maps.find((m) => m.name === readC(name))?.ptr ?? null,
      bpf_program__name: (p) => Deno.UnsafePointer.of(this.#prog(p).nameBuf),
      bpf_program__section_name: (p) => Deno.UnsafePointer.of(this.#prog(p).sectionBuf),
      bpf_program__set_autoload: (p, on) => {
        this.calls.push(`set_autoload ${this.#prog(p).name} ${on}`);
        this.#prog(p).autoload = on;
        return 0;
      },
      bpf_program__autoload: (p) => this.#prog(p).autoload,
      bpf_program__attach: (p) => {
        const name = this.#prog(p).name;
        if (this.#failed(`attach ${name}`)) return null;
        const link = this.#ptr();
        this.links.add(Deno.UnsafePointer.value(link) as bigint);
        return link;
      },
      bpf_program__attach_tracepoint: (p, _cat, tp) => {
        const name = this.#prog(p).name;
        this.calls.push(`attach_tracepoint ${name} ${readC(tp)}`);
        if (this.#failed(`attach ${name} ${readC(tp)}`)) return null;
        const link = this.#ptr();
        this.links.add(Deno.UnsafePointer.value(link) as bigint);
        return link;
      },
      bpf_link__destroy: (l) => {
        this.calls.push("bpf_link__destroy");
        this.links.delete(Deno.UnsafePointer.value(l) as bigint);
        return 0;
      },
      bpf_map__fd: (m) => this.#map(m).fd,
      bpf_map__set_max_entries: (m, n) => {
        this.#map(m).maxEntries = n;
        return 0;
      },
      bpf_map__set_type: () => 0,
      bpf_map__max_entries: (m) => this.#map(m).maxEntries,
      bpf_map__value_size: (m) => this.#map(m).valueSize,
      bpf_map__set_initial_value: (m, data, size) => {
        const map = this.#map(m);
        if (Number(size) !== map.valueSize) return -22;
        map.initial = bytesOf(data).slice(0, Number(size));
        return 0;
      },
      bpf_map_update_elem: (fd, key, value) => {
        const e = this.#failed("bpf_map_update_elem");
        if (e) return -e;
        const map = this.maps.find((m) => m.fd === fd)!;
        map.entries.set(keyOf(bytesOf(key)), bytesOf(value).slice(0, map.valueSize));
        return 0;
      },
      bpf_map_lookup_elem: (fd, key, value) => {
        const map = this.maps.find((m) => m.fd === fd)!;
        const v = map.entries.get(keyOf(bytesOf(key)));
        if (!v) return -2;
        const out = bytesOf(value);
        out.set(v.subarray(0, out.length));
        return 0;
      },
      bpf_map_delete_elem: () => 0,
      ring_buffer__new: () => null,
      ring_buffer__poll: () => 0,
      ring_buffer__consume: () => 0,
      ring_buffer__epoll_fd: () => -1,
      ring_buffer__free: () => {},
      libbpf_set_print: () => null,
      libbpf_get_error: () => BigInt(-this.lastErrno),
      libbpf_num_possible_cpus: () => 2,
      libbpf_major_version: () => 1,
      libbpf_minor_version: () => 1,
    };
    return s;
  }

  /** NativeLibs around this fake (libc calls are not expected and throw). */
  libs(): NativeLibs {
    const libc = new Proxy({}, {
      get: (_t, name) => () => {
        throw new Error(`fake: unexpected libc call ${String(name)}`);
      },
    }) as LibcSymbols;
    return { libbpf: this.symbols, libc, close() {} };
  }
}
