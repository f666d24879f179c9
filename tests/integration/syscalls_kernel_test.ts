/**
 * One real syscall per category, triggered here and decoded (and parsed) from the real kernel;
 * and the catalogue checked against this kernel's own list of syscalls.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { TraceeEvent } from "../../src/decode/event.ts";
import { TraceeOptions } from "../../src/decode/layout.ts";
import { parseArguments } from "../../src/enrich/parse_args.ts";
import { eventByName } from "../../src/events/table.ts";
import { parseFormat, TRACEPOINT_ALIASES } from "../../tools/gen_events.ts";
import { catalogueRules } from "../../tools/syscall_rules.ts";
import { kernelTest, tracefsSyscalls, uniqueName } from "../helpers/kernel.ts";
import { arg, python, traceWhile } from "../helpers/trace_in_process.ts";

/** Events of the trigger's process (its pid is what the trigger reports as "pid"). */
const fromPid = (e: TraceeEvent, acted: { pid: number }) => e.hostProcessId === acted.pid;

kernelTest("openat: flags, mode and dirfd parsed, the new fd returned", async () => {
  const path = `/tmp/${uniqueName("openat")}`;
  const { seen, acted } = await traceWhile(
    ["openat"],
    () =>
      python<{ pid: number; fd: number }>(
        `import os,json; fd=os.open(${
          JSON.stringify(path)
        }, os.O_WRONLY|os.O_CREAT|os.O_CLOEXEC, 0o640); ` +
          `print(json.dumps({"pid": os.getpid(), "fd": fd}))`,
      ),
    (e, a) => fromPid(e, a) && arg(e, "pathname") === path,
    (s) => s.length > 0,
    { enrich: parseArguments },
  );
  Deno.removeSync(path);
  const e = seen[0]!;
  assert.equal(arg(e, "dirfd"), "AT_FDCWD");
  assert.equal(arg(e, "flags"), "O_WRONLY|O_CREAT|O_CLOEXEC");
  assert.equal(arg(e, "mode"), "0640");
  assert.equal(e.returnValue, acted.fd);
});

kernelTest("execve and sched_process_exec: argv and, with exec-env, the environment", async () => {
  const marker = uniqueName("env").replaceAll("-", "_");
  const { seen } = await traceWhile(
    ["execve", "sched_process_exec"],
    () =>
      new Deno.Command("/usr/bin/env", { args: [`${marker}=yes`, "/bin/true", "first", marker] })
        .outputSync(),
    (e) =>
      e.processName === "true" ||
      (e.def.name === "execve" && String(arg(e, "pathname")) === "/bin/true"),
    (s) =>
      s.some((e) => e.def.name === "sched_process_exec") && s.some((e) => e.def.name === "execve"),
    { options: TraceeOptions.EXEC_ENV },
  );
  const execve = seen.find((e) => e.def.name === "execve")!;
  assert.deepEqual(arg(execve, "argv"), ["/bin/true", "first", marker]);
  assert.ok((arg(execve, "envp") as string[]).includes(`${marker}=yes`));
  const exec = seen.find((e) => e.def.name === "sched_process_exec")!;
  assert.deepEqual(arg(exec, "argv"), ["/bin/true", "first", marker]);
  assert.ok(
    (arg(exec, "env") as string[]).includes(`${marker}=yes`),
    "exec-env carries the environment",
  );
  assert.equal(arg(exec, "pathname"), Deno.realPathSync("/bin/true"));
  assert.equal(exec.hostProcessId, execve.hostProcessId);
});

kernelTest("pipe2: both file descriptors the process got", async () => {
  const { seen, acted } = await traceWhile(
    ["pipe2"],
    () =>
      python<{ pid: number; fds: number[] }>(
        `import os,json; r,w=os.pipe2(os.O_CLOEXEC); print(json.dumps({"pid": os.getpid(), "fds": [r,w]}))`,
      ),
    fromPid,
    (s) => s.length > 0,
  );
  const e = seen.find((x) => (arg(x, "flags") as number) === 0x80000)!;
  assert.deepEqual(arg(e, "pipefd"), acted.fds);
  assert.equal(e.returnValue, 0);
});

kernelTest("mmap: protection and flags by name, the mapping's address returned", async () => {
  const { seen, acted } = await traceWhile(
    ["mmap"],
    () =>
      python<{ pid: number; len: number; addr: number }>(
        "import ctypes,os,json\n" +
          "libc=ctypes.CDLL(None); libc.mmap.restype=ctypes.c_void_p\n" +
          "libc.mmap.argtypes=[ctypes.c_void_p,ctypes.c_size_t,ctypes.c_int,ctypes.c_int,ctypes.c_int,ctypes.c_long]\n" +
          "n=37*4096+123; a=libc.mmap(None, n, 3, 0x21, -1, 0)\n" + // PROT_READ|WRITE, SHARED|ANON
          'print(json.dumps({"pid": os.getpid(), "len": n, "addr": a}))',
      ),
    (e, a) => fromPid(e, a) && arg(e, "length") === a.len,
    (s) => s.length > 0,
    { enrich: parseArguments },
  );
  const e = seen[0]!;
  assert.equal(arg(e, "prot"), "PROT_READ|PROT_WRITE");
  assert.equal(arg(e, "flags"), "MAP_SHARED|MAP_ANONYMOUS");
  assert.equal(e.returnValue, acted.addr, "the address the process got");
});

