import assert from "node:assert/strict";
import { renderEventsHeader } from "../../src/events/c_header.ts";

Deno.test("bpf/events.gen.h is what the events table generates (run deno task gen-header)", () => {
  const committed = Deno.readTextFileSync(new URL("../../bpf/events.gen.h", import.meta.url));
  assert.deepEqual(committed, renderEventsHeader());
});
