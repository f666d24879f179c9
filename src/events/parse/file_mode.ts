/** File modes (mode_t) as passed to open(2), mknod(2), chmod(2): a file type and permissions. */

/** S_IFMT: the bits holding the file type. */
const S_IFMT = 0o170000;

/** The permission bits, setuid, setgid and sticky included. */
const PERMISSION_BITS = 0o7777;

/** Octal digits after the leading zero for the permissions: "644" in "0644". */
const PERMISSION_DIGITS = 3;

/** Radix the permissions print in. */
const OCTAL = 8;

/** The file types, `mode & S_IFMT` (linux/stat.h). */
export const FILE_TYPES: ReadonlyMap<number, string> = new Map([
  [0o140000, "S_IFSOCK"],
  [0o120000, "S_IFLNK"],
  [0o100000, "S_IFREG"],
  [0o060000, "S_IFBLK"],
  [0o040000, "S_IFDIR"],
  [0o020000, "S_IFCHR"],
  [0o010000, "S_IFIFO"],
]);

/** An octal literal with a leading zero and at least four digits: 0o644 → "0644". */
function octal(n: number): string {
  return `0${n.toString(OCTAL).padStart(PERMISSION_DIGITS, "0")}`;
}

/**
 * A file mode: the type's name, if any, then the permissions in octal, e.g. 0o100644 →
 * `S_IFREG|0644`, 0o644 → `0644`, 0o4755 → `04755`, 0 → `0000`. A type no name fits, or bits
 * above S_IFMT, print the whole mode as one octal literal. Only the low 32 bits count.
 */
export function fileMode(v: number): string {
  const mode = v >>> 0;
  const permissions = octal(mode & PERMISSION_BITS);
  const type = mode & S_IFMT;
  const stray = (mode & ~(S_IFMT | PERMISSION_BITS)) >>> 0;
  if (stray !== 0) return octal(mode);
  if (type === 0) return permissions;
  const name = FILE_TYPES.get(type);
  return name === undefined ? octal(mode) : `${name}|${permissions}`;
}
