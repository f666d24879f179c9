/** The process tree fed by the real kernel's fork/exec/exit, emitted as internal events. */
import assert from "node:assert/strict";
import { eventByName } from "../../src/events/table.ts";
import { ProcessTree } from "../../src/proctree/process_tree.ts";
import { kernelTest } from "../helpers/kernel.ts";
import { traceWhile } from "../helpers/trace_in_process.ts";

const TREE_EVENTS = ["sched_process_fork", "sched_process_exec", "sched_process_exit"].map((n) =>
  eventByName(n)!
);

kernelTest(
  "process tree: a grandchild's ancestors with their binaries and names, from internal events",
  async () => {
    const tree = new ProcessTree();
    tree.seed();
    const inner =
      `/usr/bin/python3 -c 'import os,json; print(json.dumps([os.getpid(), os.getppid()]))'; true`;
    const { seen, acted } = await traceWhile(
      ["getppid"],
      () => {
        const out = new Deno.Command("/bin/sh", { args: ["-c", `/bin/sh -c "${inner}"; true`] })
          .outputSync();
        return JSON.parse(new TextDecoder().decode(out.stdout)) as [number, number];
      },
      (e) => TREE_EVENTS.includes(e.def),
      (s, [pid]) => s.some((e) => e.def.name === "sched_process_exit" && e.hostProcessId === pid),
      { internalEvents: TREE_EVENTS },
    );
    for (const e of seen) {
      assert.equal(e.policiesLo | e.policiesHi, 0, "internal events match no policy");
      tree.apply(e);
    }
    const [pid, ppid] = acted;
    const me = tree.get(pid)!;
    assert.equal(me.comm, "python3");
    assert.equal(me.binary, Deno.realPathSync("/usr/bin/python3"));
    assert.notEqual(me.exitedAt, undefined, "its exit was seen");
    const up = tree.ancestors(pid);
    assert.equal(up[0]!.pid, ppid);
    assert.deepEqual(
      up.slice(0, 2).map((p) => [p.comm, p.binary]),
      [["sh", Deno.realPathSync("/bin/sh")], ["sh", Deno.realPathSync("/bin/sh")]],
    );
    assert.equal(up[2]!.pid, Deno.pid, "then the test process, known from /proc");
  },
);
