import assert from "node:assert/strict";
import { AT_FDCWD, O, S, STATX } from "../../ffi/fs.ts";
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

Deno.test("struct statx offsets and the open/stat constants match <sys/stat.h> and <fcntl.h>", () => {
  const checks: Record<string, string> = {};
  for (const field of Object.keys(STATX)) {
    checks[field] = field === "size" ? "sizeof(struct statx)" : `offsetof(struct statx, ${field})`;
  }
  for (const [k] of Object.entries(O)) checks[`O_${k}`] = `O_${k}`;
  for (const [k] of Object.entries(S)) checks[`S_${k}`] = `S_${k}`;
  checks.AT_FDCWD_NEG = "-AT_FDCWD";
  const out = parseProbe(
    compileAndRun("#define _GNU_SOURCE\n" + offsetProbe(["<fcntl.h>", "<sys/stat.h>"], checks)),
  );
  assert.deepEqual(out, {
    ...STATX,
    ...Object.fromEntries(Object.entries(O).map(([k, v]) => [`O_${k}`, v])),
    ...Object.fromEntries(Object.entries(S).map(([k, v]) => [`S_${k}`, v])),
    AT_FDCWD_NEG: -AT_FDCWD,
  });
});
