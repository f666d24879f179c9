/**
 * Scopes, filters and policies on the real kernel, run as a user would. Triggers are started
 * from this test process (not from bash), so `comm=bash` tests see only what they start.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { kernelTest, trigger, uniqueName } from "../helpers/kernel.ts";
import { runTracee, TraceeProcess } from "../helpers/tracee_process.ts";

interface Seen {
  readonly lines: Record<string, unknown>[];
  /** JSON events whose arguments mention `s`. */
  about(s: string): Record<string, unknown>[];
  stderr: string[];
}

/**
 * Starts tracee (json, debug log), runs `act` once it is attached, waits until every marker in
 * `expect` was printed, then a little longer for the ones that must not appear, and stops.
 */
async function traceRun(
  args: string[],
  act: () => void | Promise<void>,
  expect: string[],
): Promise<Seen> {
  const t = new TraceeProcess(["-o", "json", "--log", "debug", ...args]);
  try {
    await t.ready();
    await act();
    for (const m of expect) await t.waitFor("stdout", (l) => l.includes(m));
    await new Promise((r) => setTimeout(r, 600));
  } finally {
    const st = await t.stop();
    assert.equal(st.code, 0, t.stderrLines.join("\n"));
  }
  const lines = t.jsonEvents();
  return {
    lines,
    about: (s) => lines.filter((e) => JSON.stringify(e.args).includes(s)),
    stderr: t.stderrLines,
  };
}

kernelTest("--filter comm=bash --filter follow: bash and its descendants, not dash", async () => {
  const [u1, u2, u3] = ["u1", "u2", "u3"].map((t) => `/tmp/${uniqueName(t)}`);
  const seen = await traceRun(
    ["--filter", "comm=bash", "--filter", "follow", "--events", "openat"],
    () => {
      trigger("bash", ["-c", `cat ${u1}; true`]);
      trigger("sh", ["-c", `cat ${u2}; true`]);
      trigger("bash", ["-c", `sh -c 'cat ${u3}; true'; true`]);
    },
    [u1, u3],
  );
  const cat1 = seen.about(u1);
  assert.equal(cat1.length, 1, "the cat bash started");
  assert.equal(cat1[0]!.processName, "cat");
  assert.deepEqual(cat1[0]!.matchedPolicies, ["default"]);
  assert.equal(seen.about(u2).length, 0, "dash (sh) and its cat are not traced");
  assert.equal(seen.about(u3)[0]!.processName, "cat", "a grandchild of bash is");
  // Other bash processes on the host (and what they start) match too; this test's own process,
  // which no bash started after tracee, must not.
  assert.ok(
    seen.lines.every((e) => e.hostProcessId !== Deno.pid),
    "the test process (not a bash descendant since tracee started) is not traced",
  );
});

