/**
 * Every record carries its own context, and every execve the kernel cannot deliver is counted
 * with its reason: proven on the real kernel with the kernel's own counters.
 */
import assert from "node:assert/strict";
import { cliPolicy } from "../../src/filters/cli_policy.ts";
import type { KernelCounts } from "../../src/runtime/counters.ts";
import type { Tracer } from "../../src/runtime/tracer.ts";
import { buildC } from "../helpers/cc.ts";
import { kernelTest, ROOT, uniqueName } from "../helpers/kernel.ts";
import { arg, python, traceWhile } from "../helpers/trace_in_process.ts";

/** enum bpf_map_type: a plain hash map, which refuses new keys when full (an LRU never does). */
const BPF_MAP_TYPE_HASH = 1;
/** x86_64 syscall numbers. */
const SYS_EXECVEAT = 322;

function taskCtxKey(tid: number): Uint8Array<ArrayBuffer> {
  const key = new Uint8Array(4);
  new DataView(key.buffer).setUint32(0, tid, true);
  return key;
}

function cached(t: Tracer, tid: number): boolean {
  const map = t.object.map("task_ctxs");
  return map.lookup(taskCtxKey(tid), new Uint8Array(map.valueSize));
}

kernelTest(
  "a context the per-thread cache cannot keep: every record still carries its own process's ids",
  async () => {
    const marker = uniqueName("ctx");
    const opener = (i: number) =>
      python<{ pid: number; tid: number; path: string }>(
        `import os,json,threading; p=${
          JSON.stringify(`/tmp/${marker}-${i}`)
        }; os.close(os.open(p, os.O_RDONLY|os.O_CREAT, 0o600)); os.unlink(p); ` +
          `print(json.dumps({"pid": os.getpid(), "tid": threading.get_native_id(), "path": p}))`,
      );
    const { seen, acted } = await traceWhile(
      ["openat"],
      () => [0, 1, 2, 3].map(opener),
      (e) => String(arg(e, "pathname")).includes(marker),
      (s) => s.length >= 4,
      {
        // One slot that is never evicted: most threads' contexts cannot be cached at all.
        beforeLoad: (t) => {
          const m = t.object.map("task_ctxs");
          m.setType(BPF_MAP_TYPE_HASH);
          m.setMaxEntries(1);
        },
      },
    );
    assert.equal(seen.length, 4);
    for (const a of acted) {
      const e = seen.find((x) => arg(x, "pathname") === a.path)!;
      assert.ok(e, `the openat of ${a.path}`);
      assert.deepEqual(
        [e.hostProcessId, e.processId, e.hostThreadId, e.threadId, e.processName],
        [a.pid, a.pid, a.tid, a.tid, "python3"],
        a.path,
      );
    }
  },
);

kernelTest("a thread's exit drops its cached context; a live thread keeps its own", async () => {
  const marker = uniqueName("exit");
  const script = `import os,sys,threading,time
def touch(p):
    os.close(os.open(p, os.O_RDONLY|os.O_CREAT, 0o600)); os.unlink(p)
t = threading.Thread(target=touch, args=(${JSON.stringify(`/tmp/${marker}-thread`)},))
t.start(); t.join(); time.sleep(0.1)
touch(${JSON.stringify(`/tmp/${marker}-main`)})
sys.stdin.read()
`;
  const tids = new Map<string, number>();
  const cachedNow = new Map<string, boolean>();
  let child: Deno.ChildProcess | undefined;
  try {
    await traceWhile(
      ["openat"],
      // started once tracing is on, so its opens are seen
      () => {
        child = new Deno.Command("python3", { args: ["-c", script], stdin: "piped" }).spawn();
      },
      (e) => {
        const path = String(arg(e, "pathname"));
        if (!path.includes(marker)) return false;
        tids.set(path.endsWith("-main") ? "main" : "thread", e.hostThreadId);
        return true;
      },
      (s) => s.length >= 2,
      {
        inspect: (t) => {
          for (const [which, tid] of tids) cachedNow.set(which, cached(t, tid));
        },
      },
    );
  } finally {
    await child?.stdin.close();
    await child?.status;
  }
  assert.equal(tids.size, 2);
  assert.notEqual(tids.get("thread"), tids.get("main"));
  assert.equal(cachedNow.get("main"), true, "the main thread, still running, has its context");
  assert.equal(cachedNow.get("thread"), false, "the thread that exited has none");
});

/** tests/helpers/ptrace_exec.c, built once per run. */
const ptraceExec = (() => {
  let bin: string | undefined;
  return () => {
    if (!bin) {
      bin = `${Deno.makeTempDirSync({ prefix: "tracee-ptrace-" })}/ptrace_exec`;
      buildC(`${ROOT}tests/helpers/ptrace_exec.c`, bin);
    }
    return bin;
  };
})();

/**
 * Runs `prog` under ptrace_exec rewriting orig_rax to `origRax` at its first exec stop, with
 * execve (and execveat) traced for the helper and its descendants only; returns the kernel's
 * counters and the execve events of the child.
 */
async function stashRun(
  origRax: number,
  prog: string[],
  expectEvents: number,
): Promise<{ counts: KernelCounts; execs: string[] }> {
  let counts: KernelCounts | undefined;
  const policies = cliPolicy({
    events: ["execve", "execveat"],
    filters: [],
    scopes: ["comm=tracee-ptrace", "follow"],
  }).set;
  const { seen, acted } = await traceWhile(
    ["execve", "execveat"],
    () => {
      const out = new Deno.Command(ptraceExec(), {
        args: [String(origRax), ...prog],
        stdout: "piped",
      }).outputSync();
      return JSON.parse(new TextDecoder().decode(out.stdout)) as { child: number; status: number };
    },
    (e, a) => e.hostProcessId === a.child,
    (s) => s.length >= expectEvents,
    { policies, counts: (c) => (counts = c) },
  );
  assert.equal(acted.status, 0, "the traced program ran to its end");
  return { counts: counts!, execs: seen.map((e) => `${e.def.name} ${arg(e, "pathname")}`) };
}

kernelTest(
  "an execve whose sys_exit is not its own (orig_rax rewritten to -1): counted at thread exit",
  async () => {
    const { counts, execs } = await stashRun(-1, ["/bin/true"], 0);
    assert.deepEqual(execs, [], "not delivered");
    assert.deepEqual(
      [counts.lostStashExit, counts.lostStashOrphan, counts.lostStash, counts.lostRing],
      [1, 0, 0, 0],
    );
  },
);

kernelTest(
  "an execve whose sys_exit is another capture syscall's (execveat): counted as orphaned",
  async () => {
    const { counts, execs } = await stashRun(SYS_EXECVEAT, ["/bin/true"], 0);
    assert.deepEqual(execs, [], "neither execve nor a bogus execveat delivered");
    assert.deepEqual(
      [counts.lostStashOrphan, counts.lostStashExit, counts.lostStash, counts.lostRing],
      [1, 0, 0, 0],
    );
  },
);

kernelTest(
  "an execve still pending at the thread's next execve: counted as orphaned, the next delivered",
  async () => {
    const { counts, execs } = await stashRun(-1, ["/bin/sh", "-c", "exec /bin/true"], 1);
    assert.deepEqual(execs, ["execve /bin/true"]);
    assert.deepEqual(
      [counts.lostStashOrphan, counts.lostStashExit, counts.lostStash, counts.lostRing],
      [1, 0, 0, 0],
    );
    assert.equal(counts.submitted, 1, "exactly the one execve delivered");
  },
);
