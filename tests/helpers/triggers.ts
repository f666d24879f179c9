/** Triggers for signature tests: small programs run as children, reporting their pid. */

/**
 * Runs python3 code in a child; returns the child's pid (its exit ends a detectWhile run) and
 * the lines it printed after it.
 */
export function pythonSpawn(code: string): { pid: number; out: string[] } {
  const out = new Deno.Command("python3", {
    args: ["-c", `import os,sys\nprint(os.getpid(), flush=True)\n${code}`],
    stdout: "piped",
    stderr: "piped",
  }).outputSync();
  if (!out.success) {
    throw new Error(`trigger failed: ${new TextDecoder().decode(out.stderr).trim()}`);
  }
  const [pid, ...rest] = new TextDecoder().decode(out.stdout).trimEnd().split("\n");
  return { pid: Number(pid), out: rest };
}

/** Runs a shell command in a child sh; returns its pid. */
export function shSpawn(script: string): { pid: number } {
  const out = new Deno.Command("sh", {
    args: ["-c", `echo $$; ${script}`],
    stdout: "piped",
    stderr: "piped",
  }).outputSync();
  if (!out.success) {
    throw new Error(`trigger failed: ${new TextDecoder().decode(out.stderr).trim()}`);
  }
  return { pid: Number(new TextDecoder().decode(out.stdout).split("\n")[0]) };
}
