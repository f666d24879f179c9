/**
 * Tracee policy files (`--policy FILE|DIR`): YAML documents of
 *   apiVersion: tracee.aquasec.com/v1beta1
 *   kind: Policy
 *   metadata: { name: ... }
 *   spec:
 *     scope: [ global | comm=bash | uid>=1000 | follow | ... ]
 *     defaultActions: [ log ]
 *     rules: [ { event: openat, filters: [ data.pathname=/etc/*, retval<0 ] } ]
 * A directory contributes every *.yaml / *.yml file in it, in name order; a file may hold
 * several documents. Every problem is one error naming the file, the policy and what is wrong.
 */
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { z } from "zod";
import type { EventDef } from "../events/event_def.ts";
import { type EventCatalog, kernelCatalog } from "../events/catalog.ts";
import { selectEvents } from "../events/select.ts";
import { fileErrorText, UsageError } from "../errors.ts";
import { type ArgFilter, parseArgFilter } from "./arg_filter.ts";
import { MAX_POLICIES, type Policy, PolicySet } from "./policy.ts";
import { addScopeExpression, emptyScope } from "./scope.ts";

const API_VERSION = "tracee.aquasec.com/v1beta1";

const PolicySchema = z.object({
  apiVersion: z.literal(API_VERSION),
  kind: z.literal("Policy"),
  metadata: z.object({
    name: z.string().regex(
      /^[a-z0-9]([-a-z0-9._]*[a-z0-9])?$/,
      "a lower-case name (letters, digits, - . _)",
    ),
    annotations: z.record(z.string(), z.string()).optional(),
  }),
  spec: z.object({
    scope: z.array(z.string()).min(1),
    defaultActions: z.array(z.string()).optional(),
    rules: z.array(z.object({
      event: z.string().min(1),
      filters: z.array(z.string()).optional(),
      actions: z.array(z.string()).optional(),
    })).min(1),
  }),
});

type PolicyDoc = z.infer<typeof PolicySchema>;

function policyFiles(path: string): string[] {
  let st: Deno.FileInfo;
  try {
    st = Deno.statSync(path);
  } catch (e) {
    throw new UsageError(`Cannot load policy ${path}: ${fileErrorText(e)}`);
  }
  if (!st.isDirectory) return [path];
  const files = [...Deno.readDirSync(path)]
    .filter((e) => e.isFile && /\.ya?ml$/.test(e.name))
    .map((e) => join(path, e.name))
    .sort();
  if (files.length === 0) {
    throw new UsageError(`Cannot load policies from ${path}: no .yaml or .yml files in it`);
  }
  return files;
}

function issuePath(path: PropertyKey[]): string {
  return path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("").replace(
    /^\./,
    "",
  );
}

function parseDocs(file: string): PolicyDoc[] {
  let text: string;
  try {
    text = Deno.readTextFileSync(file);
  } catch (e) {
    throw new UsageError(`Cannot load policy ${file}: ${fileErrorText(e)}`);
  }
  const out: PolicyDoc[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (!("errors" in doc)) continue;
    if (doc.errors.length > 0) {
      const err = doc.errors[0]!;
      const line = err.linePos?.[0]?.line;
      throw new UsageError(
        `Cannot load policy ${file}: invalid YAML${line ? ` at line ${line}` : ""}: ${
          err.message.split("\n")[0]
        }`,
      );
    }
    const value = doc.toJS();
    if (value === null || value === undefined) continue;
    const r = PolicySchema.safeParse(value);
    if (!r.success) {
      const issue = r.error.issues[0]!;
      const name = typeof value?.metadata?.name === "string"
        ? `policy ${value.metadata.name}: `
        : "";
      throw new UsageError(
        `Cannot load policy ${file}: ${name}${
          issuePath(issue.path) || "document"
        }: ${issue.message}`,
      );
    }
    out.push(r.data);
  }
  return out;
}

function toPolicy(doc: PolicyDoc, id: number, file: string, catalog: EventCatalog): Policy {
  const where = `Cannot load policy ${file}: policy ${doc.metadata.name}`;
  const scope = emptyScope();
  for (const s of doc.spec.scope) {
    try {
      addScopeExpression(scope, s);
    } catch (e) {
      throw new UsageError(`${where}: spec.scope: ${(e as Error).message}`);
    }
  }
  const rules = new Map<EventDef, ArgFilter[]>();
  doc.spec.rules.forEach((rule, i) => {
    let selected: EventDef[];
    try {
      selected = selectEvents([rule.event], catalog);
    } catch (e) {
      throw new UsageError(`${where}: spec.rules[${i}].event: ${(e as Error).message}`);
    }
    for (const def of selected) {
      const filters = rules.get(def) ?? [];
      for (const f of rule.filters ?? []) {
        try {
          filters.push(parseArgFilter(def, f));
        } catch (e) {
          throw new UsageError(`${where}: spec.rules[${i}].filters: ${(e as Error).message}`);
        }
      }
      rules.set(def, filters);
    }
  });
  const named = new Set(
    doc.spec.rules.map((r) => catalog.byName(r.event)).filter((e): e is EventDef =>
      e !== undefined
    ),
  );
  return { id, name: doc.metadata.name, scope, rules, named };
}

/** Loads the policies of every path given to --policy. */
export function loadPolicies(
  paths: readonly string[],
  catalog: EventCatalog = kernelCatalog,
): PolicySet {
  const docs: { doc: PolicyDoc; file: string }[] = [];
  for (const path of paths) {
    for (const file of policyFiles(path)) {
      for (const doc of parseDocs(file)) docs.push({ doc, file });
    }
  }
  if (docs.length === 0) {
    throw new UsageError(`Cannot load policies: ${paths.join(", ")} hold no policy`);
  }
  if (docs.length > MAX_POLICIES) {
    throw new UsageError(
      `Cannot load policies: ${docs.length} policies given, at most ${MAX_POLICIES} are supported`,
    );
  }
  const seen = new Map<string, string>();
  for (const { doc, file } of docs) {
    const prev = seen.get(doc.metadata.name);
    if (prev) {
      throw new UsageError(
        `Cannot load policy ${file}: policy ${doc.metadata.name} is also defined in ${prev}`,
      );
    }
    seen.set(doc.metadata.name, file);
  }
  return new PolicySet(docs.map(({ doc, file }, id) => toPolicy(doc, id, file, catalog)));
}
