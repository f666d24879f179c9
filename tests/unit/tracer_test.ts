import assert from "node:assert/strict";
import { EventConfig, TraceeConfig } from "../../src/decode/layout.ts";
import { eventKey } from "../../src/runtime/event_config.ts";
import { Tracer } from "../../src/runtime/tracer.ts";
import { fakeTraceeObject, fakeTracerConfig } from "../helpers/fake_object.ts";

const config = fakeTracerConfig;

Deno.test("tracer loads only the programs the selected events need", () => {
  const fake = fakeTraceeObject();
  const t = Tracer.open(fake.libs(), config(["sched_process_fork"]));
  t.configure();
  const loaded = fake.programs.filter((p) => p.autoload).map((p) => p.name);
  assert.deepEqual(loaded, ["tracee_sched_process_fork", "tracee_sched_process_exit"]);
  t.destroy();
});

Deno.test("a syscall emitted at exit needs sys_exit, plus the thread-exit probe every run has", () => {
  const fake = fakeTraceeObject();
  const t = Tracer.open(fake.libs(), config(["openat"]));
  t.configure();
  t.load();
  t.attach();
  assert.deepEqual(fake.programs.filter((p) => p.autoload).map((p) => p.name), [
    "tracee_sys_exit",
    "tracee_sched_process_exit",
  ]);
  assert.equal(fake.links.size, 2);
  t.destroy();
  assert.equal(fake.links.size, 0, "every link destroyed");
  assert.ok(fake.objectClosed);
});

Deno.test("execve brings sys_enter, sys_exit and the exec/exit probes that hand over or drop its state", () => {
  const fake = fakeTraceeObject();
  const t = Tracer.open(fake.libs(), config(["execve", "exit_group"]));
  t.configure();
  assert.deepEqual(fake.programs.filter((p) => p.autoload).map((p) => p.name).sort(), [
    "tracee_sched_process_exec",
    "tracee_sched_process_exit",
    "tracee_sys_enter",
    "tracee_sys_exit",
  ]);
  t.destroy();
});

Deno.test("tracer sizes the ring buffer and writes its own pid into .rodata", () => {
  const fake = fakeTraceeObject();
  const t = Tracer.open(fake.libs(), config(["openat"]));
  t.configure();
  assert.equal(fake.maps.find((m) => m.name === "events")!.maxEntries, 256 * 4096);
  const rodata = fake.maps.find((m) => m.name === ".rodata")!.initial!;
  assert.equal(new DataView(rodata.buffer).getUint32(TraceeConfig.self_tgid, true), 4242);
  t.destroy();
});

Deno.test("tracer selects events by writing event_config entries", () => {
  const fake = fakeTraceeObject();
  const t = Tracer.open(fake.libs(), config(["openat", "sched_process_exec"]));
  t.configure();
  t.load();
  t.selectEvents();
  const openat = fake.entry("event_config", eventKey(257))!;
  assert.equal(new DataView(openat.buffer).getBigUint64(EventConfig.policies, true), 1n);
  assert.equal(openat[EventConfig.argnum], 4);
  assert.ok(fake.entry("event_config", eventKey(1003)));
  assert.equal(fake.entry("event_config", eventKey(3)), undefined, "close not selected");
  t.destroy();
});

Deno.test("a failed attach leaves nothing attached after destroy", () => {
  const fake = fakeTraceeObject({ "attach tracee_sys_exit": 1 });
  const t = Tracer.open(fake.libs(), config(["openat"]));
  t.configure();
  t.load();
  assert.throws(
    () => t.attach(),
    /Cannot trace any of the selected events.*openat: attaching raw_tracepoint\/sys_exit failed: EPERM/,
  );
  t.destroy();
  assert.equal(fake.links.size, 0);
  assert.ok(fake.objectClosed);
});

Deno.test("tp_btf probes run when the kernel exposes BTF", () => {
  const fake = fakeTraceeObject();
  const t = Tracer.open(fake.libs(), config(["sched_switch"]));
  t.configure();
  assert.deepEqual(fake.programs.filter((p) => p.autoload).map((p) => p.name), [
    "tracee_sched_process_exit",
    "tracee_sched_switch_btf",
  ]);
  t.destroy();
});

Deno.test("without kernel BTF a tp_btf probe is off and its raw_tracepoint fallback runs", () => {
  const fake = fakeTraceeObject();
  const t = Tracer.open(fake.libs(), {
    ...config(["sched_switch"]),
    features: { kernelBtf: false, kprobes: false, bpfLsm: false },
  });
  t.configure();
  t.load();
  t.attach();
  assert.deepEqual(fake.programs.filter((p) => p.autoload).map((p) => p.name), [
    "tracee_sched_process_exit",
    "tracee_sched_switch",
  ]);
  assert.equal(fake.links.size, 2);
  t.destroy();
});

Deno.test("an object without the tp_btf program (non CO-RE) uses the fallback", () => {
  const fake = fakeTraceeObject();
  fake.programs.splice(fake.programs.findIndex((p) => p.name === "tracee_sched_switch_btf"), 1);
  const t = Tracer.open(fake.libs(), config(["sched_switch"]));
  t.configure();
  assert.deepEqual(t.probes.map((p) => p.name), ["sched_process_exit", "sched_switch"]);
  t.destroy();
});

Deno.test("an event needing kprobes on a kernel without them is dropped with one warning; the rest runs", () => {
  const fake = fakeTraceeObject();
  const t = Tracer.open(fake.libs(), config(["security_file_open", "openat"]));
  t.configure();
  assert.deepEqual(t.liveEvents.map((e) => e.name), ["openat"]);
  t.destroy();
});

Deno.test("nothing left to trace is an error naming the missing capability", () => {
  const fake = fakeTraceeObject();
  const t = Tracer.open(fake.libs(), config(["security_file_open"]));
  assert.throws(
    () => t.configure(),
    /Cannot trace any of the selected events on this kernel \(security_file_open: it needs a kprobe on security_file_open, and this kernel has no kprobes/,
  );
  t.destroy();
});

Deno.test("a probe whose hook is missing at attach drops only its events", () => {
  const fake = fakeTraceeObject({ "attach tracee_module_load": 2 });
  const t = Tracer.open(fake.libs(), config(["module_load", "sched_process_exit"]));
  t.configure();
  t.load();
  t.attach();
  assert.deepEqual(t.liveEvents.map((e) => e.name), ["sched_process_exit"]);
  t.selectEvents();
  assert.equal(fake.entry("event_config", eventKey(1009)), undefined, "module_load not enabled");
  t.destroy();
});
