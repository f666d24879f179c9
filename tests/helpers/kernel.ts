/**
 * Kernel tests: they run when the host can load eBPF (root, BTF, built object); otherwise they
 * are skipped, except under TRACEE_REQUIRE_BPF=1 (CI), where they fail with the reason.
 */

import assert from "node:assert/strict";
import { pathExists } from "../../src/path_exists.ts";

export const ROOT = new URL("../../", import.meta.url).pathname;
export const CORE_OBJECT = `${ROOT}dist/tracee.bpf.core.o`;
export const TRACEE_BIN = `${ROOT}dist/tracee`;

/** Why kernel tests cannot run here, or undefined when they can. */
export function bpfUnavailable(): string | undefined {
  if (Deno.uid() !== 0) return "not root";
  if (!pathExists("/sys/kernel/btf/vmlinux")) return "no /sys/kernel/btf/vmlinux";
  if (!pathExists(CORE_OBJECT)) return `${CORE_OBJECT} not built (run make)`;
  if (!pathExists(TRACEE_BIN)) return `${TRACEE_BIN} not built (run make)`;
  return undefined;
}

const required = Deno.env.get("TRACEE_REQUIRE_BPF") === "1";

/**
 * Registers `fn`, or, when `why` says what is missing, a skipped test naming it (a failing one
 * under TRACEE_REQUIRE_BPF=1): never a test that passes without running.
 */
function registerUnless(why: string | undefined, name: string, fn: () => Promise<void> | void) {
  if (why === undefined) {
    Deno.test({ name, fn, sanitizeResources: false, sanitizeOps: false });
  } else if (required) {
    Deno.test(name, () => {
      throw new Error(`TRACEE_REQUIRE_BPF=1 but eBPF is unavailable: ${why}`);
    });
  } else {
    Deno.test({ name: `${name} (skipped: ${why})`, ignore: true, fn });
  }
}

/** Registers a test that needs the kernel. */
export function kernelTest(name: string, fn: () => Promise<void> | void): void {
  registerUnless(bpfUnavailable(), name, fn);
}

/** Registers a test that reads build outputs (dist/…): skipped, or failed in CI, when unbuilt. */
export function builtTest(name: string, files: string[], fn: () => Promise<void> | void): void {
  const missing = files.find((f) => !pathExists(f));
  registerUnless(missing && `${missing} not built (run make)`, name, fn);
}

/** A unique name for files the test triggers on. */
export function uniqueName(tag: string): string {
  return `tracee-test-${tag}-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
}

/** eBPF programs and links a process holds open (by id), read from /proc/<pid>/fdinfo. */
export interface HeldBpf {
  readonly progs: ReadonlySet<number>;
  readonly links: ReadonlySet<number>;
}

/**
 * What `pid` holds now. Other tracees may run on the host: a test looks only at the objects its
 * own tracee held, not at every program named tracee_*.
 */
export function bpfHeldBy(pid: number): HeldBpf {
  const progs = new Set<number>();
  const links = new Set<number>();
  for (const fd of Deno.readDirSync(`/proc/${pid}/fdinfo`)) {
    let info: string;
    try {
      info = Deno.readTextFileSync(`/proc/${pid}/fdinfo/${fd.name}`);
    } catch {
      continue; // closed meanwhile
    }
    const link = /^link_id:\s+(\d+)$/m.exec(info);
    const prog = /^prog_id:\s+(\d+)$/m.exec(info);
    if (link) links.add(Number(link[1]));
    else if (prog) progs.add(Number(prog[1]));
  }
  return { progs, links };
}

/** Which of `held` are still in the kernel: program names and the number of links. */
export function stillInKernel(held: HeldBpf): { progs: string[]; links: number } {
  const run = (args: string[]) => {
    const out = new Deno.Command("bpftool", { args, stdout: "piped", stderr: "null" }).outputSync();
    return JSON.parse(new TextDecoder().decode(out.stdout) || "[]") as Record<string, unknown>[];
  };
  const progs = run(["-j", "prog", "list"]).filter((p) => held.progs.has(Number(p.id)));
  const links = run(["-j", "link", "list"]).filter((l) => held.links.has(Number(l.id)));
  return { progs: progs.map((p) => String(p.name)), links: links.length };
}

/**
 * The objects in `held` left once the kernel has finished freeing them: it frees programs
 * asynchronously after their last fd closes, so this polls for up to `ms`.
 */
export async function ourKernelObjectsAfterRelease(
  held: HeldBpf,
  ms = 5000,
): Promise<{ progs: string[]; links: number }> {
  assert.ok(held.progs.size > 0, "the programs were held while tracing");
  const end = Date.now() + ms;
  let now = stillInKernel(held);
  while ((now.progs.length > 0 || now.links > 0) && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 100));
    now = stillInKernel(held);
  }
  return now;
}

/** The kernel's tracefs syscall events directory (tracefs mounted if it is not). */
export function tracefsSyscalls(): string {
  const dir = "/sys/kernel/tracing/events/syscalls";
  try {
    Deno.statSync(dir);
  } catch {
    new Deno.Command("mount", { args: ["-t", "tracefs", "nodev", "/sys/kernel/tracing"] })
      .outputSync();
  }
  return dir;
}

/** Runs a command to completion (the trigger of an event). */
export function trigger(cmd: string, args: string[]): { code: number } {
  const out = new Deno.Command(cmd, { args, stdout: "null", stderr: "null" }).outputSync();
  return { code: out.code };
}
