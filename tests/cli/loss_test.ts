/**
 * Exact loss accounting as a user sees it: a one-page ring, a syscall storm and a reader that
 * stalls (nobody reads tracee's stdout until the storm is over). Every syscall the storm issued
 * is either printed or counted lost, to the event; the exit summary names every reason.
 */
import assert from "node:assert/strict";
import { buildC } from "../helpers/cc.ts";
import { kernelTest, ROOT, TRACEE_BIN } from "../helpers/kernel.ts";
import { pump } from "../helpers/tracee_process.ts";

/** Storm size: a multiple of loadgen's batch of 64. */
const STORM = 64 * 1000;
/** Name the storm runs under; tracee's scope picks it (15 characters at most). */
const COMM = `tr-loss-${Deno.pid % 100000}`;

/** Waits for a line of `lines` satisfying `pred`. */
async function lineOf(
  lines: string[],
  pred: (l: string) => boolean,
  what: string,
): Promise<string> {
  const end = Date.now() + 15000;
  while (Date.now() < end) {
    const hit = lines.find(pred);
    if (hit !== undefined) return hit;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`Timed out waiting for ${what}; have:\n${lines.slice(-10).join("\n")}`);
}

kernelTest(
  "a one-page ring under a storm with a stalled reader: issued = printed + lost, exactly",
  async () => {
    const dir = Deno.makeTempDirSync({ prefix: "tracee-loss-" });
    const loadgen = `${dir}/loadgen`;
    buildC(`${ROOT}bench/loadgen.c`, loadgen, ["-O2", "-lpthread"]);

    const tracee = new Deno.Command(TRACEE_BIN, {
      args: [
        "-o",
        "json",
        "--log",
        "debug",
        "--ring-buffer-size",
        "1",
        "--events",
        "getppid",
        "--scope",
        `comm=${COMM}`,
      ],
      stdout: "piped",
      stderr: "piped",
      stdin: "null",
    }).spawn();
    const stderr: string[] = [];
    const stderrDone = pump(tracee.stderr, stderr);
    const stdout: string[] = [];
    let stdoutDone: Promise<void> | undefined;
    try {
      await lineOf(stderr, (l) => l.includes('"msg":"BPF: attached"'), "tracee to attach");

      // The storm, while nobody reads tracee's output: once the pipe is full, tracee stalls.
      const gen = new Deno.Command(loadgen, {
        args: ["-n", String(STORM), "-t", "1", "-c", COMM],
        stdin: "piped",
        stdout: "piped",
      }).spawn();
      const genOut: string[] = [];
      const genDone = pump(gen.stdout, genOut);
      await lineOf(genOut, (l) => l.startsWith("ready "), "loadgen");
      const w = gen.stdin.getWriter();
      await w.write(new TextEncoder().encode("go\n"));
      await w.close();
      assert.equal((await gen.status).code, 0);
      await genDone;
      const issued = JSON.parse(genOut.find((l) => l.startsWith("{"))!).issued;
      assert.equal(issued, STORM, "loadgen issued exactly the storm");

      // Now read what tracee printed, and stop it.
      stdoutDone = pump(tracee.stdout, stdout);
      await new Promise((r) => setTimeout(r, 500));
      tracee.kill("SIGINT");
      assert.equal((await tracee.status).code, 0, stderr.join("\n"));
      await Promise.all([stdoutDone, stderrDone]);

      const printed = stdout.map((l) =>
        JSON.parse(l)
      ).filter((e) => e.eventName === "getppid" && e.processName === COMM).length;
      assert.equal(printed, stdout.length, "nothing else was printed");
      const summary = stderr.find((l) =>
        l.startsWith("tracee: ")
      )!;
      const m =
        /^tracee: (\d+) events received, (\d+) lost in kernel, (\d+) lost in user space \(ring buffer full: (\d+), execve stash full: (\d+), execve pending at thread exit: (\d+), execve without its exit: (\d+), undecodable: (\d+)\)$/
          .exec(summary);
      assert.ok(m, summary);
      const [received, lostKernel, lostUser, ring, stash, exit, orphan, undecodable] = m.slice(1)
        .map(Number);
      assert.equal(received, printed, "every record received was printed");
      assert.ok(ring > 0, `the ring overflowed (${summary})`);
      assert.equal(received + lostKernel, issued, `issued = received + lost: ${summary}`);
      assert.deepEqual([lostKernel, lostUser], [ring, 0]);
      assert.deepEqual([stash, exit, orphan, undecodable], [0, 0, 0, 0]);

      const losses = stderr.filter((l) => l.startsWith("{")).map((l) => JSON.parse(l))
        .find((l) => l.msg === "Loss counts");
      assert.deepEqual(
        {
          submitted: losses.kernel_submitted,
          received: losses.received,
          ring: losses.lost_ring,
          stash: losses.lost_stash,
          exit: losses.lost_stash_exit,
          orphan: losses.lost_stash_orphan,
          undecodable: losses.lost_undecodable,
        },
        { submitted: received, received, ring, stash: 0, exit: 0, orphan: 0, undecodable: 0 },
      );
    } finally {
      try {
        tracee.kill("SIGKILL");
      } catch {
        // already gone
      }
      await tracee.status;
      if (!stdoutDone) await tracee.stdout.cancel();
      Deno.removeSync(dir, { recursive: true });
    }
  },
);