kernelTest("kill: the target pid and the signal by name", async () => {
  const { seen, acted } = await traceWhile(
    ["kill"],
    () =>
      python<{ pid: number; child: number }>(
        "import os,signal,json,time\n" +
          "c=os.fork()\n" +
          "if c==0:\n  time.sleep(5); os._exit(0)\n" +
          "os.kill(c, signal.SIGTERM); os.waitpid(c, 0); print(json.dumps({'pid': os.getpid(), 'child': c}))",
      ),
    fromPid,
    (s) => s.length > 0,
    { enrich: parseArguments },
  );
  const e = seen[0]!;
  assert.equal(arg(e, "pid"), acted.child);
  assert.equal(arg(e, "sig"), "SIGTERM");
  assert.equal(e.returnValue, 0);
});

kernelTest(
  "fork: clone's return value and sched_process_fork's child are the pid the parent saw",
  async () => {
    const { seen, acted } = await traceWhile(
      ["clone", "clone3", "sched_process_fork"],
      () =>
        python<{ pid: number; child: number }>(
          "import os,json\nc=os.fork()\nif c==0: os._exit(0)\nos.waitpid(c,0); print(json.dumps({'pid': os.getpid(), 'child': c}))",
        ),
      fromPid,
      (s, a) =>
        s.some((e) => e.def.name === "sched_process_fork" && arg(e, "child_pid") === a.child) &&
        s.some((e) => e.def.name.startsWith("clone") && e.returnValue === a.child),
    );
    const fork = seen.find((e) =>
      e.def.name === "sched_process_fork" && arg(e, "child_pid") === acted.child
    )!;
    assert.equal(arg(fork, "parent_pid"), acted.pid);
    assert.equal(arg(fork, "child_tid"), acted.child);
    assert.ok((arg(fork, "start_time") as number) > (arg(fork, "parent_start_time") as number));
    assert.ok(seen.some((e) => e.def.name.startsWith("clone") && e.returnValue === acted.child));
  },
);

kernelTest(
  "every syscall this kernel describes in tracefs is in the table, with its arguments",
  () => {
    const dir = tracefsSyscalls();
    let count = 0;
    for (const entry of Deno.readDirSync(dir)) {
      if (!entry.name.startsWith("sys_enter_")) continue;
      const tp = entry.name.slice("sys_enter_".length);
      const name = TRACEPOINT_ALIASES[tp] ?? tp;
      const def = eventByName(name);
      assert.ok(def?.syscall, `syscall ${name} (tracefs ${tp}) has an event`);
      const raw = parseFormat(Deno.readTextFileSync(join(dir, entry.name, "format")));
      const expected = catalogueRules(name, raw).params.map((p) => [p.name, p.type, p.kind]);
      assert.deepEqual(
        def.params.map((p) => [p.name, p.type, p.kind]),
        expected,
        `arguments of ${name}`,
      );
      count++;
    }
    assert.ok(count > 300, `only ${count} syscalls in tracefs`);
  },
);

kernelTest(
  "cgroup_mkdir/rmdir: the new cgroup's id and path; task_rename: old and new name",
  async () => {
    const mounts = Deno.readTextFileSync("/proc/self/mounts").split("\n").map((l) => l.split(" "));
    let root = mounts.find((m) => m[2] === "cgroup2")?.[1];
    if (!root) {
      root = Deno.makeTempDirSync();
      new Deno.Command("mount", { args: ["-t", "cgroup2", "none", root] }).outputSync();
    }
    const name = uniqueName("cg");
    const dir = join(root, name);
    let ino = 0;
    const { seen } = await traceWhile(
      ["cgroup_mkdir", "cgroup_rmdir", "task_rename"],
      () => {
        // From a child: tracee never traces its own process (here, the test's).
        const d = JSON.stringify(dir);
        ino = python<{ ino: number }>(
          `import os,json; os.mkdir(${d}); i=os.stat(${d}).st_ino; os.rmdir(${d}); print(json.dumps({"ino": i}))`,
        ).ino;
        return python<{ pid: number }>(
          `import ctypes,os,json; ctypes.CDLL(None).prctl(15, b"renamed-${
            name.slice(-6)
          }", 0, 0, 0); print(json.dumps({"pid": os.getpid()}))`,
        );
      },
      (e) => String(arg(e, "cgroup_path") ?? "").includes(name) || e.def.name === "task_rename",
      (s, a) =>
        s.filter((e) => e.def.name.startsWith("cgroup")).length === 2 &&
        s.some((e) => e.hostProcessId === a.pid),
    );
    const mk = seen.find((e) => e.def.name === "cgroup_mkdir")!;
    assert.equal(arg(mk, "cgroup_id"), ino, "the cgroup id is the directory's inode");
    assert.match(String(arg(mk, "cgroup_path")), new RegExp(`/${name}$`));
    const rm = seen.find((e) => e.def.name === "cgroup_rmdir")!;
    assert.deepEqual(
      [arg(rm, "cgroup_id"), arg(rm, "cgroup_path"), arg(rm, "hierarchy_id")],
      [ino, arg(mk, "cgroup_path"), arg(mk, "hierarchy_id")],
      "rmdir names the cgroup mkdir made",
    );
    const rename = seen.find((e) =>
      e.def.name === "task_rename" && String(arg(e, "new_name")).startsWith("renamed-")
    )!;
    assert.equal(arg(rename, "old_name"), "python3");
  },
);
