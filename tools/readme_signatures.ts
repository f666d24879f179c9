/**
 * Rewrites the signature table of README.md (Detections) from the built-in signatures and what
 * this kernel can feed (`deno task readme-signatures`, as root for tracefs).
 */
import { builtinSignatures } from "../src/signatures/builtin/index.ts";
import { SignatureRegistry } from "../src/signatures/registry.ts";
import { feedability, listFeatures } from "../src/cli/signatures_list.ts";
import { ensureTracefs } from "../src/osinfo/tracefs.ts";
ensureTracefs();
const f = listFeatures();
const r = new SignatureRegistry();
for (const s of builtinSignatures) r.add(s, "builtin");
const rows = r.all.map((l) => {
  const m = l.signature.metadata;
  const needs = l.signature.selectedEvents.map((e) =>
    e.origin && e.origin !== "*" ? `${e.name} (${e.origin})` : e.name
  ).join(", ");
  const feed = feedability(l.signature, f).replace(/ \(.*kprobe.*\)$/, " (needs kprobes)");
  return `| ${m.id} | \`${m.eventName}\` | ${m.properties.Severity} | ${needs} | ${feed} |`;
});
const p = new URL("../README.md", import.meta.url).pathname;
const s = Deno.readTextFileSync(p);
const start = s.search(/^\| id +\| event name +\|/m);
if (start < 0) throw new Error("Cannot find the signature table in README.md");
const head = s.indexOf("\n", s.indexOf("\n", start) + 1) + 1;
const end = s.indexOf("\n\n", head);
Deno.writeTextFileSync(p, s.slice(0, head) + rows.join("\n") + s.slice(end));
