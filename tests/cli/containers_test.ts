/**
 * Containers with a real podman (the project's own: tools/podman.sh): tracee as a user runs it,
 * with podman's API service on a socket of the test's own.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { kernelTest, uniqueName } from "../helpers/kernel.ts";
import {
  inspectId,
  podman,
  PodmanService,
  podmanUnavailable,
  removeContainer,
  TEST_IMAGE,
} from "../helpers/podman.ts";
import { TraceeProcess } from "../helpers/tracee_process.ts";

type Json = Record<string, unknown> & {
  eventName: string;
  args: { name: string; value: unknown }[];
  matchedPolicies: string[];
  containerId: string;
  container: { id?: string; name?: string; image?: string; imageDigest?: string };
};

const argOf = (e: Json, name: string) => e.args.find((a) => a.name === name)?.value;

/** kernelTest that also needs podman (set up by tools/podman.sh). */
function podmanTest(name: string, fn: () => Promise<void>): void {
  kernelTest(name, async () => {
    const why = podmanUnavailable();
    if (why) throw new Error(`podman is needed: ${why}`);
    await fn();
  });
}

function policyDir(policies: [string, string, string[]][]): string {
  const dir = Deno.makeTempDirSync();
  policies.forEach(([name, scope, events], i) => {
    Deno.writeTextFileSync(
      join(dir, `${i}.yaml`),
      `apiVersion: tracee.aquasec.com/v1beta1\nkind: Policy\nmetadata: {name: ${name}}\n` +
        `spec: {scope: [${scope}], rules: [${events.map((e) => `{event: ${e}}`).join(", ")}]}\n`,
    );
  });
  return dir;
}

/** A detached container opening `/<marker>` every 0.2 s. */
function loopingContainer(name: string, marker: string): string {
  podman(
    "run",
    "-d",
    "--name",
    name,
    TEST_IMAGE,
    "sh",
    "-c",
    `while true; do cat /${marker} 2>/dev/null; sleep 0.2; done`,
  );
  return inspectId(name);
}

function events(t: TraceeProcess): Json[] {
  return t.jsonEvents() as Json[];
}

async function seen(t: TraceeProcess, pred: (e: Json) => boolean, ms = 20000): Promise<Json> {
  const line = await t.waitFor("stdout", (l) => l.startsWith("{") && pred(JSON.parse(l)), ms);
  return JSON.parse(line);
}

