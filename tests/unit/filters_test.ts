import assert from "node:assert/strict";
import { join } from "node:path";
import { EventDecoder } from "../../src/decode/decoder.ts";
import type { TraceeEvent } from "../../src/decode/event.ts";
import {
  ContainerConfig,
  ContainerFlags,
  ContainerIdFilter,
  ContainerInfo,
  ContainerRuntime,
  EqNeq,
  FilterConfig as FC,
  ProcInfo,
  RangeSlot,
  ScopeFilter,
} from "../../src/decode/layout.ts";
import { eventByName } from "../../src/events/table.ts";
import { UsageError } from "../../src/errors.ts";
import { parseArgFilter, passes } from "../../src/filters/arg_filter.ts";
import { cliPolicy } from "../../src/filters/cli_policy.ts";
import { nsInode, ppidFromStat } from "../../src/filters/filter_host.ts";
import { fnv1a } from "../../src/filters/fnv.ts";
import { type FilterHost, treeOf, writeFilterMaps } from "../../src/filters/kernel_maps.ts";
import { PolicyFilter } from "../../src/filters/policy_filter.ts";
import { loadPolicies } from "../../src/filters/policy_file.ts";
import { addScopeExpression, emptyScope, scopeIsEmpty } from "../../src/filters/scope.ts";
import { BpfObject } from "../../ffi/libbpf.ts";
import { FakeLibbpf } from "../helpers/fake_libbpf.ts";
import { Payload, record } from "../helpers/records.ts";

const openat = eventByName("openat")!;
function event(rec: Uint8Array<ArrayBuffer>): TraceeEvent {
  return new EventDecoder().decode(new DataView(rec.buffer), rec, 0, rec.length)!;
}
const openOf = (path: string, ret = 3n, policies = 1n) =>
  event(
    record(
      { eventId: 257, retval: ret, policies },
      new Payload().u64(-100).str(path).u64(0).u64(0),
    ),
  );

Deno.test("scope expressions: equality sets, ranges narrowed, bare keywords", () => {
  const s = emptyScope();
  assert.ok(scopeIsEmpty(s));
  for (
    const e of [
      "uid=0,1000",
      "uid!=33",
      "uid>=100",
      "uid<2000",
      "comm=bash",
      "follow",
      "!container",
      "tree=42",
      "binary=/usr/bin/ls",
    ]
  ) {
    addScopeExpression(s, e);
  }
  assert.deepEqual([...s.uid.eq], [0, 1000]);
  assert.deepEqual([...s.uid.neq], [33]);
  assert.deepEqual(s.uidRange, { lo: 100, hi: 1999 });
  assert.ok(s.follow && s.notContainer && s.tree.has(42) && s.binary.eq.has("/usr/bin/ls"));
  addScopeExpression(s, "global");
  assert.ok(!scopeIsEmpty(s));
});

Deno.test("scope errors name the token and what is expected", () => {
  const bad: [string, RegExp][] = [
    ["nope=1", /unknown key 'nope'/],
    ["uid=x", /uid expects numbers, got 'x'/],
    ["uid~1", /unknown operator '~'/],
    ["comm<3", /comm takes = or !=/],
    ["tree!=3", /tree takes =<pid>/],
    ["container=zz", /expects a container id/],
    ["uts=", /uts needs a value/],
  ];
  for (const [expr, re] of bad) {
    assert.throws(
      () => addScopeExpression(emptyScope(), expr),
      (e: unknown) => e instanceof UsageError && re.test(e.message),
      expr,
    );
  }
});

