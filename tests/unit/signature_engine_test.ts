/**
 * The detection engine and its registry: what a signature must look like, which events reach
 * which signature (subscription, policies, origin), and isolation of a signature that throws.
 */
import assert from "node:assert/strict";
import type { TraceeEvent, TriggerValue } from "../../src/decode/event.ts";
import { UsageError } from "../../src/errors.ts";
import type { Policy } from "../../src/filters/policy.ts";
import { PolicySet } from "../../src/filters/policy.ts";
import { emptyScope } from "../../src/filters/scope.ts";
import { setupLogging } from "../../src/log/logger.ts";
import { type EngineHost, SignatureEngine } from "../../src/signatures/engine.ts";
import { SignatureRegistry } from "../../src/signatures/registry.ts";
import {
  type ContainerInfo,
  defineSignature,
  type EventSelector,
  type Signature,
} from "../../src/signatures/signature.ts";
import { type EventFields, syntheticEvent } from "../helpers/synthetic_event.ts";

/** A signature that records what it is shown and reports every event it sees. */
function recorder(
  eventName: string,
  selectedEvents: EventSelector[],
  onEvent: Signature["onEvent"] = (_e, ctx) => ctx.detect({ container: ctx.container?.id ?? "" }),
): Signature & { seen: TraceeEvent[] } {
  const seen: TraceeEvent[] = [];
  return {
    seen,
    ...defineSignature({
      metadata: {
        id: `TEST-${eventName}`,
        version: "1",
        name: eventName,
        eventName,
        description: "test",
        properties: { Severity: 1 },
      },
      selectedEvents,
      onEvent(e, ctx) {
        seen.push(e);
        onEvent(e, ctx);
      },
    }),
  };
}

/** Policies numbered from 0, each selecting the signature events named. */
function policies(registry: SignatureRegistry, ...selections: string[][]): PolicySet {
  const catalog = registry.catalog();
  return new PolicySet(selections.map((names, id): Policy => ({
    id,
    name: `p${id}`,
    scope: emptyScope(),
    rules: new Map(names.map((n) => [catalog.byName(n)!, []])),
  })));
}

/** A host whose containers are given per mount namespace. */
function host(containers: Record<number, string> = {}): EngineHost {
  return {
    processTree: { get: () => undefined, ancestors: () => [] },
    containerOf: (e): ContainerInfo | undefined =>
      containers[e.mountNamespace] ? { id: containers[e.mountNamespace]! } : undefined,
  };
}

/** Runs `e` through the engine; returns the findings. */
function run(engine: SignatureEngine, ...events: TraceeEvent[]): TraceeEvent[] {
  const out: TraceeEvent[] = [];
  for (const e of events) engine.process(e, (f) => out.push(f));
  return out;
}

const open = (fields: EventFields = {}) =>
  syntheticEvent("security_file_open", { pathname: "/x", flags: 0 }, fields);

Deno.test("registry: a malformed signature is refused with what is wrong and where from", () => {
  const good = recorder("good_one", [{ name: "openat" }]);
  const cases: [Signature, RegExp][] = [
    [{ ...good, metadata: { ...good.metadata, id: "" } }, /metadata\.id is missing/],
    [{ ...good, metadata: { ...good.metadata, eventName: "BadName" } }, /not lower_snake_case/],
    [
      { ...good, metadata: { ...good.metadata, properties: { Severity: 7 as 0 } } },
      /Severity must be 0, 1, 2 or 3/,
    ],
    [{ ...good, selectedEvents: [] }, /selectedEvents is empty/],
    [
      { ...good, selectedEvents: [{ name: "openat", origin: "pod" as "host" }] },
      /origin 'pod'/,
    ],
    [
      { ...good, onEvent: undefined as unknown as Signature["onEvent"] },
      /onEvent is not a function/,
    ],
  ];
  for (const [sig, why] of cases) {
    assert.throws(
      () => new SignatureRegistry().add(sig, "/sigs/x.ts"),
      (e: Error) =>
        e instanceof UsageError && /^Cannot load signature/.test(e.message) &&
        e.message.includes("/sigs/x.ts") && why.test(e.message),
    );
  }
});

Deno.test("registry: a duplicate id, a duplicate event name, a kernel event's name are refused", () => {
  const registry = new SignatureRegistry();
  registry.add(recorder("first_one", [{ name: "openat" }]), "a.ts");
  const sameId = recorder("second_one", [{ name: "openat" }]);
  assert.throws(
    () =>
      registry.add({ ...sameId, metadata: { ...sameId.metadata, id: "TEST-first_one" } }, "b.ts"),
    /Cannot load signature TEST-first_one from b\.ts: its id is already used/,
  );
  const sameEvent = recorder("first_one", [{ name: "openat" }]);
  assert.throws(
    () => registry.add({ ...sameEvent, metadata: { ...sameEvent.metadata, id: "TEST-9" } }, "c.ts"),
    /event name 'first_one' is already used/,
  );
  assert.throws(
    () => registry.add(recorder("openat", [{ name: "openat" }]), "d.ts"),
    /event name 'openat' is already used/,
  );
  assert.equal(registry.all.length, 1);
});

