import assert from "node:assert/strict";
import type { ArgValue, TraceeEvent } from "../../src/decode/event.ts";
import { UsageError } from "../../src/errors.ts";
import { celSignatures } from "../../src/signatures/cel/cel_signatures.ts";
import type { SignatureContext } from "../../src/signatures/signature.ts";
import * as helpers from "../../src/signatures/event_args.ts";
import { syntheticEvent } from "../helpers/synthetic_event.ts";

const FILE = `kind: SignaturesConfig
apiVersion: tracee.aquasecurity.github.io/v1alpha1
signatures:
  - metadata:
      id: "CEL-1"
      version: "0.1.0"
      name: "Anti-Debugging in CEL"
      eventName: cel_anti_debugging
      description: ptrace traceme
      tags: ["linux"]
      properties:
        Severity: 3
        "MITRE ATT&CK": "Defense Evasion"
    eventSelectors:
      - source: tracee
        name: ptrace
    expression: |-
      input.eventName == 'ptrace' && input.stringArg('request') == 'PTRACE_TRACEME'
  - metadata:
      id: "CEL-2"
      version: 1
      name: "Shadow from a shell"
    eventSelectors:
      - name: security_file_open
        origin: "*"
    expression: |-
      input.stringArg('pathname').startsWith('/etc/shad') && input.processName in ['sh', 'bash'] &&
      input.intArg('flags') >= 0 && input.returnValue == 0 && input.containerID == ''
`;

function event(name: string, args: Record<string, ArgValue>, comm = "sh"): TraceeEvent {
  return syntheticEvent(name, args, { processId: 1, processName: comm });
}

function fires(sigIndex: number, e: TraceeEvent): boolean {
  let found = false;
  const ctx: SignatureContext = {
    detect: () => found = true,
    processTree: { get: () => undefined, ancestors: () => [] },
    container: undefined,
    helpers,
  };
  celSignatures("rules.yaml", FILE)[sigIndex]!.onEvent(e, ctx);
  return found;
}

Deno.test("CEL: upstream's format loads; metadata and selectors as written", () => {
  const [a, b] = celSignatures("rules.yaml", FILE);
  assert.equal(a!.metadata.id, "CEL-1");
  assert.equal(a!.metadata.eventName, "cel_anti_debugging");
  assert.equal(a!.metadata.properties.Severity, 3);
  assert.deepEqual(a!.selectedEvents, [{ name: "ptrace", origin: undefined }]);
  assert.equal(b!.metadata.version, "1");
  assert.equal(b!.metadata.eventName, "cel_2", "an event name made from the id when none is given");
});

Deno.test("CEL: stringArg gives arguments as parse-arguments prints them; intArg the number", () => {
  assert.equal(fires(0, event("ptrace", { request: 0, pid: 0 })), true);
  assert.equal(fires(0, event("ptrace", { request: 16, pid: 5 })), false, "PTRACE_ATTACH");
  assert.equal(fires(1, event("security_file_open", { pathname: "/etc/shadow", flags: 0 })), true);
  assert.equal(
    fires(1, event("security_file_open", { pathname: "/etc/shadow", flags: 0 }, "cat")),
    false,
  );
});

Deno.test("CEL: a bad expression names the file, the signature and the position", () => {
  const bad = FILE.replace("input.eventName == 'ptrace' &&", "input.eventName == &&");
  assert.throws(
    () => celSignatures("/etc/tracee/rules.yaml", bad),
    (e: Error) =>
      e instanceof UsageError &&
      /^Cannot compile CEL signature CEL-1 in \/etc\/tracee\/rules\.yaml: line 1, column \d+/
        .test(e.message) &&
      !e.message.includes("\n"),
  );
});

Deno.test("CEL: wrong kind, wrong apiVersion, no selectors, not YAML: one line each", () => {
  const cases: [string, RegExp][] = [
    [FILE.replace("kind: SignaturesConfig", "kind: Policy"), /kind/],
    [FILE.replace("v1alpha1", "v2"), /apiVersion/],
    [
      FILE.replace(
        /eventSelectors:\n {6}- source: tracee\n {8}name: ptrace\n/,
        "eventSelectors: []\n",
      ),
      /eventSelectors/,
    ],
    ["kind: [", /Cannot load CEL signatures x\.yaml/],
  ];
  for (const [text, re] of cases) {
    assert.throws(
      () => celSignatures("x.yaml", text),
      (e: Error) => e instanceof UsageError && re.test(e.message) && !e.message.includes("\n"),
    );
  }
});

Deno.test("CEL: an evaluation error is thrown to the engine (counted there), not swallowed", () => {
  const file = FILE.replace(
    "input.stringArg('pathname').startsWith('/etc/shad')",
    "input.stringArg('pathname').startsWith(1)",
  );
  const sig = celSignatures("x.yaml", file)[1]!;
  assert.throws(() =>
    sig.onEvent(event("security_file_open", { pathname: "/x" }), {
      detect: () => {},
      processTree: { get: () => undefined, ancestors: () => [] },
      container: undefined,
      helpers,
    })
  );
});