podmanTest(
  "podman containers: ids as podman reports them, names and images, lifecycle events, container scopes",
  async () => {
    const service = new PodmanService("life");
    const oldName = uniqueName("old");
    const newName = uniqueName("new");
    const hostMarker = uniqueName("host-open");
    let tracee: TraceeProcess | undefined;
    try {
      const oldId = loopingContainer(oldName, oldName);
      const dir = policyDir([
        ["new", "container=new", ["openat"]],
        ["host", "'!container'", ["openat"]],
        ["containers", "container", ["openat"]],
        ["lifecycle", "global", ["existing_container", "container_create", "container_remove"]],
      ]);
      tracee = new TraceeProcess([
        "--log",
        "debug",
        "-o",
        "json",
        "--cri",
        `podman:${service.socket}`,
        "--policy",
        dir,
      ]);
      await tracee.ready();

      // running before tracee: existing_container, described by podman
      const existing = await seen(
        tracee,
        (e) => e.eventName === "existing_container" && argOf(e, "container_id") === oldId,
      );
      assert.equal(argOf(existing, "runtime"), "podman");
      assert.equal(argOf(existing, "container_name"), oldName);
      assert.equal(argOf(existing, "container_image"), TEST_IMAGE);

      // started after tracee: container_create, then its events with podman's full id
      const newId = loopingContainer(newName, newName);
      const created = await seen(
        tracee,
        (e) => e.eventName === "container_create" && argOf(e, "container_id") === newId,
      );
      assert.equal(argOf(created, "runtime"), "podman");
      assert.equal(argOf(created, "container_name"), newName);
      assert.equal(argOf(created, "container_image"), TEST_IMAGE);
      assert.match(String(argOf(created, "container_image_digest")), /@sha256:[0-9a-f]{64}$/);

      const opened = (marker: string) => (e: Json) =>
        e.eventName === "openat" && argOf(e, "pathname") === `/${marker}`;
      // the container's open once podman has described it (its first ones may carry the id only)
      const newOpen = await seen(tracee, (e) => opened(newName)(e) && e.container.name === newName);
      assert.equal(newOpen.containerId, newId);
      assert.deepEqual(
        [newOpen.container.id, newOpen.container.image],
        [newId, TEST_IMAGE],
      );
      assert.deepEqual(newOpen.matchedPolicies.sort(), ["containers", "new"]);

      const oldOpen = await seen(tracee, opened(oldName));
      assert.equal(oldOpen.containerId, oldId);
      assert.deepEqual(oldOpen.matchedPolicies, ["containers"], "container=new: not a new one");

      new Deno.Command("cat", { args: [`/${hostMarker}`], stderr: "null" }).outputSync();
      const hostOpen = await seen(tracee, opened(hostMarker));
      assert.deepEqual(hostOpen.matchedPolicies, ["host"], "!container: the host only");
      assert.deepEqual([hostOpen.containerId, hostOpen.container], ["", {}]);

      // every event of each container is in exactly the policies its scopes allow
      for (const e of events(tracee).filter((e) => e.eventName === "openat")) {
        if (e.containerId === newId) assert.ok(!e.matchedPolicies.includes("host"));
        if (e.containerId === oldId) assert.deepEqual(e.matchedPolicies, ["containers"]);
        if (e.containerId === "") assert.deepEqual(e.matchedPolicies, ["host"]);
      }

      removeContainer(newName);
      const removed = await seen(
        tracee,
        (e) => e.eventName === "container_remove" && argOf(e, "container_id") === newId,
      );
      assert.equal(argOf(removed, "runtime"), "podman");
      const st = await tracee.stop();
      assert.equal(st.code, 0);
      const lifecycle = events(tracee).filter((e) =>
        e.eventName.startsWith("container_") && argOf(e, "container_id") === newId
      );
      assert.deepEqual(
        lifecycle.map((e) => e.eventName),
        ["container_create", "container_remove"],
        "one of each, whatever the number of cgroup hierarchies",
      );
    } finally {
      await tracee?.stop();
      removeContainer(oldName);
      removeContainer(newName);
      service.stop();
    }
  },
);

podmanTest(
  "podman's API stopped: events carry container ids only, with one warning",
  async () => {
    const service = new PodmanService("stopped");
    const name = uniqueName("noapi");
    let tracee: TraceeProcess | undefined;
    try {
      tracee = new TraceeProcess([
        "--log",
        "debug",
        "-o",
        "json",
        "--cri",
        `podman:${service.socket}`,
        "--scope",
        "container",
        "-e",
        "openat",
      ]);
      await tracee.ready();
      service.stop();
      const id = loopingContainer(name, name);
      const open = await seen(
        tracee,
        (e) => argOf(e, "pathname") === `/${name}` && e.containerId === id,
      );
      assert.deepEqual(open.container, { id });
      // more opens of the same container: still flowing, still ids only
      await seen(
        tracee,
        (e) =>
          argOf(e, "pathname") === `/${name}` && e.containerId === id && e !== open &&
          e.timestamp !== open.timestamp,
      );
      await tracee.stop();
      const warnings = tracee.stderrLines.filter((l) =>
        l.includes('"level":"warn"') && l.includes("Cannot enrich containers from podman")
      );
      assert.equal(warnings.length, 1, tracee.stderrLines.join("\n"));
    } finally {
      await tracee?.stop();
      removeContainer(name);
      service.stop();
    }
  },
);

kernelTest("--cri with a socket that is not there: one error line, exit 2", () => {
  const t = new Deno.Command(`${new URL("../../dist/tracee", import.meta.url).pathname}`, {
    args: ["--cri", "podman:/nonexistent/podman.sock"],
    stdout: "piped",
    stderr: "piped",
  }).outputSync();
  const err = new TextDecoder().decode(t.stderr).trim().split("\n");
  assert.equal(t.code, 2);
  assert.equal(
    err[0],
    "Cannot use --cri 'podman:/nonexistent/podman.sock': stat /nonexistent/podman.sock: no such file or directory",
  );
  assert.ok(err.length <= 2 && (err.length === 1 || err[1]!.startsWith("hint: ")));
});
