import assert from "node:assert/strict";
import { EventDecoder } from "../../src/decode/decoder.ts";
import type { TraceeEvent } from "../../src/decode/event.ts";
import { UsageError } from "../../src/errors.ts";
import { EpochClock } from "../../src/output/clock.ts";
import { JsonPrinter } from "../../src/output/json.ts";
import {
  errnoRet,
  TablePrinter,
  VERBOSE_HEADER,
  VerboseTablePrinter,
} from "../../src/output/table.ts";
import { compileTemplate, TemplatePrinter } from "../../src/output/template.ts";
import { Payload, record } from "../helpers/records.ts";

function event(rec: Uint8Array<ArrayBuffer>): TraceeEvent {
  return new EventDecoder().decode(new DataView(rec.buffer), rec, 0, rec.length)!;
}
const failedOpen = () =>
  event(record(
    {
      eventId: 257,
      pid: 5,
      tid: 5,
      hostPid: 1005,
      hostTid: 1005,
      mntNs: 11,
      pidNs: 22,
      retval: -13n,
      comm: "cat",
    },
    new Payload().u64(-100).str("/root/x").u64(0).u64(0),
  ));

Deno.test("with parse-arguments the RET column shows the errno name; without, the number", () => {
  const clock = new EpochClock();
  assert.match(new TablePrinter(clock, errnoRet).format(failedOpen()), / EACCES {11}openat /);
  assert.match(new TablePrinter(clock).format(failedOpen()), / -13 {14}openat /);
  const ok = event(
    record({ eventId: 257, retval: 3n }, new Payload().u64(-100).str("/x").u64(0).u64(0)),
  );
  assert.match(new TablePrinter(clock, errnoRet).format(ok), / 3 {16}openat /);
});

Deno.test("json keeps returnValue and adds returnValueName with parse-arguments", () => {
  const j = JSON.parse(new JsonPrinter(new EpochClock(), () => [], true).format(failedOpen()));
  assert.equal(j.returnValue, -13);
  assert.equal(j.returnValueName, "EACCES");
  const plain = JSON.parse(new JsonPrinter(new EpochClock(), () => []).format(failedOpen()));
  assert.equal(plain.returnValueName, undefined);
});

Deno.test("table-verbose shows namespaces and ns/host ids", () => {
  const p = new VerboseTablePrinter(new EpochClock());
  assert.equal(p.header(), VERBOSE_HEADER);
  const line = p.format(failedOpen());
  assert.match(line, / 11 {11}22 {11}0 {6}cat {14}5\/1005 {8}5\/1005 /);
});

Deno.test("gotemplate: Go and JSON field names, .Args and .Args.NAME", () => {
  const p = new TemplatePrinter(
    "{{ .EventName }} {{.processName}}[{{.HostProcessID}}] ret={{.ReturnValue}} p={{ .Args.pathname }} all=({{.Args}})\n",
    "t.tmpl",
    new EpochClock(),
    () => ["p1"],
  );
  assert.equal(
    p.format(failedOpen()),
    "openat cat[1005] ret=-13 p=/root/x all=(dirfd: -100, pathname: /root/x, flags: 0, mode: 0)",
  );
});

Deno.test("gotemplate: an unknown field or unbalanced braces is a UsageError naming the file and line", () => {
  assert.throws(() => compileTemplate("ok\n{{ .Nope }}", "a.tmpl"), (e: unknown) => {
    assert.ok(e instanceof UsageError);
    assert.equal(
      e.message,
      "Cannot parse template a.tmpl: unknown field '.Nope' on line 2 (see --help)",
    );
    return true;
  });
  assert.throws(() => compileTemplate("{{ .EventName }} }}", "b.tmpl"), /unbalanced/);
});
