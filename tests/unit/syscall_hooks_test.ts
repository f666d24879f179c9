import assert from "node:assert/strict";
import type { EventDef } from "../../src/events/event_def.ts";
import { eventByName } from "../../src/events/table.ts";
import { planSyscallHooks } from "../../src/runtime/syscall_hooks.ts";
import { Tracer } from "../../src/runtime/tracer.ts";
import { fakeTraceeObject, fakeTracerConfig } from "../helpers/fake_object.ts";

const ev = (n: string) => eventByName(n)!;
const live = (...pairs: [string, string[]][]) =>
  new Map<EventDef, Set<string>>(pairs.map(([n, p]) => [ev(n), new Set(p)]));
/** Tracepoints of this kernel: every syscall but those named. */
const allBut = (...missing: string[]) => (tp: string) => !missing.some((m) => tp.endsWith(`_${m}`));

Deno.test("a small selection hooks just its syscalls, at the points each needs", () => {
  const h = planSyscallHooks(
    live(["execve", ["sys_enter", "sys_exit"]], ["openat", ["sys_exit"]], [
      "security_file_open",
      ["sys_exit", "sched_process_exec"],
    ], ["fstat", ["sys_exit"]]),
    () => true,
    allBut(),
  );
  assert.equal(h.mode, "per-syscall");
  assert.deepEqual(h.enter, ["execve"]);
  assert.deepEqual(h.exit, ["open", "newfstat", "execve", "creat", "openat", "openat2"]);
});

Deno.test("many hooks, or tracefs that cannot tell, keep the raw tracepoints", () => {
  const many = live(["openat", ["sys_exit"]], ["read", ["sys_exit"]], ["write", ["sys_exit"]]);
  assert.equal(planSyscallHooks(many, () => true, allBut(), 2).mode, "raw");
  assert.match(planSyscallHooks(many, () => true, allBut(), 2).why, /3 syscall hooks, more than 2/);
  assert.equal(planSyscallHooks(many, () => true, () => undefined).mode, "raw");
  assert.equal(planSyscallHooks(many, () => true, undefined).mode, "raw");
});

Deno.test("a syscall this kernel does not build: left out through a set, raw if named by itself", () => {
  const sel = live(["init_module", ["sys_exit"]], ["openat", ["sys_exit"]]);
  const implicit = planSyscallHooks(sel, () => false, allBut("init_module"));
  assert.equal(implicit.mode, "per-syscall");
  assert.deepEqual(implicit.exit, ["openat"]);
  assert.deepEqual(implicit.dropped.map((d) => d.event.name), ["init_module"]);
  assert.match(implicit.dropped[0]!.reason, /ENOSYS/);
  const named = planSyscallHooks(sel, () => true, allBut("init_module"));
  assert.equal(named.mode, "raw");
  assert.match(named.why, /init_module has no tracepoint/);
  const forcedRaw = planSyscallHooks(sel, () => false, allBut("init_module"), 0);
  assert.equal(forcedRaw.mode, "raw");
  assert.deepEqual(forcedRaw.dropped, [], "the raw tracepoints see it: nothing left out");
});

Deno.test("a derived event's syscall without a tracepoint is skipped (it can never succeed)", () => {
  const h = planSyscallHooks(
    live(["module_load", ["sys_exit"]]),
    () => true,
    allBut("init_module", "finit_module"),
  );
  assert.equal(h.mode, "per-syscall");
  assert.deepEqual(h.exit, []);
});

Deno.test("per-syscall mode loads the tracepoint programs and attaches one link per syscall", () => {
  const fake = fakeTraceeObject();
  const cfg = fakeTracerConfig(["openat", "connect", "execve"]);
  const t = Tracer.open(fake.libs(), {
    ...cfg,
    features: { ...cfg.features, tracepointExists: () => true },
  });
  t.configure();
  t.load();
  t.attach();
  const loaded = fake.programs.filter((p) => p.autoload).map((p) => p.name).sort();
  assert.ok(loaded.includes("tracee_syscall_exit") && loaded.includes("tracee_syscall_enter"));
  assert.ok(!loaded.includes("tracee_sys_exit") && !loaded.includes("tracee_sys_enter"));
  const attached = fake.calls.filter((c) => c.startsWith("attach_tracepoint"));
  assert.deepEqual(attached, [
    "attach_tracepoint tracee_syscall_enter sys_enter_execve",
    "attach_tracepoint tracee_syscall_exit sys_exit_connect",
    "attach_tracepoint tracee_syscall_exit sys_exit_execve",
    "attach_tracepoint tracee_syscall_exit sys_exit_openat",
  ]);
  t.destroy();
  assert.equal(fake.links.size, 0);
});