Deno.test("engine: an event reaches only the signatures that selected it", () => {
  const registry = new SignatureRegistry();
  const opens = recorder("sees_opens", [{ name: "security_file_open" }]);
  const execs = recorder("sees_execs", [{ name: "sched_process_exec" }]);
  registry.add(opens, "t");
  registry.add(execs, "t");
  const engine = new SignatureEngine(
    registry,
    policies(registry, ["sees_opens", "sees_execs"]),
    registry.catalog(),
    host(),
  );
  const findings = run(engine, open(), syntheticEvent("sched_process_exec"), open());
  assert.equal(opens.seen.length, 2);
  assert.equal(execs.seen.length, 1);
  assert.deepEqual(findings.map((f) => f.def.name), ["sees_opens", "sees_execs", "sees_opens"]);
  assert.deepEqual(engine.counts()["TEST-sees_opens"], { events: 2, findings: 2, errors: 0 });
});

Deno.test("engine: a signature runs only for the policies that selected it, and reports for those", () => {
  const registry = new SignatureRegistry();
  const a = recorder("in_policy_a", [{ name: "security_file_open" }]);
  const b = recorder("in_policy_b", [{ name: "security_file_open" }]);
  registry.add(a, "t");
  registry.add(b, "t");
  // policy 0 selects a, policy 1 selects b
  const engine = new SignatureEngine(
    registry,
    policies(registry, ["in_policy_a"], ["in_policy_b"]),
    registry.catalog(),
    host(),
  );
  const onlyPolicy1 = run(engine, open({ policiesLo: 0b10 }));
  assert.equal(a.seen.length, 0);
  assert.equal(b.seen.length, 1);
  assert.deepEqual(onlyPolicy1.map((f) => [f.def.name, f.policiesLo]), [["in_policy_b", 0b10]]);
  const both = run(engine, open({ policiesLo: 0b11 }));
  assert.deepEqual(both.map((f) => [f.def.name, f.policiesLo]), [
    ["in_policy_a", 0b01],
    ["in_policy_b", 0b10],
  ]);
  const unselected = new SignatureEngine(
    registry,
    policies(registry, []),
    registry.catalog(),
    host(),
  );
  assert.equal(unselected.active, false);
  assert.equal(run(unselected, open()).length, 0);
});

Deno.test("engine: origin container/host/* picks events by where they came from", () => {
  const registry = new SignatureRegistry();
  const inContainer = recorder("origin_container", [{
    name: "security_file_open",
    origin: "container",
  }]);
  const onHost = recorder("origin_host", [{ name: "security_file_open", origin: "host" }]);
  const anywhere = recorder("origin_any", [{ name: "security_file_open", origin: "*" }]);
  for (const s of [inContainer, onHost, anywhere]) registry.add(s, "t");
  const engine = new SignatureEngine(
    registry,
    policies(registry, ["origin_container", "origin_host", "origin_any"]),
    registry.catalog(),
    host({ 7: "abc123" }),
  );
  const fromContainer = run(engine, open({ mountNamespace: 7 }));
  const fromHost = run(engine, open({ mountNamespace: 1 }));
  const report = (fs: TraceeEvent[]) =>
    fs.map((f) => [f.def.name, f.args.find((a) => a.name === "container")!.value]);
  assert.deepEqual(report(fromContainer), [["origin_container", "abc123"], [
    "origin_any",
    "abc123",
  ]]);
  assert.deepEqual(report(fromHost), [["origin_host", ""], ["origin_any", ""]]);
});

Deno.test("engine: a signature that throws is counted and logged once; the others keep running", () => {
  const lines: string[] = [];
  setupLogging("warn", { writeSync: (p) => (lines.push(new TextDecoder().decode(p)), p.length) });
  try {
    const registry = new SignatureRegistry();
    const broken = recorder("always_throws", [{ name: "security_file_open" }], () => {
      throw new Error("boom");
    });
    const fine = recorder("keeps_going", [{ name: "security_file_open" }]);
    registry.add(broken, "t");
    registry.add(fine, "t");
    const engine = new SignatureEngine(
      registry,
      policies(registry, ["always_throws", "keeps_going"]),
      registry.catalog(),
      host(),
    );
    const findings = run(engine, open(), open(), open());
    assert.deepEqual(findings.map((f) => f.def.name), [
      "keeps_going",
      "keeps_going",
      "keeps_going",
    ]);
    assert.deepEqual(engine.counts()["TEST-always_throws"], { events: 3, findings: 0, errors: 3 });
    const logged = lines.join("").trim().split("\n").map((l) => JSON.parse(l));
    assert.equal(logged.length, 1);
    assert.equal(logged[0].level, "warn");
    assert.equal(logged[0].signature, "TEST-always_throws");
    assert.equal(logged[0].error, "boom");
  } finally {
    setupLogging("warn");
  }
});

Deno.test("engine: a finding carries the trigger, the data, and the signature's metadata", () => {
  const registry = new SignatureRegistry();
  registry.add(recorder("reports_data", [{ name: "security_file_open" }]), "t");
  const engine = new SignatureEngine(
    registry,
    policies(registry, ["reports_data"]),
    registry.catalog(),
    host(),
  );
  const [f] = run(engine, open({ processName: "curl", hostProcessId: 4242 }));
  assert.equal(f!.processName, "curl");
  assert.equal(f!.hostProcessId, 4242);
  assert.equal(f!.eventId, registry.all[0]!.def.id);
  const by = f!.args.find((a) => a.name === "triggeredBy")!.value as TriggerValue;
  assert.equal(by.name, "security_file_open");
  assert.deepEqual(by.args, [
    { name: "pathname", type: "const char*", value: "/x" },
    { name: "flags", type: "int", value: 0 },
  ]);
  assert.equal(f!.metadata?.Properties.signatureID, "TEST-reports_data");
  assert.equal(f!.metadata?.Properties.Severity, 1);
});
