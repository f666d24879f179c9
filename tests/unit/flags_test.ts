import assert from "node:assert/strict";
import { parseArgs } from "../../src/cli/flags.ts";
import { UsageError } from "../../src/errors.ts";

Deno.test("defaults: table output, info logs, /tmp/tracee, 4096 ring pages", () => {
  const o = parseArgs([]);
  assert.equal(o.command, "run");
  if (o.command !== "run") return;
  assert.equal(o.format, "table");
  assert.equal(o.log, "info");
  assert.equal(o.installPath, "/tmp/tracee");
  assert.equal(o.ringBufferPages, 4096);
  assert.equal(o.allowInsecureBpfFile, false);
  assert.deepEqual(o.events, []);
});

Deno.test("--events/-e repeat and --output takes formats and option: switches", () => {
  const o = parseArgs([
    "-e",
    "openat,close",
    "--events",
    "execve",
    "-o",
    "json",
    "-o",
    "option:parse-arguments",
  ]);
  assert.ok(o.command === "run");
  assert.deepEqual(o.events, ["openat,close", "execve"]);
  assert.equal(o.format, "json");
  assert.deepEqual(o.outputOptions, {
    parseArguments: true,
    parseArgumentsFds: false,
    execEnv: false,
    execHash: false,
    sortEvents: false,
  });
});

Deno.test("gotemplate=FILE, table-verbose, and parse-arguments-fds implying parse-arguments", () => {
  const t = parseArgs(["-o", "gotemplate=/x.tmpl"]);
  assert.ok(t.command === "run" && t.format === "gotemplate" && t.templatePath === "/x.tmpl");
  const v = parseArgs(["-o", "table-verbose,option:parse-arguments-fds,option:sort-events"]);
  assert.ok(v.command === "run" && v.format === "table-verbose");
  assert.ok(
    v.outputOptions.parseArguments && v.outputOptions.parseArgumentsFds &&
      v.outputOptions.sortEvents,
  );
  assert.throws(() => parseArgs(["-o", "gotemplate="]), /gotemplate= needs a template file/);
});

Deno.test("list, --list and --help are their own commands", () => {
  assert.equal(parseArgs(["list"]).command, "list");
  assert.equal(parseArgs(["--list"]).command, "list");
  const h = parseArgs(["--help"]);
  assert.ok(h.command === "info" && h.text.includes("--allow-insecure-bpf-file"));
});

Deno.test("bad input is one UsageError line naming what is wrong", () => {
  const cases: [string[], RegExp][] = [
    [["--bogus"], /^Cannot parse flags: unknown option '--bogus'$/],
    [
      ["--log", "loud"],
      /^Cannot parse flags: option '-l, --log <level>' argument 'loud' is invalid/,
    ],
    [["-o", "xml"], /^Cannot parse --output: unknown format 'xml'/],
    [["-o", "option:nope"], /^Cannot parse --output: unknown option 'option:nope'/],
    [["--ring-buffer-size", "3"], /^Cannot parse --ring-buffer-size: '3' is not a power of two/],
    [["extra"], /^Cannot parse flags: too many arguments/],
  ];
  for (const [argv, re] of cases) {
    assert.throws(() => parseArgs(argv), (e: unknown) => {
      assert.ok(e instanceof UsageError, `${argv}: ${e}`);
      assert.match(e.message, re);
      assert.ok(!e.message.includes("\n"));
      return true;
    });
  }
});
