import assert from "node:assert/strict";
import type { TraceeEvent } from "../../src/decode/event.ts";
import { containerCgroup, containerFromCgroupPath } from "../../src/containers/cgroup_path.ts";
import { cgroupMounts, v1SubsysMask } from "../../src/containers/cgroup_scan.ts";
import { ContainerRecord } from "../../src/containers/container_record.ts";
import { ContainerEnricher } from "../../src/containers/enricher.ts";
import { ContainerEventHold } from "../../src/containers/lifecycle.ts";
import { ContainerRegistry } from "../../src/containers/registry.ts";
import { syntheticEvent } from "../helpers/synthetic_event.ts";
import type { ContainerDetails, RuntimeClient } from "../../src/containers/runtime_client.ts";
import { ContainerEventId } from "../../src/events/container_events.ts";
import { eventById } from "../../src/events/table.ts";
import { setupLogging } from "../../src/log/logger.ts";
import { EpochClock } from "../../src/output/clock.ts";
import { containerPart } from "../../src/output/json.ts";
import { TablePrinter } from "../../src/output/table.ts";
import { compileTemplate } from "../../src/output/template.ts";

const ID = "0123456789abcdef".repeat(4);
const DETAILS: ContainerDetails = {
  name: "web",
  image: "localhost/nginx:1",
  imageDigest: "localhost/nginx@sha256:" + "e".repeat(64),
  podName: "",
  podNamespace: "",
  podUid: "",
  podSandbox: false,
};

Deno.test("cgroup names: each runtime's own, innermost first; look-alikes are not containers", () => {
  assert.deepEqual(containerCgroup(`/libpod_parent/libpod-${ID}`), { id: ID, runtime: "podman" });
  assert.deepEqual(containerCgroup(`/system.slice/docker-${ID}.scope`), {
    id: ID,
    runtime: "docker",
  });
  assert.deepEqual(containerCgroup(`/docker/${ID}`), { id: ID, runtime: "docker" });
  assert.deepEqual(containerCgroup(`/k/cri-containerd-${ID}.scope`)?.runtime, "containerd");
  assert.deepEqual(containerCgroup(`/k/crio-${ID}`)?.runtime, "crio");
  assert.equal(containerCgroup(`/libpod_parent/libpod-conmon-${ID}`), undefined);
  assert.equal(containerCgroup(`/docker-${ID}`), undefined, "docker- needs .scope");
  assert.equal(containerCgroup(`/other/${ID}`), undefined, "a bare id needs docker/ above");
  assert.equal(containerCgroup(`/docker/${ID}/init.scope`), undefined, "its child");
  assert.deepEqual(containerFromCgroupPath(`/docker/${ID}/init.scope`)?.id, ID);
});

Deno.test("cgroup v1 controllers by subsystem id; cgroup mounts from mountinfo", () => {
  const procCgroups = "#subsys_name\thierarchy\tnum_cgroups\tenabled\n" +
    "cpuset\t3\t3\t1\ncpu\t1\t3\t1\nnet_cls\t0\t2\t1\npids\t8\t3\t1\nmemory\t4\t1\t0\n";
  assert.equal(v1SubsysMask(procCgroups), 0b1011);
  const mountinfo = "30 25 0:26 / /sys/fs/cgroup rw - tmpfs tmpfs rw\n" +
    "31 30 0:27 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw\n" +
    "32 30 0:28 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu\n";
  assert.deepEqual(cgroupMounts(mountinfo), ["/sys/fs/cgroup/unified", "/sys/fs/cgroup/cpu"]);
});

/** A fake runtime: answers from `known`, or fails every request when `down`. */
function fakeClient(known: Map<string, ContainerDetails>, state = { down: false, calls: 0 }) {
  const client: RuntimeClient = {
    runtime: "podman",
    socket: "/fake.sock",
    inspect(id) {
      state.calls++;
      if (state.down) return Promise.reject(new Error("connect /fake.sock: Connection refused"));
      return Promise.resolve(known.get(id));
    },
  };
  return { client, state };
}

const fastTiming = { retryMs: 1, backoffMs: 60_000, now: () => performance.now() };

