import assert from "node:assert/strict";
import { OPEN_OPTS } from "../../ffi/libbpf.ts";
import { compileAndRun, offsetProbe, parseProbe } from "../helpers/cc.ts";

Deno.test("bpf_object_open_opts offsets match <bpf/libbpf.h>", () => {
  const checks: Record<string, string> = {};
  for (const field of Object.keys(OPEN_OPTS)) {
    checks[field] = field === "size"
      ? "sizeof(struct bpf_object_open_opts)"
      : `offsetof(struct bpf_object_open_opts, ${field})`;
  }
  const out = parseProbe(compileAndRun(offsetProbe(["<bpf/libbpf.h>"], checks)));
  assert.deepEqual(out, { ...OPEN_OPTS });
});