Deno.test("argument filters: globs on strings, comparisons on numbers, retval", () => {
  const t = (spec: string, e: TraceeEvent) => passes(parseArgFilter(openat, spec), e);
  assert.ok(t("data.pathname=/etc/*", openOf("/etc/passwd")));
  assert.ok(!t("data.pathname=/etc/*", openOf("/tmp/x")));
  assert.ok(t("args.pathname=*.so", openOf("/lib/libc.so")));
  assert.ok(t("args.pathname=*pass*", openOf("/etc/passwd")));
  assert.ok(t("args.pathname!=/tmp/*,/proc/*", openOf("/etc/x")));
  assert.ok(!t("args.pathname!=/tmp/*,/proc/*", openOf("/proc/1")));
  assert.ok(t("args.dirfd=-100", openOf("/x")));
  assert.ok(t("retval<0", openOf("/x", -2n)));
  assert.ok(!t("retval<0", openOf("/x", 3n)));
  assert.throws(() => parseArgFilter(openat, "args.pathname<3"), /strings take = or !=/);
  assert.throws(() => parseArgFilter(openat, "args.dirfd=abc"), /'abc' is not a number/);
  assert.throws(
    () => parseArgFilter(openat, "args.nope=1"),
    /openat has no argument 'nope' \(it has: dirfd, pathname, flags, mode\)/,
  );
  assert.throws(
    () => parseArgFilter(openat, "pathname=1"),
    /expected args\.<name>, data\.<name>, retval or a context field/,
  );
});

Deno.test("the CLI policy: -e selection with filters, legacy --filter, --scope, implicit default", () => {
  const { set, implicit } = cliPolicy({
    events: ["openat.data.pathname=/etc/*", "close"],
    filters: ["comm=bash", "follow", "event=execve", "retval!=0"],
    scopes: ["uid>=1000"],
  });
  assert.equal(implicit, false);
  const p = set.policies[0]!;
  assert.deepEqual(set.events().map((e) => e.name).sort(), ["close", "execve", "openat"]);
  assert.equal(p.rules.get(openat)!.length, 2, "its own filter and the global retval one");
  assert.ok(p.scope.follow && p.scope.comm.eq.has("bash"));
  assert.deepEqual(p.scope.uidRange, { lo: 1000, hi: 0xffff_ffff });
  assert.equal(cliPolicy({ events: [], filters: ["comm=x"], scopes: [] }).implicit, true);
  assert.equal(set.bitmapOf(openat), 1n);
  assert.deepEqual(set.names(1, 0), ["default"]);
});

Deno.test("policy filter: failing policies are cleared, events left with none are dropped and counted", () => {
  const dir = Deno.makeTempDirSync();
  const doc = (name: string, filter: string) =>
    `apiVersion: tracee.aquasec.com/v1beta1\nkind: Policy\nmetadata: {name: ${name}}\nspec:\n  scope: [global]\n  rules:\n    - event: openat\n      filters: ["${filter}"]\n`;
  Deno.writeTextFileSync(
    join(dir, "p.yaml"),
    doc("etc", "data.pathname=/etc/*") + "---\n" + doc("fails", "retval<0"),
  );
  const set = loadPolicies([dir]);
  const f = new PolicyFilter(set);
  const e = openOf("/etc/hosts", 3n, 3n);
  assert.ok(f.apply(e));
  assert.deepEqual(set.names(e.policiesLo, e.policiesHi), ["etc"]);
  assert.ok(!f.apply(openOf("/tmp/x", 3n, 3n)));
  assert.equal(f.dropped, 1);
});

Deno.test("policy files: schema errors name the file, the policy and the field", () => {
  const dir = Deno.makeTempDirSync();
  const file = join(dir, "p.yaml");
  Deno.writeTextFileSync(
    file,
    "apiVersion: v2\nkind: Policy\nmetadata: {name: a}\nspec: {scope: [global], rules: [{event: openat}]}\n",
  );
  assert.throws(
    () => loadPolicies([file]),
    /Cannot load policy .*p\.yaml: policy a: apiVersion: Invalid input: expected "tracee\.aquasec\.com\/v1beta1"$/,
  );
  Deno.writeTextFileSync(
    file,
    "apiVersion: tracee.aquasec.com/v1beta1\nkind: Policy\nmetadata: {name: a}\nspec: {scope: [uid=x], rules: [{event: openat}]}\n",
  );
  assert.throws(() => loadPolicies([file]), /policy a: spec\.scope: Cannot parse scope 'uid=x'/);
  Deno.writeTextFileSync(
    file,
    "apiVersion: tracee.aquasec.com/v1beta1\nkind: Policy\nmetadata: {name: a}\nspec: {scope: [global]}\n",
  );
  assert.throws(() => loadPolicies([file]), /policy a: spec\.rules: /);
});

