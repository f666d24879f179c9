/** Output options as a user runs them: parse-arguments, exec-hash, sort-events, list, hooks. */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { TRACEPOINT_ALIASES } from "../../tools/gen_events.ts";
import { kernelTest, tracefsSyscalls, trigger, uniqueName } from "../helpers/kernel.ts";
import { runTracee, TraceeProcess } from "../helpers/tracee_process.ts";

/** Runs tracee with `args`, triggers `act` once it is attached, stops it after `until` matches. */
async function run(
  args: string[],
  act: () => void,
  until: (line: string) => boolean,
): Promise<TraceeProcess> {
  const t = new TraceeProcess(["--log", "debug", ...args]);
  try {
    await t.ready();
    act();
    await t.waitFor("stdout", until);
  } finally {
    const st = await t.stop();
    assert.equal(st.code, 0, t.stderrLines.join("\n"));
  }
  return t;
}

kernelTest(
  "tracee list names every syscall this kernel describes, and the process and kernel events",
  () => {
    const r = runTracee(["list"]);
    assert.equal(r.code, 0);
    const listed = new Set(
      r.stdout.split("\n").map((l) => /^([a-z_0-9]+)\s+\[/.exec(l)?.[1]).filter((n) => n),
    );
    // The kernel's own list of syscalls, not tracee's table.
    const dir = tracefsSyscalls();
    const kernel = [...Deno.readDirSync(dir)].filter((e) => e.name.startsWith("sys_enter_"))
      .map((e) => e.name.slice("sys_enter_".length))
      .map((tp) => TRACEPOINT_ALIASES[tp] ?? tp);
    assert.ok(kernel.length > 300, `${kernel.length} syscalls in tracefs`);
    assert.deepEqual(kernel.filter((n) => !listed.has(n)), [], "syscalls missing from the list");
    const documented = [
      "sched_process_exec",
      "sched_process_fork",
      "sched_process_exit",
      "sched_switch",
      "task_rename",
      "cgroup_mkdir",
      "cgroup_rmdir",
      "module_load",
      "module_free",
      "signal_generate",
      "signal_deliver",
    ];
    assert.deepEqual(documented.filter((n) => !listed.has(n)), [], "README's events missing");
  },
);

kernelTest(
  "json with parse-arguments: named flags and the errno name beside the return value",
  async () => {
    const name = uniqueName("parse");
    const t = await run(
      ["-o", "json", "-o", "option:parse-arguments", "-e", "openat"],
      () => trigger("cat", [`/tmp/${name}`]),
      (l) => l.includes(name),
    );
    const e = JSON.parse(t.stdoutLines.find((l) => l.includes(name))!);
    assert.equal(e.returnValue, -2);
    assert.equal(e.returnValueName, "ENOENT");
    const args = Object.fromEntries(
      e.args.map((a: { name: string; value: unknown }) => [a.name, a]),
    );
    assert.deepEqual(args.flags, { name: "flags", type: "string", value: "O_RDONLY" });
    assert.equal(args.dirfd.value, "AT_FDCWD");
  },
);

kernelTest("table with parse-arguments: RET shows ENOENT", async () => {
  const name = uniqueName("ret");
  const t = await run(
    ["-o", "option:parse-arguments", "-e", "openat"],
    () => trigger("cat", [`/tmp/${name}`]),
    (l) => l.includes(name),
  );
  assert.match(t.stdoutLines.find((l) => l.includes(name))!, / ENOENT +openat +dirfd: AT_FDCWD, /);
});

kernelTest("exec-hash: sched_process_exec carries the sha256 of the binary", async () => {
  const bin = Deno.realPathSync("/usr/bin/true");
  const t = await run(
    ["-o", "json", "-o", "option:exec-hash", "-e", "sched_process_exec"],
    () => trigger(bin, []),
    (l) => l.includes('"sha256"') && l.includes(`"value":"${bin}"`),
  );
  const e = JSON.parse(
    t.stdoutLines.find((l) => l.includes('"sha256"') && l.includes(`"value":"${bin}"`))!,
  );
  const sha = e.args.find((a: { name: string }) => a.name === "sha256").value;
  assert.equal(sha, createHash("sha256").update(Deno.readFileSync(bin)).digest("hex"));
});

kernelTest("sort-events: timestamps never go back", async () => {
  const name = uniqueName("sort");
  const t = await run(
    ["-o", "json", "-o", "option:sort-events", "-e", "execve,sched_process_exec,openat,close"],
    () => {
      for (let i = 0; i < 5; i++) trigger("cat", [`/tmp/${name}`]);
    },
    (l) => l.includes(name) && l.includes('"execve"'),
  );
  const stamps = t.jsonEvents().map((e) => BigInt(String(e.timestamp).replace(/\D/g, "")));
  assert.ok(stamps.length > 10);
  for (let i = 1; i < stamps.length; i++) {
    assert.ok(stamps[i]! >= stamps[i - 1]!, `event ${i} goes back in time`);
  }
});

kernelTest(
  "an explicitly chosen event this kernel cannot trace: one warning naming why, the rest runs",
  async () => {
    const name = uniqueName("hook");
    const t = await run(
      ["-e", "commit_creds,openat"],
      () => trigger("cat", [`/tmp/${name}`]),
      (l) => l.includes(name),
    );
    const warns = t.stderrLines.filter((l) => l.includes('"level":"warn"'));
    assert.equal(warns.length, 1, warns.join("\n"));
    const w = JSON.parse(warns[0]!);
    assert.equal(w.event, "commit_creds");
    assert.match(w.reason, /kprobe/);
  },
);

kernelTest("only events this kernel cannot trace: one error line, exit 2", () => {
  const r = runTracee(["-e", "commit_creds"]);
  assert.equal(r.code, 2);
  const lines = r.stderr.trim().split("\n").filter((l) => !l.startsWith("{"));
  assert.equal(lines.length, 1);
  assert.match(
    lines[0]!,
    /^Cannot trace any of the selected events on this kernel \(commit_creds: .*kprobe/,
  );
});

kernelTest("a template with an unknown field fails before any kernel work", () => {
  const dir = Deno.makeTempDirSync();
  Deno.writeTextFileSync(`${dir}/t.tmpl`, "{{ .Nope }}\n");
  const r = runTracee(["-o", `gotemplate=${dir}/t.tmpl`, "--log", "debug"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^Cannot parse template .*t\.tmpl: unknown field '\.Nope' on line 1/m);
  assert.doesNotMatch(r.stderr, /"msg":"BTF"/);
});
