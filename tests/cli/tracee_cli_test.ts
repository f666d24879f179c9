/** Runs dist/tracee as a user would. */
import assert from "node:assert/strict";
import {
  kernelTest,
  ourKernelObjectsAfterRelease,
  TRACEE_BIN,
  uniqueName,
} from "../helpers/kernel.ts";
import { runTracee, TraceeProcess } from "../helpers/tracee_process.ts";

/** One line on stderr, no stack trace. */
function assertOneLineError(stderr: string, re: RegExp): void {
  const lines = stderr.trim().split("\n");
  assert.equal(lines.length, 1, `one line expected, got:\n${stderr}`);
  assert.match(lines[0]!, re);
  assert.doesNotMatch(stderr, /\n\s+at |Stack backtrace|error: Uncaught/);
}

/** The cgroup v2 id of this process (and of what it starts): its cgroup directory's inode. */
function ownCgroupId(): number {
  const path = /^0::(.*)$/m.exec(Deno.readTextFileSync("/proc/self/cgroup"))![1]!;
  const mount = Deno.readTextFileSync("/proc/self/mounts").split("\n").map((l) => l.split(" "))
    .find((f) => f[2] === "cgroup2")![1]!;
  return Deno.statSync(`${mount}${path === "/" ? "" : path}`).ino!;
}