/** The container maps of the object, for fakes. */
const CONTAINER_MAPS: { name: string; valueSize: number; maxEntries: number }[] = [
  { name: "container_config", valueSize: ContainerConfig.size, maxEntries: 1 },
  { name: "container_ids", valueSize: ContainerInfo.size, maxEntries: 1024 },
  { name: "live_containers", valueSize: 4, maxEntries: 1024 },
];

Deno.test("container scopes: id prefixes to the kernel; running containers existing, counted", () => {
  const fake = new FakeLibbpf({
    maps: [{ name: "filter_config", valueSize: FC.size, maxEntries: 1 }, ...CONTAINER_MAPS],
  });
  const obj = BpfObject.openMem(fake.symbols, new Uint8Array(8));
  const id = "ab".repeat(32);
  const set = cliPolicy({ events: ["openat"], filters: [], scopes: ["container=abab", "c!=ff"] })
    .set;
  writeFilterMaps(obj, set, {
    monotonicNowNs: 0n,
    containers: () => ({
      v1SubsysMask: 0b101,
      existing: [{
        id,
        runtime: "podman",
        cgroups: [{ ino: 77n, path: "/a", ctimeNs: 0 }, { ino: 78n, path: "/b", ctimeNs: 0 }],
      }],
    }),
    processes: () => [],
  });
  const u64 = (b: Uint8Array, at: number) =>
    new DataView(b.buffer, b.byteOffset).getBigUint64(at, true);
  const u32 = (b: Uint8Array, at: number) =>
    new DataView(b.buffer, b.byteOffset).getUint32(at, true);
  const cfg = fake.entry("filter_config", new Uint8Array(4))!;
  assert.equal(u64(cfg, FC.container_ids), 1n);
  const cc = fake.entry("container_config", new Uint8Array(4))!;
  assert.deepEqual([u32(cc, ContainerConfig.v1_subsys_mask), u32(cc, ContainerConfig.count)], [
    0b101,
    2,
  ]);
  assert.equal(u64(cc, ContainerConfig.id_eq), 1n);
  const prefix = (i: number) => {
    const at = ContainerConfig.filters + i * ContainerIdFilter.size;
    return [
      new TextDecoder().decode(
        cc.subarray(
          at + ContainerIdFilter.prefix,
          at + ContainerIdFilter.prefix + u32(cc, at + ContainerIdFilter.len),
        ),
      ),
      u64(cc, at + ContainerIdFilter.eq),
      u64(cc, at + ContainerIdFilter.neq),
    ];
  };
  assert.deepEqual([prefix(0), prefix(1)], [["abab", 1n, 0n], ["ff", 0n, 1n]]);
  const key = (v: bigint) => {
    const k = new Uint8Array(8);
    new DataView(k.buffer).setBigUint64(0, v, true);
    return k;
  };
  for (const ino of [77n, 78n]) {
    const info = fake.entry("container_ids", key(ino))!;
    assert.equal(new TextDecoder().decode(info.subarray(0, 64)), id);
    assert.deepEqual(
      [
        u64(info, ContainerInfo.scope_eq),
        u32(info, ContainerInfo.runtime),
        u32(info, ContainerInfo.flags),
      ],
      [1n, ContainerRuntime.podman, ContainerFlags.EXISTING],
    );
  }
  const short = new TextEncoder().encode(id.slice(0, 16));
  assert.equal(u32(fake.entry("live_containers", short)!, 0), 2, "one cgroup per hierarchy");
});

