/** Loads the real CO-RE object into the running kernel and decodes events of real syscalls. */
import assert from "node:assert/strict";
import type { TraceeEvent } from "../../src/decode/event.ts";
import {
  bpfHeldBy,
  type HeldBpf,
  kernelTest,
  ourKernelObjectsAfterRelease,
  trigger,
  uniqueName,
} from "../helpers/kernel.ts";
import { arg, traceWhile } from "../helpers/trace_in_process.ts";

kernelTest(
  "real kernel: cat of a missing file gives openat(pathname, -ENOENT), execve and sched_process_exec",
  async () => {
    const name = uniqueName("cat");
    const path = `/tmp/${name}`;
    const mine = (e: TraceeEvent) => e.args.some((a) => String(a.value).includes(name));
    let held: HeldBpf | undefined;
    let catPid = 0;
    const { seen } = await traceWhile(
      ["openat", "execve", "sched_process_exec"],
      () => {
        const cat = new Deno.Command("cat", { args: [path], stdout: "null", stderr: "null" })
          .spawn();
        catPid = cat.pid;
        return cat.status;
      },
      mine,
      (s) =>
        ["openat", "execve", "sched_process_exec"].every((n) => s.some((e) => e.def.name === n)),
      { inspect: () => (held = bpfHeldBy(Deno.pid)) },
    );
    const open = seen.find((e) => e.def.name === "openat")!;
    assert.ok(open, "openat seen");
    assert.equal(open.processName, "cat");
    assert.equal(arg(open, "pathname"), path);
    assert.equal(open.returnValue, -2);
    assert.equal(arg(open, "dirfd"), -100);
    const ns = (n: string) => Number(/\[(\d+)\]/.exec(Deno.readLinkSync(`/proc/self/ns/${n}`))![1]);
    assert.deepEqual(
      [open.hostProcessId, open.hostThreadId, open.processId, open.hostParentProcessId],
      [catPid, catPid, catPid, Deno.pid],
      "cat's ids, as spawned here",
    );
    assert.deepEqual([open.mountNamespace, open.pidNamespace], [ns("mnt"), ns("pid")]);

    const execve = seen.find((e) => e.def.name === "execve")!;
    assert.ok(execve, "execve seen");
    assert.match(String(arg(execve, "pathname")), /\/cat$/);
    // Deno.Command puts the resolved program path in argv[0].
    const argv = arg(execve, "argv") as string[];
    assert.match(argv[0]!, /cat$/);
    assert.deepEqual(argv.slice(1), [path]);
    assert.equal(execve.returnValue, 0);

    const exec = seen.find((e) => e.def.name === "sched_process_exec")!;
    assert.ok(exec, "sched_process_exec seen");
    assert.equal(exec.processName, "cat");
    assert.deepEqual(arg(exec, "argv"), argv);
    assert.match(String(arg(exec, "pathname")), /\/cat$/);
    assert.equal(exec.hostProcessId, open.hostProcessId);

    assert.deepEqual(
      await ourKernelObjectsAfterRelease(held!),
      { progs: [], links: 0 },
      "nothing of ours left",
    );
  },
);

kernelTest("real kernel: fork and exit events carry the child's ids and exit code", async () => {
  const { seen } = await traceWhile(
    ["sched_process_fork", "sched_process_exit"],
    () => assert.equal(trigger("sh", ["-c", "(exit 7); exit 7"]).code, 7),
    (e) => e.processName === "sh",
    (s) =>
      s.some((e) =>
        e.def.name === "sched_process_exit" && arg(e, "exit_code") === 7 &&
        arg(e, "process_group_exit") === true
      ),
  );
  const fork = seen.find((e) => e.def.name === "sched_process_fork")!;
  assert.ok(fork, "the subshell's fork seen");
  assert.equal(arg(fork, "parent_pid"), fork.hostProcessId);
  const child = arg(fork, "child_pid") as number;
  const childExit = seen.find((e) =>
    e.def.name === "sched_process_exit" && e.hostProcessId === child
  );
  assert.ok(childExit, "the forked child's exit seen");
  assert.equal(arg(childExit, "exit_code"), 7);
});

kernelTest(
  "real kernel: connect to a closed local port decodes the sockaddr and -ECONNREFUSED",
  async () => {
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (listener.addr as Deno.NetAddr).port;
    listener.close(); // now closed: connect is refused
    const { seen } = await traceWhile(
      ["connect"],
      () => trigger("bash", ["-c", `exec 3<>/dev/tcp/127.0.0.1/${port}`]),
      (e) =>
        e.def.name === "connect" &&
        (arg(e, "addr") as Record<string, string>)?.["sin_port"] === String(port),
      (s) => s.length > 0,
    );
    const c = seen[0]!;
    assert.deepEqual(arg(c, "addr"), {
      sa_family: "AF_INET",
      sin_port: String(port),
      sin_addr: "127.0.0.1",
    });
    assert.equal(c.returnValue, -111);
  },
);
