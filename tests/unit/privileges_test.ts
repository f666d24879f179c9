import assert from "node:assert/strict";
import { NotSupportedError } from "../../src/errors.ts";
import {
  capsAllowTracing,
  effectiveCaps,
  requirePrivileges,
} from "../../src/runtime/privileges.ts";

Deno.test("root, CAP_SYS_ADMIN, or CAP_BPF+CAP_PERFMON may trace; nobody else", () => {
  assert.doesNotThrow(() => requirePrivileges(0, () => "CapEff:\t000001ffffffffff\n"));
  assert.doesNotThrow(() =>
    requirePrivileges(0, () => {
      throw new Error("no /proc");
    })
  );
  assert.throws(() => requirePrivileges(0, () => "CapEff:\t0000000000000000\n"), NotSupportedError);
  assert.ok(capsAllowTracing(1n << 21n));
  assert.ok(capsAllowTracing((1n << 38n) | (1n << 39n)));
  assert.ok(!capsAllowTracing(1n << 39n));
  assert.equal(effectiveCaps("Name:\tx\nCapEff:\t000001c000000000\n"), 0x1c000000000n);
  assert.throws(
    () => requirePrivileges(1000, () => "CapEff:\t0000000000000000\n"),
    (e: unknown) => e instanceof NotSupportedError && /must run as root/.test(e.message),
  );
});