Deno.test("tracee --help prints usage and exits 0", () => {
  const r = runTracee(["--help"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Usage: tracee \[options\]/);
  assert.match(r.stdout, /--events/);
  assert.match(r.stdout, /TRACEE_BPF_FILE/);
});

Deno.test("a bad flag is one clear line and exit 2", () => {
  const r = runTracee(["--no-such-flag"]);
  assert.equal(r.code, 2);
  assertOneLineError(r.stderr, /^Cannot parse flags: unknown option '--no-such-flag'$/);
});

Deno.test("an unknown event is one clear line and exit 2", () => {
  const r = runTracee(["--events", "openat,not_an_event"]);
  assert.equal(r.code, 2);
  assertOneLineError(r.stderr, /^Cannot select events: unknown event or set 'not_an_event'/);
});

Deno.test("a bad output format is one clear line and exit 2", () => {
  const r = runTracee(["--output", "yaml"]);
  assert.equal(r.code, 2);
  assertOneLineError(r.stderr, /^Cannot parse --output: unknown format 'yaml'/);
});

Deno.test("tracee list prints the catalogue", () => {
  const r = runTracee(["list"]);
  assert.equal(r.code, 0);
  assert.match(
    r.stdout,
    /^openat\s+\[syscalls fs fs_file_ops\]\s+\(int dirfd, const char\* pathname, int flags, mode_t mode\)$/m,
  );
  assert.match(r.stdout, /^sched_process_exec\s+\[/m);
});

kernelTest("without root's capabilities: one line saying so, exit 2", () => {
  const r = runTracee(["--events", "openat"], {}, { noCaps: true });
  assert.equal(r.code, 2, r.stderr);
  assertOneLineError(r.stderr, /^Cannot start tracing: tracee must run as root/);
});

kernelTest("libbpf missing: one line naming it, exit 2", () => {
  const r = runTracee(["--events", "openat"], { LIBBPF_PATH: "/nonexistent/libbpf.so.1" });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^Cannot load libbpf: tried \/nonexistent\/libbpf\.so\.1/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});

kernelTest(
  "tracee -o json streams the openat and exec of a real cat, and detaches on SIGINT",
  async () => {
    const name = uniqueName("cli");
    const path = `/tmp/${name}`;
    const t = new TraceeProcess([
      "--output",
      "json",
      "--events",
      "openat,execve,sched_process_exec",
      "--log",
      "debug",
    ]);
    let catPid = 0;
    try {
      await t.ready();
      const cat = new Deno.Command("cat", { args: [path], stdout: "null", stderr: "null" }).spawn();
      catPid = cat.pid;
      assert.equal((await cat.status).code, 1);
      await t.waitFor(
        "stdout",
        (l) => l.includes('"eventName":"sched_process_exec"') && l.includes(name),
      );
      await t.waitFor("stdout", (l) => l.includes('"eventName":"openat"') && l.includes(name));
    } finally {
      const st = await t.stop("SIGINT");
      assert.equal(st.code, 0, t.stderrLines.join("\n"));
    }
    const events = t.jsonEvents().filter((e) => JSON.stringify(e).includes(name));
    const open = events.find((e) => e.eventName === "openat")!;
    assert.equal(open.processName, "cat");
    assert.equal(open.returnValue, -2);
    assert.equal(open.eventId, "257");
    const args = open.args as { name: string; value: unknown }[];
    assert.equal(args.find((a) => a.name === "pathname")!.value, path);
    // The ids a user would check with ps and ls -i: cat's, its parent's (this test), its
    // namespaces' and its cgroup's.
    const self = (ns: string) =>
      Number(/\[(\d+)\]/.exec(Deno.readLinkSync(`/proc/self/ns/${ns}`))![1]);
    assert.deepEqual(
      {
        processId: open.processId,
        threadId: open.threadId,
        hostProcessId: open.hostProcessId,
        hostThreadId: open.hostThreadId,
        parentProcessId: open.parentProcessId,
        hostParentProcessId: open.hostParentProcessId,
        userId: open.userId,
        mountNamespace: open.mountNamespace,
        pidNamespace: open.pidNamespace,
        cgroupId: open.cgroupId,
        argsNum: open.argsNum,
      },
      {
        processId: catPid,
        threadId: catPid,
        hostProcessId: catPid,
        hostThreadId: catPid,
        parentProcessId: Deno.pid,
        hostParentProcessId: Deno.pid,
        userId: Deno.uid(),
        mountNamespace: self("mnt"),
        pidNamespace: self("pid"),
        cgroupId: ownCgroupId(),
        argsNum: 4,
      },
    );
    // Wall-clock nanoseconds, exact digits: within a minute of now (not time since boot).
    const raw = t.stdoutLines.find((l) => l.includes(name) && l.includes('"openat"'))!;
    const ts = BigInt(/"timestamp":(\d+),/.exec(raw)![1]!);
    const nowNs = BigInt(Date.now()) * 1_000_000n;
    assert.ok(ts > nowNs - 60_000_000_000n && ts <= nowNs, `timestamp ${ts} vs now ${nowNs}`);
    const exec = events.find((e) => e.eventName === "execve")!;
    const argv =
      (exec.args as { name: string; value: string[] }[]).find((a) => a.name === "argv")!.value;
    assert.match(argv[0]!, /cat$/);
    assert.ok(argv.includes(path));

    const summary = t.stderrLines.find((l) => l.startsWith("tracee: "));
    assert.match(
      summary ?? "",
      /^tracee: \d+ events received, 0 lost in kernel, 0 lost in user space \(ring buffer full: 0, execve stash full: 0, execve pending at thread exit: 0, execve without its exit: 0, undecodable: 0\)$/,
    );
    assert.deepEqual(
      await ourKernelObjectsAfterRelease(t.held),
      { progs: [], links: 0 },
      "nothing of ours left",
    );
  },
);

kernelTest("table output starts with Tracee's header and SIGTERM also stops cleanly", async () => {
  const t = new TraceeProcess(["--events", "openat", "--log", "debug"]);
  try {
    await t.ready();
    await t.waitFor("stdout", (l) => l.startsWith("TIME "));
  } finally {
    const st = await t.stop("SIGTERM");
    assert.equal(st.code, 0);
  }
  assert.equal(
    t.stdoutLines[0],
    "TIME             UID    COMM             PID     TID     RET              EVENT                ARGS",
  );
  assert.ok(t.stderrLines.some((l) => l.startsWith("tracee: ")));
});

kernelTest("debug log starts with the seed's osinfo, BTF and BPF lines", async () => {
  const t = new TraceeProcess(["--events", "openat", "--log", "debug"]);
  try {
    await t.ready();
  } finally {
    await t.stop();
  }
  const logs = t.stderrLines.filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
  const msgs = logs.map((l) => l.msg);
  assert.equal(msgs[0], "osinfo");
  assert.equal(logs[0].KERNEL_RELEASE, Deno.osRelease());
  assert.ok(logs.some((l) => l.msg === "osinfo" && "security_lockdown" in l));
  const btf = logs.find((l) => l.msg === "BTF");
  assert.deepEqual(btf && { bpfenv: btf.bpfenv, btfenv: btf.btfenv, vmlinux: btf.vmlinux }, {
    bpfenv: false,
    btfenv: false,
    vmlinux: true,
  });
  assert.ok(msgs.indexOf("BPF: using embedded BPF object") > msgs.indexOf("BTF"));
  for (const l of logs) assert.deepEqual(Object.keys(l).slice(0, 3), ["level", "ts", "msg"]);
});

Deno.test("dist/tracee is one file", () => {
  const st = Deno.statSync(TRACEE_BIN);
  assert.ok(st.isFile && (st.mode! & 0o111) !== 0);
});
