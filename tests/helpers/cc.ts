/** Compiles and runs a small C program with the host compiler; returns its stdout. */
export function compileAndRun(source: string, includeDirs: string[] = []): string {
  const dir = Deno.makeTempDirSync({ prefix: "tracee-cc-" });
  try {
    const src = `${dir}/probe.c`;
    const bin = `${dir}/probe`;
    Deno.writeTextFileSync(src, source);
    const cc = ["cc", "clang", "gcc"].find((c) => {
      try {
        return new Deno.Command(c, { args: ["--version"], stdout: "null", stderr: "null" })
          .outputSync().success;
      } catch {
        return false;
      }
    });
    if (!cc) {
      throw new Error("Cannot compile the layout probe: no C compiler (cc, clang, gcc) found");
    }
    const build = new Deno.Command(cc, {
      args: [...includeDirs.map((d) => `-I${d}`), "-o", bin, src],
      stderr: "piped",
    }).outputSync();
    if (!build.success) {
      throw new Error(`Cannot compile the layout probe: ${new TextDecoder().decode(build.stderr)}`);
    }
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
