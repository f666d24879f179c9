/**
 * Just enough ELF64 to vet an eBPF object before libbpf sees it: that it is a whole eBPF ELF
 * file, which program sections it has, and how many CO-RE relocations (.BTF.ext) it carries.
 */

/** The file is not a usable eBPF object. */
export class ObjectFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ObjectFormatError";
  }
}

/** One section header. */
export interface ElfSection {
  readonly name: string;
  readonly type: number;
  readonly flags: number;
  readonly offset: number;
  readonly size: number;
}

const EM_BPF = 247;
const SHT_NOBITS = 8;
const SHF_EXECINSTR = 0x4;
const BTF_MAGIC = 0xeb9f;

function u64(dv: DataView, at: number): number {
  return dv.getUint32(at + 4, true) * 2 ** 32 + dv.getUint32(at, true);
}

/**
 * Section headers of an ELF64 little-endian eBPF object (of any machine with `anyMachine`);
 * throws ObjectFormatError otherwise.
 */
export function elfSections(bytes: Uint8Array, anyMachine = false): ElfSection[] {
  if (
    bytes.length < 64 || bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c ||
    bytes[3] !== 0x46
  ) {
    throw new ObjectFormatError("not an ELF file");
  }
  if (bytes[4] !== 2 || bytes[5] !== 1) {
    throw new ObjectFormatError("not a 64-bit little-endian ELF file");
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const machine = dv.getUint16(18, true);
  if (machine !== EM_BPF && !anyMachine) {
    throw new ObjectFormatError(`an ELF file for machine ${machine}, not eBPF`);
  }
  const shoff = u64(dv, 40);
  const shentsize = dv.getUint16(58, true);
  const shnum = dv.getUint16(60, true);
  const shstrndx = dv.getUint16(62, true);
  if (
    shentsize < 64 || shnum === 0 || shoff + shnum * shentsize > bytes.length || shstrndx >= shnum
  ) {
    throw new ObjectFormatError("truncated (section headers past the end of the file)");
  }
  const raw = [];
  for (let i = 0; i < shnum; i++) {
    const at = shoff + i * shentsize;
    const s = {
      nameOff: dv.getUint32(at, true),
      type: dv.getUint32(at + 4, true),
      flags: u64(dv, at + 8),
      offset: u64(dv, at + 24),
      size: u64(dv, at + 32),
    };
    if (s.type !== SHT_NOBITS && s.offset + s.size > bytes.length) {
      throw new ObjectFormatError("truncated (a section runs past the end of the file)");
    }
    raw.push(s);
  }
  const strtab = raw[shstrndx]!;
  const name = (off: number) => {
    let end = strtab.offset + off;
    while (end < strtab.offset + strtab.size && bytes[end] !== 0) end++;
    return new TextDecoder().decode(bytes.subarray(strtab.offset + off, end));
  };
  return raw.map((s) => ({
    name: name(s.nameOff),
    type: s.type,
    flags: s.flags,
    offset: s.offset,
    size: s.size,
  }));
}

/** Names of the sections holding programs (SEC("...") names), e.g. "raw_tracepoint/sys_enter". */
export function programSections(sections: readonly ElfSection[]): string[] {
  return sections.filter((s) => (s.flags & SHF_EXECINSTR) !== 0 && s.name !== ".text" && s.size > 0)
    .map((s) => s.name);
}

/** Number of CO-RE relocation records in the object's .BTF.ext (0 when it has none). */
export function coreRelocationCount(bytes: Uint8Array, sections: readonly ElfSection[]): number {
  const ext = sections.find((s) => s.name === ".BTF.ext");
  if (!ext) return 0;
  const dv = new DataView(bytes.buffer, bytes.byteOffset + ext.offset, ext.size);
  if (ext.size < 24 || dv.getUint16(0, true) !== BTF_MAGIC) {
    throw new ObjectFormatError("corrupt .BTF.ext section");
  }
  const hdrLen = dv.getUint32(4, true);
  if (hdrLen < 32) return 0; // header predates CO-RE relocations
  const reloOff = hdrLen + dv.getUint32(24, true);
  const reloLen = dv.getUint32(28, true);
  if (reloLen === 0) return 0;
  if (reloOff + reloLen > ext.size) throw new ObjectFormatError("corrupt .BTF.ext section");
  const recordSize = dv.getUint32(reloOff, true);
  let count = 0;
  for (let at = reloOff + 4; at + 8 <= reloOff + reloLen;) {
    const n = dv.getUint32(at + 4, true);
    count += n;
    at += 8 + n * recordSize;
  }
  return count;
}

/** Throws ObjectFormatError unless `bytes` is a raw BTF blob or an ELF file with a .BTF section. */
export function checkBtfFile(bytes: Uint8Array): void {
  if (bytes.length >= 4 && bytes[0] === 0x7f && bytes[1] === 0x45) {
    let sections: ElfSection[];
    try {
      sections = elfSections(bytes, true);
    } catch (e) {
      throw new ObjectFormatError(`not a BTF file (${(e as Error).message})`);
    }
    if (!sections.some((s) => s.name === ".BTF")) {
      throw new ObjectFormatError("an ELF file without a .BTF section");
    }
    return;
  }
  if (bytes.length < 24) throw new ObjectFormatError("not a BTF file (too short)");
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dv.getUint16(0, true) !== BTF_MAGIC) {
    throw new ObjectFormatError("not a BTF file (bad magic)");
  }
  const hdrLen = dv.getUint32(4, true);
  const typeEnd = hdrLen + dv.getUint32(8, true) + dv.getUint32(12, true);
  const strEnd = hdrLen + dv.getUint32(16, true) + dv.getUint32(20, true);
  if (typeEnd > bytes.length || strEnd > bytes.length) {
    throw new ObjectFormatError("truncated BTF file");
  }
}