Deno.test("enricher: fills the record in the background; unknown ids end unknown", async () => {
  const { client } = fakeClient(new Map([[ID, DETAILS]]));
  const enricher = new ContainerEnricher(new Map([["podman", client]]), fastTiming);
  const rec = new ContainerRecord(ID, "podman");
  enricher.request(rec);
  assert.equal(rec.name, "", "nothing waits for the runtime");
  await enricher.settled(rec);
  assert.deepEqual([rec.state, rec.name, rec.image], ["enriched", "web", "localhost/nginx:1"]);
  const ghost = new ContainerRecord("f".repeat(64), "podman");
  enricher.request(ghost);
  await enricher.settled(ghost);
  assert.equal(ghost.state, "unknown");
  assert.equal(enricher.stats.enriched, 1);
  await enricher.close();
});

Deno.test("enricher: a runtime that does not answer gets one warning; records keep their ids", async () => {
  const lines: Record<string, unknown>[] = [];
  setupLogging("debug", {
    writeSync: (p) => (lines.push(JSON.parse(new TextDecoder().decode(p))), p.length),
  });
  const { client, state } = fakeClient(new Map(), { down: true, calls: 0 });
  const enricher = new ContainerEnricher(new Map([["podman", client]]), fastTiming);
  const recs = ["a", "b", "c"].map((c) => new ContainerRecord(c.repeat(64), "podman"));
  for (const r of recs) {
    enricher.request(r);
    await enricher.settled(r);
  }
  assert.deepEqual(recs.map((r) => [r.id.length, r.state]), [
    [64, "unavailable"],
    [64, "unavailable"],
    [64, "unavailable"],
  ]);
  assert.equal(state.calls, 1, "left alone while down");
  const warnings = lines.filter((l) => l.level === "warn");
  assert.equal(warnings.length, 1);
  assert.match(String(warnings[0]!.msg), /^Cannot enrich containers from podman: connect/);
  await enricher.close();
});

/** Event `id` of a process 1 (host 100) named cat, in the container with `containerKey`. */
function event(id: number, containerKey: number, args: TraceeEvent["args"] = []): TraceeEvent {
  const e = syntheticEvent(eventById(id)!.name, {}, {
    tsLo: 5,
    processId: 1,
    hostProcessId: 100,
    parentProcessId: 0,
    mountNamespace: 1,
    pidNamespace: 1,
    utsNamespace: 1,
    processName: "cat",
    cgroupId: 1,
    containerKey,
  });
  return { ...e, args };
}

Deno.test("registry: the kernel's key looked up once; events of one container share its record", () => {
  let lookups = 0;
  const registry = new ContainerRegistry((key) => {
    lookups++;
    return key === 7 ? { id: ID, runtime: "podman" } : undefined;
  });
  const a = event(257, 7), b = event(257, 7), host = event(257, 0), gone = event(257, 9);
  for (const e of [a, b, host, gone]) registry.attach(e);
  assert.equal(a.container, b.container);
  assert.equal(a.container?.id, ID);
  assert.equal(host.container, undefined);
  assert.equal(gone.container, undefined);
  assert.equal(lookups, 2, "7 once, 9 once");
});

Deno.test("container_create waits for the runtime's answer, then carries it; others pass", async () => {
  const { client } = fakeClient(new Map([[ID, DETAILS]]));
  const enricher = new ContainerEnricher(new Map([["podman", client]]), fastTiming);
  const registry = new ContainerRegistry(() => undefined, enricher);
  const hold = new ContainerEventHold(registry, {
    now: () => performance.now(),
    epochNs: () => 1234n,
    bootNs: () => 0,
  });
  const create = event(ContainerEventId.CONTAINER_CREATE, 0, [
    { name: "runtime", type: "const char*", value: "podman" },
    { name: "container_id", type: "const char*", value: ID },
  ]);
  assert.equal(hold.take(event(257, 0)), false);
  assert.equal(hold.take(create), true);
  const out: TraceeEvent[] = [];
  await enricher.settled(registry.byId(ID, "podman"));
  hold.release((e) => out.push(e), false);
  assert.deepEqual(out, [create]);
  const arg = (n: string) => create.args.find((a) => a.name === n)?.value;
  assert.deepEqual(
    [arg("ctime"), arg("container_name"), arg("container_image"), arg("pod_sandbox")],
    [1234n, "web", "localhost/nginx:1", false],
  );
  assert.equal(create.args.length, eventById(ContainerEventId.CONTAINER_CREATE)!.params.length);
  await enricher.close();
});

