/**
 * matchedPolicies with up to 64 policies: the 64-bit bitmap the kernel writes must come out as
 * exactly the names of its bits, in json, in templates and after argument filters.
 */
import assert from "node:assert/strict";
import { EventDecoder } from "../../src/decode/decoder.ts";
import type { TraceeEvent } from "../../src/decode/event.ts";
import { eventByName } from "../../src/events/table.ts";
import { parseArgFilter } from "../../src/filters/arg_filter.ts";
import { MAX_POLICIES, type Policy, PolicySet } from "../../src/filters/policy.ts";
import { PolicyFilter } from "../../src/filters/policy_filter.ts";
import { emptyScope } from "../../src/filters/scope.ts";
import { EpochClock } from "../../src/output/clock.ts";
import { JsonPrinter } from "../../src/output/json.ts";
import { TemplatePrinter } from "../../src/output/template.ts";
import { Payload, record } from "../helpers/records.ts";

const openat = eventByName("openat")!;

/** 64 policies p0 … p63 selecting openat; `filtered` get a pathname filter. */
function policies(filtered: ReadonlySet<number> = new Set()): PolicySet {
  const list: Policy[] = [];
  for (let id = 0; id < MAX_POLICIES; id++) {
    const filters = filtered.has(id) ? [parseArgFilter(openat, "data.pathname=/etc/*")] : [];
    list.push({ id, name: `p${id}`, scope: emptyScope(), rules: new Map([[openat, filters]]) });
  }
  return new PolicySet(list);
}

function openWith(bits: bigint, path = "/tmp/x"): TraceeEvent {
  const rec = record(
    { eventId: 257, policies: bits, comm: "cat" },
    new Payload().u64(-100).str(path).u64(0).u64(0),
  );
  return new EventDecoder().decode(new DataView(rec.buffer), rec, 0, rec.length)!;
}

/** Names the bits of `bits` stand for, computed here with BigInt (independently of the code). */
function expectedNames(bits: bigint): string[] {
  const out: string[] = [];
  for (let id = 0; id < MAX_POLICIES; id++) if ((bits >> BigInt(id)) & 1n) out.push(`p${id}`);
  return out;
}

const ALL = (1n << 64n) - 1n;

Deno.test("json: all 64 policies matched are all 64 names", () => {
  const set = policies();
  const json = new JsonPrinter(new EpochClock(0n), (lo, hi) => set.names(lo, hi));
  const got = JSON.parse(json.format(openWith(ALL))).matchedPolicies;
  assert.equal(got.length, 64);
  assert.deepEqual(got, expectedNames(ALL));
});

Deno.test("json: policies 0 and 63 together, and every bitmap differing only above 2^53", () => {
  const set = policies();
  const json = new JsonPrinter(new EpochClock(0n), (lo, hi) => set.names(lo, hi));
  const names = (bits: bigint) => JSON.parse(json.format(openWith(bits))).matchedPolicies;
  assert.deepEqual(names(1n | (1n << 63n)), ["p0", "p63"]);
  // One after the other: as one JS number these would all be 2^63 and share a cache entry.
  assert.deepEqual(names(1n << 63n), ["p63"]);
  assert.deepEqual(names((1n << 63n) | 2n), ["p1", "p63"]);
  assert.deepEqual(names((1n << 63n) | 1n), ["p0", "p63"]);
  assert.deepEqual(names(ALL ^ 1n), expectedNames(ALL ^ 1n));
  assert.deepEqual(names(ALL), expectedNames(ALL));
});

Deno.test("json and template: every single bit is exactly its own policy", () => {
  const set = policies();
  const namer = (lo: number, hi: number) => set.names(lo, hi);
  const json = new JsonPrinter(new EpochClock(0n), namer);
  const tpl = new TemplatePrinter("{{ .MatchedPolicies }}", "t.tmpl", new EpochClock(0n), namer);
  for (let id = 0; id < MAX_POLICIES; id++) {
    const e = openWith(1n << BigInt(id));
    assert.deepEqual(JSON.parse(json.format(e)).matchedPolicies, [`p${id}`], `bit ${id}`);
    assert.equal(tpl.format(e), `p${id}`, `bit ${id} (template)`);
  }
});

Deno.test("argument filters clear exactly the failing policies' bits, 0 to 63", () => {
  const failing = new Set([0, 31, 32, 63]);
  const set = policies(failing);
  const filter = new PolicyFilter(set);
  const e = openWith(ALL, "/tmp/not-etc");
  assert.ok(filter.apply(e));
  let left = ALL;
  for (const id of failing) left &= ~(1n << BigInt(id));
  assert.deepEqual(set.names(e.policiesLo, e.policiesHi), expectedNames(left));
  assert.equal((BigInt(e.policiesHi) << 32n) | BigInt(e.policiesLo), left);

  const only63 = openWith(1n << 63n, "/tmp/not-etc");
  assert.ok(!filter.apply(only63), "its one policy failed: dropped");
  assert.equal(filter.dropped, 1);
  const passing = openWith(ALL, "/etc/passwd");
  assert.ok(filter.apply(passing));
  assert.equal(set.names(passing.policiesLo, passing.policiesHi).length, 64);
});
