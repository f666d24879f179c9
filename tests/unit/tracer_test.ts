import assert from "node:assert/strict";
import {
  EventConfig,
  EventConfigFlags,
  PathFilter,
  PathPrefix,
  TraceeConfig,
} from "../../src/decode/layout.ts";
import { eventByName } from "../../src/events/table.ts";
import { cliPolicy } from "../../src/filters/cli_policy.ts";
import { eventKey } from "../../src/runtime/event_config.ts";
import { Tracer, type TracerConfig } from "../../src/runtime/tracer.ts";
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
  const t = Tracer.open(fake.libs(), config(["commit_creds", "openat"]));
  t.configure();
  assert.deepEqual(t.liveEvents.map((e) => e.name), ["openat"]);
  t.destroy();
});

Deno.test("nothing left to trace is an error naming the missing capability", () => {
  const fake = fakeTraceeObject();
  const t = Tracer.open(fake.libs(), config(["commit_creds"]));
  assert.throws(
    () => t.configure(),
    /Cannot trace any of the selected events on this kernel \(commit_creds: it needs a kprobe on commit_creds, and this kernel has no kprobes/,
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

/** event_config.flags of an event id, or undefined when the tracer wrote no entry for it. */
function cfgFlags(fake: ReturnType<typeof fakeTraceeObject>, id: number): number | undefined {
  return fake.entry("event_config", eventKey(id))?.[EventConfig.flags];
}

function policiesOf(fake: ReturnType<typeof fakeTraceeObject>, id: number): bigint | undefined {
  const v = fake.entry("event_config", eventKey(id));
  return v
    ? new DataView(v.buffer, v.byteOffset).getBigUint64(EventConfig.policies, true)
    : undefined;
}

function started(fake: ReturnType<typeof fakeTraceeObject>, cfg: TracerConfig): Tracer {
  const t = Tracer.open(fake.libs(), cfg);
  t.configure();
  t.load();
  t.attach();
  t.selectEvents();
  return t;
}

Deno.test("a derived event flags the syscalls whose exits build it, without selecting them", () => {
  const fake = fakeTraceeObject();
  const t = started(fake, config(["security_file_open", "openat"]));
  const names = fake.programs.filter((p) => p.autoload).map((p) => p.name).sort();
  assert.deepEqual(names, [
    "tracee_sched_process_exec",
    "tracee_sched_process_exit",
    "tracee_sys_exit",
  ]);
  assert.equal(policiesOf(fake, 1100), 1n, "security_file_open selected by the policy");
  for (const id of [2, 85, 437]) {
    assert.equal(cfgFlags(fake, id), EventConfigFlags.DERIVE, `syscall ${id} derives`);
    assert.equal(policiesOf(fake, id), 0n, `syscall ${id} itself not selected`);
  }
  assert.equal(cfgFlags(fake, 257), EventConfigFlags.DERIVE, "openat derives");
  assert.equal(policiesOf(fake, 257), 1n, "and is selected too");
  assert.equal(cfgFlags(fake, 0), undefined, "read untouched");
  t.destroy();
});

Deno.test("module_load falls back to init_module/finit_module exits where the tracepoint is missing", () => {
  const missing = fakeTraceeObject();
  const cfg = config(["module_load"]);
  const t = started(missing, {
    ...cfg,
    features: { ...cfg.features, tracepointExists: (n: string) => n !== "module_load" },
  });
  assert.deepEqual(t.probes.map((p) => p.name), ["sys_exit", "sched_process_exit"]);
  assert.equal(cfgFlags(missing, 175), EventConfigFlags.DERIVE, "init_module");
  assert.equal(cfgFlags(missing, 313), EventConfigFlags.DERIVE, "finit_module");
  t.destroy();

  const present = fakeTraceeObject();
  const u = started(present, {
    ...cfg,
    features: { ...cfg.features, tracepointExists: () => true },
  });
  assert.deepEqual(u.probes.map((p) => p.name), ["sched_process_exit", "module_load"]);
  assert.equal(cfgFlags(present, 313), undefined, "no double events from the syscalls");
  u.destroy();
});

Deno.test("internal events are emitted for every process: flagged, selected by no policy", () => {
  const fake = fakeTraceeObject();
  const fork = eventByName("sched_process_fork")!;
  const t = started(fake, { ...config(["openat"]), internalEvents: [fork] });
  assert.equal(cfgFlags(fake, fork.id), EventConfigFlags.INTERNAL);
  assert.equal(policiesOf(fake, fork.id), 0n);
  assert.equal(cfgFlags(fake, 257), 0, "openat is a plain selection");
  t.destroy();
});

Deno.test("an optional probe that fails to attach keeps its event", () => {
  const fake = fakeTraceeObject({ "attach tracee_ext4_unlink_enter": 2 });
  const t = started(fake, config(["security_inode_unlink"]));
  assert.deepEqual(t.liveEvents.map((e) => e.name), ["security_inode_unlink"]);
  assert.equal(cfgFlags(fake, 87), EventConfigFlags.DERIVE, "unlink derives");
  t.destroy();
});

Deno.test("path prefix filters go to the kernel map and flag their event", () => {
  const fake = fakeTraceeObject();
  const t = Tracer.open(fake.libs(), {
    ...config([]),
    policies: cliPolicy({
      events: ["security_file_open.data.pathname=/etc/*", "magic_write.data.pathname=*.so"],
      filters: [],
      scopes: [],
    }).set,
  });
  t.configure();
  t.load();
  t.applyScopes({
    monotonicNowNs: 0n,
    containers: () => ({ v1SubsysMask: 0, existing: [] }),
    processes: () => [],
  });
  t.attach();
  t.selectEvents();
  assert.equal(cfgFlags(fake, 1100), EventConfigFlags.PATH_FILTER);
  assert.equal(cfgFlags(fake, 1117), 0, "a suffix filter stays in user space");
  const pf = fake.entry("path_filters", eventKey(1100))!;
  const dv = new DataView(pf.buffer, pf.byteOffset);
  assert.equal(dv.getUint32(PathFilter.count, true), 1);
  assert.equal(dv.getUint32(PathFilter.prefixes + PathPrefix.len, true), 5);
  assert.equal(
    new TextDecoder().decode(pf.subarray(PathFilter.prefixes + PathPrefix.prefix).subarray(0, 5)),
    "/etc/",
  );
  t.destroy();
});
