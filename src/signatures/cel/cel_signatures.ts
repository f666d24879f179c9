/**
 * CEL signatures in Tracee's Go-CEL format (a YAML file, `kind: SignaturesConfig`, `apiVersion:
 * tracee.aquasecurity.github.io/v1alpha1`): each entry has upstream's `metadata`, the
 * `eventSelectors` it needs, and an `expression` over `input` (the event) that is true for a
 * finding. Expressions are compiled at start with @bufbuild/cel; a bad one is one error naming the
 * file, the signature and the position.
 *
 * `input` has the event's fields (eventName, processName, processId, hostProcessId, userId,
 * returnValue, containerID, …, args) and methods: stringArg(name) (the argument as text, numbers
 * by name as `-o option:parse-arguments` prints them: 'PTRACE_TRACEME', 'O_WRONLY|O_CREAT'),
 * intArg(name), stringArrayArg(name), sockaddrArg(name) (a map: sa_family, sin_addr, sin_port,
 * sin6_addr, sin6_port, sun_path). The CEL string extensions (indexOf, lowerAscii, …) are on.
 */
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import {
  celEnv,
  type CelInput,
  celMethod,
  CelScalar,
  isCelError,
  listType,
  mapType,
  parse as parseCel,
  plan,
} from "@bufbuild/cel";
import { strings } from "@bufbuild/cel/ext";
import type { ArgValue, TraceeEvent } from "../../decode/event.ts";
import { parseArguments } from "../../enrich/parse_args.ts";
import { UsageError } from "../../errors.ts";
import type { ContainerInfo, Signature } from "../signature.ts";

const KIND = "SignaturesConfig";
const API_VERSION = "tracee.aquasecurity.github.io/v1alpha1";

const metadataSchema = z.object({
  id: z.string().min(1),
  version: z.union([z.string(), z.number()]).transform(String),
  name: z.string().min(1),
  eventName: z.string().optional(),
  description: z.string().default(""),
  tags: z.array(z.string()).optional(),
  properties: z.record(z.string(), z.unknown()).default({}),
});

const configSchema = z.object({
  kind: z.literal(KIND),
  apiVersion: z.literal(API_VERSION),
  signatures: z.array(z.object({
    metadata: metadataSchema,
    eventSelectors: z.array(z.object({
      source: z.string().optional(),
      name: z.string().min(1),
      origin: z.enum(["*", "container", "host"]).optional(),
    })).min(1),
    expression: z.string().min(1),
  })).min(1),
});

const INPUT = mapType(CelScalar.STRING, CelScalar.DYN);

/**
 * The event being evaluated, for the methods on `input` (evaluation is synchronous: one event at
 * a time), and its arguments as parse-arguments prints them (made on first use).
 */
let current: TraceeEvent | undefined;
let currentParsed: Map<string, ArgValue> | undefined;

/** An argument of the current event. */
function arg(name: string): ArgValue | undefined {
  return current?.args.find((a) => a.name === name)?.value;
}

/** An argument of the current event as text, as parse-arguments prints it. */
function argText(name: string): string {
  if (!current) return "";
  let parsed = currentParsed;
  if (!parsed) {
    const copy: TraceeEvent = { ...current, args: current.args.map((a) => ({ ...a })) };
    parseArguments(copy);
    parsed = currentParsed = new Map(copy.args.map((a) => [a.name, a.value]));
  }
  const v = parsed.get(name);
  if (v === undefined) return "";
  return typeof v === "string" ? v : typeof v === "object" ? JSON.stringify(v) : String(v);
}

