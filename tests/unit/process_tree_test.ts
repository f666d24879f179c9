import assert from "node:assert/strict";
import type { ArgValue, TraceeEvent } from "../../src/decode/event.ts";
import { ProcessTree, type ProcSource } from "../../src/proctree/process_tree.ts";
import { type EventFields, syntheticEvent } from "../helpers/synthetic_event.ts";

/** An event of `name` from host process `pid` (parent unknown) with these arguments. */
function ev(
  name: string,
  pid: number,
  args: Record<string, ArgValue>,
  extra: EventFields = {},
): TraceeEvent {
  return syntheticEvent(name, args, {
    processId: pid,
    parentProcessId: 0,
    hostParentProcessId: 0,
    processName: "x",
    policiesLo: 0,
    ...extra,
  });
}

const fork = (parent: number, child: number, tid = child) =>
  ev("sched_process_fork", parent, { parent_pid: parent, child_pid: child, child_tid: tid });
const exec = (pid: number, ppid: number, comm: string, path: string, argv: string[]) =>
  ev("sched_process_exec", pid, { pathname: path, argv }, {
    processName: comm,
    hostParentProcessId: ppid,
  });
const exit = (pid: number, group = true) =>
  ev("sched_process_exit", pid, { process_group_exit: group });

const fakeProc: ProcSource = {
  pids: () => [1, 100],
  stat: (pid) => pid === 1 ? { ppid: 0, comm: "systemd" } : { ppid: 1, comm: "sshd" },
  exe: (pid) => pid === 1 ? "/usr/lib/systemd/systemd" : "/usr/sbin/sshd",
  cmdline: (pid) => pid === 1 ? ["/sbin/init"] : ["sshd", "-D"],
  mntns: () => 4026531841,
};

Deno.test("seeded from /proc, then forks and execs: ancestors with binary and comm", () => {
  const t = new ProcessTree();
  t.seed(fakeProc);
  t.apply(fork(100, 200));
  t.apply(exec(200, 100, "bash", "/usr/bin/bash", ["bash"]));
  t.apply(fork(200, 300));
  t.apply(exec(300, 200, "cat", "/usr/bin/cat", ["cat", "/etc/shadow"]));
  assert.deepEqual(
    t.ancestors(300).map((p) => [p.pid, p.comm, p.binary]),
    [[200, "bash", "/usr/bin/bash"], [100, "sshd", "/usr/sbin/sshd"], [
      1,
      "systemd",
      "/usr/lib/systemd/systemd",
    ]],
  );
  assert.deepEqual(t.get(300)?.argv, ["cat", "/etc/shadow"]);
  assert.equal(t.stats.seeded, 2);
});

Deno.test("a forked child has its parent's binary until it execs; a new thread is no process", () => {
  const t = new ProcessTree();
  t.seed(fakeProc);
  t.apply(fork(100, 100, 101));
  assert.equal(t.get(101), undefined);
  t.apply(fork(100, 150));
  assert.equal(t.get(150)?.binary, "/usr/sbin/sshd");
  assert.equal(t.get(150)?.comm, "sshd");
});

Deno.test("exited processes expire after their time to live; running ones stay", () => {
  let now = 1000;
  const t = new ProcessTree({ exitedTtlMs: 50, now: () => now });
  t.apply(fork(1, 10));
  t.apply(fork(1, 11));
  t.apply(exit(10, false));
  assert.equal(t.get(10)?.exitedAt, undefined, "a thread's exit is not the process's");
  t.apply(exit(10));
  assert.equal(t.get(10)?.exitedAt, 1000);
  now = 1040;
  t.apply(fork(1, 12));
  assert.ok(t.get(10), "still within its time to live: late events find it");
  now = 1051;
  t.apply(fork(1, 13));
  assert.equal(t.get(10), undefined);
  assert.ok(t.get(11));
  assert.equal(t.stats.expired, 1);
});

Deno.test("the tree never holds more than its bound: exited processes go first", () => {
  const t = new ProcessTree({ maxEntries: 3, now: () => 0, exitedTtlMs: 1e9 });
  t.apply(fork(1, 10));
  t.apply(fork(1, 11));
  t.apply(exit(10));
  t.apply(fork(1, 12));
  t.apply(fork(1, 13));
  assert.equal(t.size, 3);
  assert.equal(t.get(10), undefined, "the exited one was evicted");
  t.apply(fork(1, 14));
  assert.equal(t.size, 3);
  assert.equal(t.get(11), undefined, "then the least recently changed");
  assert.equal(t.stats.evicted, 2);
});

Deno.test("a reused pid is a new process; ancestry stops at a loop", () => {
  const t = new ProcessTree({ now: () => 0 });
  t.apply(fork(1, 10));
  t.apply(exit(10));
  t.apply(fork(1, 10));
  assert.equal(t.get(10)?.exitedAt, undefined);
  t.apply(exec(20, 21, "a", "/a", []));
  t.apply(exec(21, 20, "b", "/b", []));
  assert.deepEqual(t.ancestors(20).map((p) => p.pid), [21]);
});

Deno.test("mount namespaces: seeded, inherited at fork, the process's own after exec", () => {
  const t = new ProcessTree();
  t.seed(fakeProc);
  assert.equal(t.get(100)?.mntns, 4026531841);
  t.apply(fork(100, 200));
  assert.equal(t.get(200)?.mntns, 4026531841, "a child starts in its parent's");
  t.apply(ev("sched_process_exec", 200, { pathname: "/x" }, { mountNamespace: 4026532000 }));
  assert.equal(t.get(200)?.mntns, 4026532000);
});
