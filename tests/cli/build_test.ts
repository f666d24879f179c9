/** Make targets a user runs, where they fail: one clear line and exit 2. */
import assert from "node:assert/strict";
import { ROOT } from "../helpers/kernel.ts";

function make(args: string[]): { code: number; out: string } {
  const r = new Deno.Command("make", {
    args: ["--no-print-directory", "-C", ROOT, ...args],
    stdout: "piped",
    stderr: "piped",
  })
    .outputSync();
  const dec = new TextDecoder();
  return { code: r.code, out: (dec.decode(r.stdout) + dec.decode(r.stderr)).trim() };
}

function engineRunning(): boolean {
  for (const e of ["docker", "podman"]) {
    try {
      if (
        new Deno.Command(e, { args: ["info"], stdout: "null", stderr: "null" }).outputSync().success
      ) return true;
    } catch {
      // not installed
    }
  }
  return false;
}

Deno.test("tracee-make without any container engine: one line, exit 2", () => {
  const r = make(["-f", "builder/Makefile.tracee-make", "ubuntu-shell", "ENGINE="]);
  assert.equal(r.code, 2);
  assert.equal(r.out.split("\n").length, 1, r.out);
  assert.match(
    r.out,
    /Cannot use the tracee-make container: no container engine \(docker or podman\) is installed/,
  );
});

Deno.test({
  name: "make bpf DOCKER=1 with no engine answering: one line, exit 2",
  ignore: engineRunning(),
  fn: () => {
    const r = make(["bpf", "DOCKER=1"]);
    assert.equal(r.code, 2);
    assert.equal(r.out.split("\n").length, 1, r.out);
    assert.match(r.out, /Cannot use the tracee-make container: /);
  },
});
