/**
 * A minimal root for running dist/tracee as on a freshly installed machine: only the host's glibc
 * (the files Deno and cat link against), cat, /etc/os-release and empty /proc, /sys, /dev, /tmp.
 * No Deno, no node_modules, no libbpf, no checkout.
 */
import { dirname, join } from "node:path";
import { lddDeps } from "../../tools/package/native_libs.ts";
import { ROOT } from "./kernel.ts";
import { inMountNs } from "./tracee_process.ts";

/** The loader line of ldd (`/lib64/ld-linux-x86-64.so.2 (0x...)`). */
function loaderOf(file: string): string[] {
  const out = new Deno.Command("ldd", { args: [file], stdout: "piped" }).outputSync();
  return [...new TextDecoder().decode(out.stdout).matchAll(/^\s*(\/\S+) \(0x[0-9a-f]+\)$/gm)]
    .map((m) => m[1]!);
}

function copyInto(root: string, path: string, mode?: number): void {
  const to = join(root, path);
  Deno.mkdirSync(dirname(to), { recursive: true });
  Deno.copyFileSync(Deno.realPathSync(path), to);
  if (mode !== undefined) Deno.chmodSync(to, mode);
}

/** Builds the root in a new 0700 temporary directory and returns its path. */
export function makeCleanRoot(): string {
  const root = Deno.makeTempDirSync({ prefix: "tracee-clean-root-" });
  for (const d of ["proc", "sys", "dev", "etc", "bin"]) Deno.mkdirSync(join(root, d));
  Deno.mkdirSync(join(root, "tmp"));
  Deno.chmodSync(join(root, "tmp"), 0o1777);
  const cat = Deno.realPathSync("/bin/cat");
  const libs = new Set<string>();
  for (const bin of [`${ROOT}node_modules/deno/deno`, cat]) {
    for (const l of lddDeps(bin)) libs.add(l.path);
    for (const l of loaderOf(bin)) libs.add(l);
  }
  for (const l of libs) copyInto(root, l);
  Deno.copyFileSync(cat, join(root, "bin/cat"));
  Deno.chmodSync(join(root, "bin/cat"), 0o755);
  Deno.copyFileSync(Deno.realPathSync("/etc/os-release"), join(root, "etc/os-release"));
  return root;
}

/** Every file under `root` (paths relative to it). */
export function filesUnder(root: string, dir = ""): string[] {
  const out: string[] = [];
  for (const e of Deno.readDirSync(join(root, dir))) {
    const rel = join(dir, e.name);
    if (e.isDirectory) out.push(...filesUnder(root, rel));
    else out.push(rel);
  }
  return out;
}

/**
 * A command prefix for TraceeProcess/runTracee: in a private mount namespace with /proc, /sys
 * and /dev mounted in `root`, `chroot root ./tracee <args>` (the host path of dist/tracee that
 * the helpers put first is dropped).
 */
export function inCleanRoot(root: string): string[] {
  return inMountNs(
    `mount -t proc proc ${root}/proc && mount --rbind /sys ${root}/sys && ` +
      `mount --rbind /dev ${root}/dev && shift && exec chroot ${root} ./tracee "$@"`,
  );
}
