/** Writes bpf/events.gen.h from the events table (`deno task gen-header`). */
import { renderEventsHeader } from "../src/events/c_header.ts";

const path = new URL("../bpf/events.gen.h", import.meta.url);
Deno.writeTextFileSync(path, renderEventsHeader());
console.log(`wrote ${path.pathname}`);
