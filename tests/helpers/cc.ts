/** The host C compiler (cc, clang or gcc). */
function hostCompiler(): string {
  const cc = ["cc", "clang", "gcc"].find((c) => {
    try {
      return new Deno.Command(c, { args: ["--version"], stdout: "null", stderr: "null" })
        .outputSync().success;
    } catch {
      return false;
    }
  });
  if (!cc) throw new Error("Cannot compile a test program: no C compiler (cc, clang, gcc) found");
  return cc;
}

/** Compiles `src` (a C file) to `bin` with the host compiler and `args`. */
export function buildC(src: string, bin: string, args: string[] = []): void {
  const build = new Deno.Command(hostCompiler(), {
    args: [...args, "-o", bin, src],
    stderr: "piped",
  })
    .outputSync();
  if (!build.success) {
    throw new Error(`Cannot compile ${src}: ${new TextDecoder().decode(build.stderr)}`);
  }
}

/** Compiles and runs a small C program with the host compiler; returns its stdout. */
export function compileAndRun(source: string, includeDirs: string[] = []): string {
  const dir = Deno.makeTempDirSync({ prefix: "tracee-cc-" });
  try {
    const src = `${dir}/probe.c`;
    const bin = `${dir}/probe`;
    Deno.writeTextFileSync(src, source);
    buildC(src, bin, includeDirs.map((d) => `-I${d}`));
    const run = new Deno.Command(bin, { stdout: "piped" }).outputSync();
    return new TextDecoder().decode(run.stdout);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

/** C source printing `name=value` for each offsetof/sizeof expression given. */
export function offsetProbe(includes: string[], checks: Record<string, string>): string {
  return [
    "#include <stdio.h>",
    "#include <stddef.h>",
    ...includes.map((i) => `#include ${i}`),
    "int main(void) {",
    ...Object.entries(checks).map(([k, expr]) =>
      `  printf("%s=%zu\\n", "${k}", (size_t)(${expr}));`
    ),
    "  return 0;",
    "}",
  ].join("\n");
}

/** Parses the probe's `name=value` lines. */
export function parseProbe(out: string): Record<string, number> {
  const r: Record<string, number> = {};
  for (const line of out.trim().split("\n")) {
    const [k, v] = line.split("=");
    r[k!] = Number(v);
  }
  return r;
}
