/** /etc/os-release, read as Tracee (libbpfgo) does: LIBBPFGO_OSRELEASE_FILE overrides the path. */

/** Default location of the os-release file. */
export const OS_RELEASE_PATH = "/etc/os-release";

/** The os-release file to read: LIBBPFGO_OSRELEASE_FILE or /etc/os-release. */
export function osReleasePath(
  env: (k: string) => string | undefined = (k) => Deno.env.get(k),
): string {
  return env("LIBBPFGO_OSRELEASE_FILE") || OS_RELEASE_PATH;
}

/** KEY=value pairs of an os-release file, values exactly as written (quotes kept). */
export function parseOsRelease(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    if (eq <= 0) continue;
    out.set(line.slice(0, eq), line.slice(eq + 1));
  }
  return out;
}

/** A value without its surrounding quotes. */
export function unquote(v: string | undefined): string {
  if (v === undefined) return "";
  if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0]) {
    return v.slice(1, -1);
  }
  return v;
}
