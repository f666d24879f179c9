/** Reads the regular files of a (ustar/GNU) tar archive held in memory. */

/** One file of an archive. */
export interface TarEntry {
  readonly name: string;
  readonly data: Uint8Array;
}

const BLOCK = 512;

function field(header: Uint8Array, at: number, len: number): string {
  const raw = header.subarray(at, at + len);
  const end = raw.indexOf(0);
  return new TextDecoder().decode(end < 0 ? raw : raw.subarray(0, end));
}

/** Regular files in `archive`, in order. Throws on a truncated or malformed archive. */
export function tarFiles(archive: Uint8Array): TarEntry[] {
  const out: TarEntry[] = [];
  let longName: string | undefined;
  for (let at = 0; at + BLOCK <= archive.length;) {
    const header = archive.subarray(at, at + BLOCK);
    if (header.every((b) => b === 0)) break;
    const size = parseInt(field(header, 124, 12).trim() || "0", 8);
    if (!Number.isFinite(size) || size < 0) {
      throw new Error("Cannot read tar archive: bad size field");
    }
    const type = String.fromCharCode(header[156]!);
    const prefix = field(header, 345, 155);
    const base = field(header, 0, 100);
    const dataStart = at + BLOCK;
    if (dataStart + size > archive.length) throw new Error("Cannot read tar archive: truncated");
    const data = archive.subarray(dataStart, dataStart + size);
    if (type === "L") {
      longName = new TextDecoder().decode(data).replace(/\0.*$/s, "");
    } else {
      if (type === "0" || type === "\0") {
        out.push({ name: longName ?? (prefix ? `${prefix}/${base}` : base), data });
      }
      longName = undefined;
    }
    at = dataStart + Math.ceil(size / BLOCK) * BLOCK;
  }
  return out;
}