Deno.test("filter maps: eq/neq bitmaps per key, enabled/has_eq per type, range slots, any", () => {
  const fake = new FakeLibbpf({
    maps: [
      "filter_config",
      "uid_filter",
      "pid_filter",
      "mntns_filter",
      "pidns_filter",
      "uts_filter",
      "comm_filter",
      "cgroup_filter",
      "binary_filter",
      "proc_infos",
    ]
      .map((name): { name: string; valueSize: number; maxEntries: number } => ({
        name,
        valueSize: name === "filter_config"
          ? FC.size
          : name === "proc_infos"
          ? ProcInfo.size
          : EqNeq.size,
        maxEntries: 1024,
      })).concat(CONTAINER_MAPS),
  });
  const obj = BpfObject.openMem(fake.symbols, new Uint8Array(8));
  const dir = Deno.makeTempDirSync();
  const doc = (name: string, scope: string) =>
    `apiVersion: tracee.aquasec.com/v1beta1\nkind: Policy\nmetadata: {name: ${name}}\nspec: {scope: [${scope}], rules: [{event: openat}]}\n---\n`;
  Deno.writeTextFileSync(
    join(dir, "p.yaml"),
    doc("a", "uid=0") + doc("b", "'uid!=0', 'uid>=1000', comm=bash") + doc("c", "global") +
      doc("d", "'tree=10', binary=/bin/x"),
  );
  const set = loadPolicies([dir]);
  const host: FilterHost = {
    monotonicNowNs: 123n,
    containers: () => ({ v1SubsysMask: 0, existing: [] }),
    processes: () => [{ pid: 10, ppid: 1, exe: "/bin/sh" }, { pid: 11, ppid: 10, exe: "/bin/x" }, {
      pid: 12,
      ppid: 1,
    }],
  };
  writeFilterMaps(obj, set, host);
  const key64 = (v: bigint) => {
    const k = new Uint8Array(8);
    new DataView(k.buffer).setBigUint64(0, v, true);
    return k;
  };
  const u64 = (b: Uint8Array, at: number) =>
    new DataView(b.buffer, b.byteOffset).getBigUint64(at, true);
  const uid0 = fake.entry("uid_filter", key64(0n))!;
  assert.deepEqual([u64(uid0, EqNeq.eq), u64(uid0, EqNeq.neq)], [0b0001n, 0b0010n]);
  const cfg = fake.entry("filter_config", new Uint8Array(4))!;
  assert.equal(u64(cfg, FC.enabled + 8 * ScopeFilter.UID), 0b0011n);
  assert.equal(u64(cfg, FC.has_eq + 8 * ScopeFilter.UID), 0b0001n);
  assert.equal(u64(cfg, FC.enabled + 8 * ScopeFilter.COMM), 0b0010n);
  assert.equal(u64(cfg, FC.any), 0b1011n, "global (c) filters nothing");
  assert.deepEqual([
    u64(cfg, FC.uid_ranges + RangeSlot.policies),
    u64(cfg, FC.uid_ranges + RangeSlot.lo),
  ], [0b0010n, 1000n]);
  assert.equal(u64(cfg, FC.tree), 0b1000n);
  const pid = (n: number) => {
    const k = new Uint8Array(4);
    new DataView(k.buffer).setUint32(0, n, true);
    return k;
  };
  const p11 = fake.entry("proc_infos", pid(11))!;
  assert.equal(u64(p11, ProcInfo.tree), 0b1000n, "a child of the tree root");
  assert.equal(u64(p11, ProcInfo.binary), fnv1a("/bin/x"));
  assert.equal(u64(fake.entry("proc_infos", pid(10))!, ProcInfo.tree), 0b1000n);
  assert.equal(fake.entry("proc_infos", pid(12)), undefined);
  assert.ok(fake.entry("binary_filter", key64(fnv1a("/bin/x"))));
});

Deno.test("helpers: tree of a pid, ns inode, ppid from /proc stat, FNV-1a", () => {
  assert.deepEqual(
    [...treeOf(new Set([2]), [{ pid: 2, ppid: 1 }, { pid: 3, ppid: 2 }, { pid: 4, ppid: 3 }, {
      pid: 5,
      ppid: 1,
    }])].sort(),
    [2, 3, 4],
  );
  assert.equal(nsInode("pid:[4026531836]"), 4026531836);
  assert.equal(ppidFromStat("123 (a (weird) name) S 77 123 123 0"), 77);
  assert.equal(fnv1a(""), 0xcbf29ce484222325n);
  assert.equal(fnv1a("a"), 0xaf63dc4c8601ec8cn);
});