Deno.test("output: json container fields as Tracee (omitempty), table columns, template fields", () => {
  const rec = new ContainerRecord(ID, "podman");
  assert.equal(
    containerPart(rec),
    `,"containerId":"${ID}","container":{"id":"${ID}"},"kubernetes":{}`,
  );
  rec.setDetails({ ...DETAILS, podName: "p", podSandbox: true });
  assert.equal(
    containerPart(rec),
    `,"containerId":"${ID}","container":{"id":"${ID}","name":"web","image":"localhost/nginx:1","imageDigest":"${DETAILS.imageDigest}"},"kubernetes":{"podName":"p","podSandbox":true}`,
  );
  const e = event(257, 7);
  e.container = rec;
  const table = new TablePrinter(new EpochClock(), undefined, "enriched");
  assert.ok(
    table.header().startsWith("TIME             CONTAINER_ID  IMAGE            UID    COMM"),
  );
  const row = table.format(e);
  assert.equal(row.slice(17, 30), ID.slice(0, 12) + " ");
  assert.equal(row.slice(31, 47), "localhost/nginx:");
  assert.ok(row.includes(" 1      /100     1      /100     0 "), row);
  const render = compileTemplate(
    "{{ .ContainerID }} {{ .Container.Name }} {{ .container.image }} {{ .Kubernetes.PodName }}\n",
    "t",
  );
  assert.equal(
    render(e, { epoch: () => "", policies: () => "" }),
    `${ID} web localhost/nginx:1 p`,
  );
});

Deno.test("scopes upstream's policies use: aliases, container prefixes; rules' context filters", async () => {
  const { addScopeExpression, emptyScope } = await import("../../src/filters/scope.ts");
  const { parseArgFilter, passes } = await import("../../src/filters/arg_filter.ts");
  const s = emptyScope();
  for (const x of ["u>=1000", "p=42", "c", "not-container", "exec=/bin/ls", "executable=/bin/x"]) {
    addScopeExpression(s, x);
  }
  addScopeExpression(s, "container=abc1*");
  addScopeExpression(s, "container!=ff");
  assert.deepEqual([s.uidRange, [...s.pid.eq], s.container, s.notContainer], [
    { lo: 1000, hi: 4294967295 },
    [42],
    "any",
    true,
  ]);
  assert.deepEqual([...s.binary.eq], ["/bin/ls", "/bin/x"]);
  assert.deepEqual([[...s.containerIds.eq], [...s.containerIds.neq]], [["abc1"], ["ff"]]);
  assert.throws(() => addScopeExpression(emptyScope(), "container=web"), /id or its prefix/);

  const openat = eventById(257)!;
  const e = event(257, 7);
  const rec = new ContainerRecord(ID, "podman");
  rec.setDetails(DETAILS);
  e.container = rec;
  const pass = (f: string) => passes(parseArgFilter(openat, f), e);
  assert.equal(pass("containerImage=localhost/nginx*"), true);
  assert.equal(pass("containerName=db"), false);
  assert.equal(pass("context.containerName!=db"), true);
  assert.equal(pass(`containerId=${ID}`), true);
  assert.equal(pass("pid=1"), true);
  assert.equal(pass("hostPid>100"), false);
  e.container = undefined;
  assert.equal(pass("containerName=web"), false, "a host event has no container name");
});

Deno.test("a container starts when a process of it with its own mount namespace runs a program", () => {
  const reg = new ContainerRegistry((key) =>
    key === 5 ? { id: "c".repeat(64), runtime: "podman" } : undefined
  );
  const exec = (mntns: number) =>
    syntheticEvent("sched_process_exec", { pathname: "/bin/sh" }, {
      containerKey: 5,
      mountNamespace: mntns,
    });
  const e = exec(4026532500);
  reg.attach(e);
  assert.equal(e.container?.started, false);
  reg.noteExec(e, 4026532500);
  assert.equal(e.container?.started, false, "same mount namespace as its parent: still setting up");
  reg.noteExec(e, 0);
  assert.equal(e.container?.started, false, "parent unknown: no decision");
  reg.noteExec(e, 4026531841);
  assert.equal(e.container?.started, true, "the runtime's init ran the entrypoint");
  reg.markExisting("d".repeat(64), "docker");
  const running = syntheticEvent("getppid", {}, { containerKey: 0 });
  assert.equal(running.container, undefined);
  assert.equal(reg.byId("d".repeat(64), "docker").started, true, "running before tracee");
});