const ENV = celEnv({
  funcs: [
    ...strings,
    celMethod("stringArg", INPUT, [CelScalar.STRING], CelScalar.STRING, (name) => argText(name)),
    celMethod("intArg", INPUT, [CelScalar.STRING], CelScalar.INT, (name) => {
      const v = arg(name);
      return typeof v === "number" ? BigInt(Math.trunc(v)) : typeof v === "bigint" ? v : 0n;
    }),
    celMethod(
      "stringArrayArg",
      INPUT,
      [CelScalar.STRING],
      listType(CelScalar.STRING),
      (name) => {
        const v = arg(name);
        return Array.isArray(v) ? v.map(String) : [];
      },
    ),
    celMethod(
      "sockaddrArg",
      INPUT,
      [CelScalar.STRING],
      mapType(CelScalar.STRING, CelScalar.DYN),
      (name) => {
        const v = arg(name);
        const out = new Map<string, string | bigint>();
        if (v && typeof v === "object" && !Array.isArray(v) && !(v instanceof Uint8Array)) {
          for (const [k, x] of Object.entries(v)) {
            out.set(k, /_port$|_flowinfo$|_scopeid$/.test(k) ? BigInt(Number(x)) : String(x));
          }
        }
        return out;
      },
    ),
  ],
});

/** The CEL `input` of an event. */
function inputOf(e: TraceeEvent, container: ContainerInfo | undefined): Map<string, CelInput> {
  return new Map<string, CelInput>([
    ["eventName", e.def.name],
    ["eventID", BigInt(e.eventId)],
    ["processName", e.processName],
    ["processID", BigInt(e.processId)],
    ["threadID", BigInt(e.threadId)],
    ["parentProcessID", BigInt(e.parentProcessId)],
    ["hostProcessID", BigInt(e.hostProcessId)],
    ["hostThreadID", BigInt(e.hostThreadId)],
    ["hostParentProcessID", BigInt(e.hostParentProcessId)],
    ["userID", BigInt(e.userId)],
    ["mountNS", BigInt(e.mountNamespace)],
    ["PIDNS", BigInt(e.pidNamespace)],
    ["cgroupID", BigInt(e.cgroupId)],
    ["returnValue", BigInt(e.returnValue)],
    ["argsNum", BigInt(e.args.length)],
    ["containerID", container?.id ?? ""],
    ["containerName", container?.name ?? ""],
    ["containerImage", container?.image ?? ""],
  ]);
}

/** "<input>:1:17: found = …" → "line 1, column 17: found = …". */
function position(message: string): string {
  return message.replace(/^<input>:(\d+):(\d+): /, "line $1, column $2: ");
}

/** The signatures of a CEL YAML file; throws UsageError naming `file` (and the signature). */
export function celSignatures(file: string, text: string): Signature[] {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw new UsageError(
      `Cannot load CEL signatures ${file}: ${(e as Error).message.split("\n")[0]}`,
    );
  }
  const r = configSchema.safeParse(doc);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new UsageError(
      `Cannot load CEL signatures ${file}: ${issue.path.join(".") || "document"}: ${issue.message}`,
    );
  }
  return r.data.signatures.map((s) => {
    let program: ReturnType<typeof plan>;
    try {
      program = plan(ENV, parseCel(s.expression));
    } catch (e) {
      throw new UsageError(
        `Cannot compile CEL signature ${s.metadata.id} in ${file}: ${
          position((e as Error).message)
        }`,
      );
    }
    const m = s.metadata;
    const sig: Signature = {
      metadata: {
        id: m.id,
        version: m.version,
        name: m.name,
        eventName: m.eventName ?? m.id.toLowerCase().replace(/[^a-z0-9]+/g, "_"),
        description: m.description,
        tags: m.tags,
        properties: { Severity: 0, ...m.properties } as Signature["metadata"]["properties"],
      },
      selectedEvents: s.eventSelectors.map((sel) => ({ name: sel.name, origin: sel.origin })),
      onEvent(e, ctx) {
        current = e;
        currentParsed = undefined;
        let result;
        try {
          result = program({ input: inputOf(e, ctx.container) });
        } finally {
          current = undefined;
          currentParsed = undefined;
        }
        if (isCelError(result)) throw new Error(`CEL evaluation failed: ${result.message}`);
        if (result === true) ctx.detect();
      },
    };
    return sig;
  });
}