kernelTest("uid filters: uid=65534 and uid>=1000 see nobody's process, not root's", async () => {
  for (const scope of ["uid=65534", "uid>=1000"]) {
    const [mine, root] = [`/tmp/${uniqueName("nobody")}`, `/tmp/${uniqueName("root")}`];
    const seen = await traceRun(["--scope", scope, "--events", "openat"], () => {
      trigger("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "cat", mine]);
      trigger("cat", [root]);
    }, [mine]);
    assert.equal(seen.about(mine)[0]!.userId, 65534, scope);
    assert.equal(seen.about(root).length, 0, `${scope}: root's cat filtered`);
  }
});

kernelTest("tree=<pid> and pid=<pid>: a process and what it starts, nothing else", async () => {
  const [own, child, other] = ["own", "child", "other"].map((t) => `/tmp/${uniqueName(t)}`);
  const shell = new Deno.Command("bash", {
    args: ["-c", `read line; exec 3<${own}; cat ${child}; true`],
    stdin: "piped",
    stdout: "null",
    stderr: "null",
  }).spawn();
  Deno.writeTextFileSync(own, "x");
  try {
    const seen = await traceRun(
      ["--scope", `tree=${shell.pid}`, "--events", "openat"],
      async () => {
        const w = shell.stdin.getWriter();
        await w.write(new TextEncoder().encode("go\n"));
        await w.close();
        trigger("cat", [other]);
      },
      [own, child],
    );
    assert.equal(seen.about(own)[0]!.hostProcessId, shell.pid, "the root itself");
    assert.equal(
      seen.about(child)[0]!.hostParentProcessId,
      shell.pid,
      "its child, forked after tracee started",
    );
    assert.equal(seen.about(other).length, 0);
  } finally {
    await shell.status;
    Deno.removeSync(own);
  }

  const target = new Deno.Command("bash", {
    args: ["-c", `read line; exec 3<${other}; cat ${child}-pid; true`],
    stdin: "piped",
    stdout: "null",
    stderr: "null",
  }).spawn();
  Deno.writeTextFileSync(other, "x");
  try {
    const seen = await traceRun(
      ["--scope", `pid=${target.pid}`, "--events", "openat"],
      async () => {
        const w = target.stdin.getWriter();
        await w.write(new TextEncoder().encode("go\n"));
        await w.close();
      },
      [other],
    );
    assert.equal(seen.about(other)[0]!.hostProcessId, target.pid);
    assert.equal(seen.about(`${child}-pid`).length, 0, "pid= is that process only");
  } finally {
    await target.status;
    Deno.removeSync(other);
  }
});

kernelTest("mntns!=<host's>: a process in a new mount namespace (unshare -m) only", async () => {
  const hostMnt = /\[(\d+)\]/.exec(Deno.readLinkSync("/proc/self/ns/mnt"))![1];
  const [inside, outside] = [`/tmp/${uniqueName("ns-in")}`, `/tmp/${uniqueName("ns-out")}`];
  const seen = await traceRun(["--scope", `mntns!=${hostMnt}`, "--events", "openat"], () => {
    trigger("unshare", ["-m", "cat", inside]);
    trigger("cat", [outside]);
  }, [inside]);
  assert.notEqual(String(seen.about(inside)[0]!.mountNamespace), hostMnt);
  assert.equal(seen.about(outside).length, 0);
});

kernelTest("binary=: only processes running that executable", async () => {
  const cat = Deno.realPathSync("/bin/cat");
  const [a, b] = [`/tmp/${uniqueName("bin-cat")}`, `/tmp/${uniqueName("bin-head")}`];
  const seen = await traceRun(["--scope", `binary=${cat}`, "--events", "openat"], () => {
    trigger("cat", [a]);
    trigger("head", [b]);
  }, [a]);
  assert.equal(seen.about(a)[0]!.processName, "cat");
  assert.equal(seen.about(b).length, 0);
});

kernelTest("argument globs and return-value filters run after decode", async () => {
  const prefix = uniqueName("glob");
  const [hit, miss] = [`/tmp/${prefix}-hit`, `/tmp/${uniqueName("nomatch")}`];
  const seen = await traceRun(["--events", `openat.data.pathname=/tmp/${prefix}*`], () => {
    trigger("cat", [hit]);
    trigger("cat", [miss]);
  }, [hit]);
  assert.equal(seen.about(hit).length, 1);
  assert.equal(seen.about(miss).length, 0);
  assert.ok(seen.lines.every((e) => String(JSON.stringify(e.args)).includes(`/tmp/${prefix}`)));
  const logs = seen.stderr.map((l) => l.startsWith("{") ? JSON.parse(l) : {});
  const counts = logs.find((l) => l.msg === "Filter counts");
  const losses = logs.find((l) => l.msg === "Loss counts");
  assert.equal(counts.printed, seen.lines.length);
  assert.ok(counts.argument_filtered > 0, "the miss (at least) was dropped by the filter");
  assert.equal(
    losses.received,
    counts.printed + counts.argument_filtered,
    "every openat received was printed or dropped by the filter, and counted",
  );

  const exists = Deno.makeTempFileSync();
  const missing = `/tmp/${uniqueName("retval")}`;
  const failed = await traceRun([
    "--filter",
    "openat.retval<0",
    "--events",
    "openat",
    "--filter",
    "comm=cat",
  ], () => {
    trigger("cat", [exists]);
    trigger("cat", [missing]);
  }, [missing]);
  assert.equal(failed.about(missing)[0]!.returnValue, -2);
  assert.equal(failed.about(exists).length, 0, "a successful open is filtered out");
  Deno.removeSync(exists);
});

kernelTest("two policies from YAML: each event names the policies it matched", async () => {
  const dir = Deno.makeTempDirSync();
  const marker = uniqueName("pol");
  Deno.writeTextFileSync(
    join(dir, "a-cat.yaml"),
    `apiVersion: tracee.aquasec.com/v1beta1
kind: Policy
metadata:
  name: cat-opens
spec:
  scope:
    - comm=cat
  defaultActions: [log]
  rules:
    - event: openat
      filters:
        - data.pathname=/tmp/${marker}*
`,
  );
  Deno.writeTextFileSync(
    join(dir, "b-head.yml"),
    `apiVersion: tracee.aquasec.com/v1beta1
kind: Policy
metadata:
  name: head-opens
spec:
  scope: [comm=head]
  rules:
    - event: openat
      filters: [data.pathname=/tmp/${marker}*]
---
apiVersion: tracee.aquasec.com/v1beta1
kind: Policy
metadata:
  name: all-failed-opens
spec:
  scope: [global]
  rules:
    - event: openat
      filters: [retval<0, data.pathname=/tmp/${marker}*]
`,
  );
  const [c, h] = [`/tmp/${marker}-cat`, `/tmp/${marker}-head`];
  const seen = await traceRun(["--policy", dir], () => {
    trigger("cat", [c]);
    trigger("head", [h]);
  }, [c, h]);
  assert.deepEqual(seen.about(c)[0]!.matchedPolicies, ["cat-opens", "all-failed-opens"]);
  assert.deepEqual(seen.about(h)[0]!.matchedPolicies, ["head-opens", "all-failed-opens"]);
  Deno.removeSync(dir, { recursive: true });
});

kernelTest("bad filters, scopes and policies: one line naming the problem, exit 2", () => {
  const dir = Deno.makeTempDirSync();
  Deno.writeTextFileSync(
    join(dir, "bad.yaml"),
    "apiVersion: tracee.aquasec.com/v1beta1\nkind: Policy\nmetadata: {name: x}\nspec: {scope: [global], rules: [{event: nosuch}]}\n",
  );
  Deno.writeTextFileSync(join(dir, "broken.yaml"), "kind: [unclosed\n");
  const many = Deno.makeTempDirSync();
  for (let i = 0; i < 65; i++) {
    Deno.writeTextFileSync(
      join(many, `p${String(i).padStart(2, "0")}.yaml`),
      `apiVersion: tracee.aquasec.com/v1beta1\nkind: Policy\nmetadata: {name: p${i}}\nspec: {scope: [global], rules: [{event: openat}]}\n`,
    );
  }
  const cases: [string[], RegExp][] = [
    [["--scope", "colour=red"], /^Cannot parse scope 'colour=red': unknown key 'colour'/],
    [
      ["--filter", "uid~0"],
      /^Cannot parse filter 'uid~0': unknown filter 'uid~0'|^Cannot parse scope 'uid~0'/,
    ],
    [["--scope", "uid=abc"], /^Cannot parse scope 'uid=abc': uid expects numbers, got 'abc'/],
    [["--scope", "comm=averyveryverylongname"], /comm values are at most 15 characters/],
    [["--events", "openat.data.pathname=/a*b*c"], /unsupported glob '\/a\*b\*c'/],
    [["--events", "openat.data.nosuch=1"], /openat has no argument 'nosuch'/],
    [["--events", "openat.data.flags=abc"], /'abc' is not a number/],
    [["--filter", "event=nosuch"], /unknown event or set 'nosuch'/],
    [
      ["--policy", join(dir, "bad.yaml")],
      /^Cannot load policy .*bad\.yaml: policy x: spec\.rules\[0\]\.event: .*unknown event or set 'nosuch'/,
    ],
    [["--policy", join(dir, "broken.yaml")], /^Cannot load policy .*broken\.yaml: invalid YAML/],
    [
      ["--policy", "/nonexistent/p.yaml"],
      /^Cannot load policy \/nonexistent\/p\.yaml: no such file or directory$/,
    ],
    [["--policy", many], /^Cannot load policies: 65 policies given, at most 64/],
    [
      ["--policy", join(dir, "bad.yaml"), "--scope", "comm=x"],
      /^Cannot use --policy together with --events, --scope or --filter/,
    ],
  ];
  for (const [args, re] of cases) {
    const r = runTracee(args);
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    const lines = r.stderr.trim().split("\n");
    assert.equal(lines.length, 1, `${args.join(" ")}: ${r.stderr}`);
    assert.match(lines[0]!, re);
  }
  Deno.removeSync(dir, { recursive: true });
  Deno.removeSync(many, { recursive: true });
});

kernelTest(
  "64 policies: an event all match names all 64; one only 0 and 63 match names those",
  async () => {
    const dir = Deno.makeTempDirSync();
    const marker = uniqueName("p64");
    const names: string[] = [];
    for (let i = 0; i < 64; i++) {
      const name = `p${String(i).padStart(2, "0")}`;
      names.push(name);
      const scope = i === 0 || i === 63 ? "[comm=cat, comm=head]" : "[comm=cat]";
      Deno.writeTextFileSync(
        join(dir, `${name}.yaml`),
        `apiVersion: tracee.aquasec.com/v1beta1\nkind: Policy\nmetadata: {name: ${name}}\nspec: {scope: ${scope}, rules: [{event: openat, filters: [data.pathname=/tmp/${marker}*]}]}\n`,
      );
    }
    const [c, h] = [`/tmp/${marker}-cat`, `/tmp/${marker}-head`];
    const seen = await traceRun(["--policy", dir], () => {
      trigger("cat", [c]);
      trigger("head", [h]);
    }, [c, h]);
    assert.deepEqual(seen.about(c)[0]!.matchedPolicies, names);
    assert.deepEqual(seen.about(h)[0]!.matchedPolicies, ["p00", "p63"]);
    Deno.removeSync(dir, { recursive: true });
  },
);
