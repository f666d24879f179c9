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

/**
 * python code that runs `body` with C set to the pid of a sleeping child (a fork: the same
 * memory layout), then ends the child and prints its pid.
 */
export function withChild(body: string): string {
  return "import time\nC = os.fork()\nif C == 0: time.sleep(30); os._exit(0)\n" +
    `${body}\nos.kill(C, 9)\nos.waitpid(C, 0)\nprint(C)`;
}

/**
 * python code that copies /bin/true to `path` and runs it there in a child (a program known by
 * that name), then prints the child's pid.
 */
export function runAs(path: string): string {
  return `import shutil\nshutil.copy('/bin/true', '${path}')\nc = os.fork()\n` +
    `if c == 0: os.execv('${path}', ['${path}'])\nos.waitpid(c, 0)\nprint(c)`;
}
