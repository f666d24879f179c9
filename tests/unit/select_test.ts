import assert from "node:assert/strict";
import { UsageError } from "../../src/errors.ts";
import { globMatch, selectEvents } from "../../src/events/select.ts";
import { defaultEvents } from "../../src/events/table.ts";

const names = (items: string[]) => selectEvents(items).map((e) => e.name);

Deno.test("selects by name, comma list, set, glob and exclusion", () => {
  assert.deepEqual(names(["openat"]), ["openat"]);
  assert.deepEqual(names(["close,openat"]), ["close", "openat"]);
  assert.ok(names(["fs"]).includes("openat"));
  assert.deepEqual(names(["open*"]), [
    "open",
    "openat",
    "open_by_handle_at",
    "open_tree",
    "openat2",
    "open_tree_attr",
  ]);
  assert.deepEqual(names(["ipc_pipe"]), ["pipe", "pipe2"]);
  const fs = names(["fs", "-close", "-open*"]);
  assert.ok(fs.includes("read") && fs.includes("creat"));
  assert.ok(!fs.includes("close") && !fs.includes("openat") && !fs.includes("open"));
});

Deno.test("no selection means the default set; exclusions alone trim it", () => {
  assert.deepEqual(names([]), defaultEvents().map((e) => e.name));
  assert.ok(!names(["-openat"]).includes("openat"));
});

Deno.test("unknown names and empty results are usage errors", () => {
  assert.throws(() => selectEvents(["nosuch"]), UsageError);
  assert.throws(() => selectEvents(["zzz*"]), UsageError);
  assert.throws(() => selectEvents(["openat", "-openat"]), UsageError);
});

Deno.test("glob matching: prefix, suffix, infix", () => {
  assert.ok(globMatch("open*", "openat"));
  assert.ok(globMatch("*at", "openat"));
  assert.ok(globMatch("o*n*t", "openat"));
  assert.ok(!globMatch("*x*", "openat"));
  assert.ok(!globMatch("openat*x", "openat"));
});
