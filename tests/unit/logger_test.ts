import assert from "node:assert/strict";
import { logger, setupLogging } from "../../src/log/logger.ts";

function capture(
  level: "debug" | "info" | "warn" | "error",
  fn: () => void,
): Record<string, unknown>[] {
  const lines: string[] = [];
  setupLogging(level, { writeSync: (p) => (lines.push(new TextDecoder().decode(p)), p.length) });
  fn();
  return lines.join("").trim().split("\n").filter((l) => l !== "").map((l) => JSON.parse(l));
}

Deno.test("log lines are Tracee's JSON: level, ts, msg, then fields", () => {
  const [line] = capture(
    "debug",
    () => logger("initialize").debug("BTF", { bpfenv: false, btfenv: false, vmlinux: true }),
  );
  assert.deepEqual(Object.keys(line!), ["level", "ts", "msg", "bpfenv", "btfenv", "vmlinux"]);
  assert.equal(line!.level, "debug");
  assert.equal(line!.msg, "BTF");
  assert.equal(typeof line!.ts, "number");
});

Deno.test("--log picks the lowest level printed; warning prints as warn", () => {
  const lines = capture("warn", () => {
    logger("x").debug("hidden");
    logger("x").info("hidden too");
    logger("x").warn("KConfig: assuming kconfig values, might have unexpected behavior");
    logger("x").error("shown");
  });
  assert.deepEqual(lines.map((l) => [l.level, l.msg]), [
    ["warn", "KConfig: assuming kconfig values, might have unexpected behavior"],
    ["error", "shown"],
  ]);
});
