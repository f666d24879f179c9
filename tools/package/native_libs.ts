/**
 * The build host's libbpf.so.1 and the shared libraries it needs that the runtime does not
 * already need (those come with glibc, which every target host has): what dist/tracee carries
 * for hosts without libbpf.
 */
import { basename } from "node:path";

/** A shared library to embed. */
export interface NativeLib {
  /** Its soname, the file name it gets in the package. */
  readonly name: string;
  /** Where it is on the build host. */
  readonly path: string;
}

/** libbpf and what it needs. */
export interface EmbeddedLibbpf {
  /** libbpf's version, from the name libbpf.so.1 resolves to (libbpf.so.1.1.2 → 1.1.2). */
  readonly version: string;
  /** libbpf.so.1 first, then its dependencies. */
  readonly libs: readonly NativeLib[];
}

function run(cmd: string, args: string[]): string {
  let out: Deno.CommandOutput;
  try {
    out = new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).outputSync();
  } catch (e) {
    throw new Error(`Cannot run ${cmd}: ${(e as Error).message}`);
  }
  if (!out.success) {
    throw new Error(`Cannot run ${cmd} ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  }
  return new TextDecoder().decode(out.stdout);
}

/** `name => path` pairs of `ldd file` (the vdso and the loader have no `=>` and are left out). */
export function lddDeps(file: string): NativeLib[] {
  return parseLdd(run("ldd", [file]));
}

/** Parses ldd's output. */
export function parseLdd(text: string): NativeLib[] {
  const out: NativeLib[] = [];
  for (const line of text.split("\n")) {
    const m = line.match(/^\s*(\S+) => (\/\S+) \(0x[0-9a-f]+\)$/);
    if (m) out.push({ name: m[1]!, path: m[2]! });
  }
  return out;
}

/**
 * Path of libbpf.so.1 for `arch` (as ldconfig names it: x86-64, AArch64) in the dynamic loader's
 * cache (`ldconfig -p`), or undefined.
 */
export function parseLdconfig(text: string, arch = "x86-64"): string | undefined {
  for (const line of text.split("\n")) {
    const m = line.match(/^\s*libbpf\.so\.1 \(([^)]*)\) => (\/\S+)$/);
    if (m && m[1]!.split(",").includes(arch)) return m[2];
  }
  return undefined;
}

/** The version in a libbpf file name (libbpf.so.1.1.2 → 1.1.2). */
export function libbpfVersion(realPath: string): string | undefined {
  return basename(realPath).match(/^libbpf\.so\.(\d+(?:\.\d+)*)$/)?.[1];
}

/** libbpf.so.1 of this host and the libraries it needs beyond `runtime`'s. */
export function findLibbpf(runtime: string): EmbeddedLibbpf {
  const arch = Deno.build.arch === "x86_64" ? "x86-64" : "AArch64";
  const path = parseLdconfig(run("ldconfig", ["-p"]), arch);
  if (!path) {
    throw new Error(
      "Cannot build dist/tracee: libbpf.so.1 is not installed (apt-get install libbpf1)",
    );
  }
  const real = Deno.realPathSync(path);
  const version = libbpfVersion(real);
  if (!version) {
    throw new Error(`Cannot build dist/tracee: no version in the name of ${real}`);
  }
  const base = new Set(lddDeps(runtime).map((l) => l.name));
  const deps = lddDeps(path).filter((l) => !base.has(l.name) && l.name !== "libbpf.so.1");
  return { version, libs: [{ name: "libbpf.so.1", path }, ...deps] };
}
