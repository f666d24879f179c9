/**
 * The test helper's stand-in container (tests/helpers/container.ts) is a container to tracee: the
 * engine's real lookup names it by its id for its processes, and finds no container for the same
 * code run on the host.
 */
import assert from "node:assert/strict";
import { kernelTest } from "../../helpers/kernel.ts";
import { findingData, findingsBy } from "../../helpers/detect.ts";
import { detectHeld, heldPython } from "../../helpers/held_trigger.ts";
import { withContainer } from "../../helpers/container.ts";
import { withTempDir } from "../../helpers/safe_fs.ts";
import { defineSignature } from "../../../src/signatures/signature.ts";
import { stringArg } from "../../../src/signatures/event_args.ts";

/** Reports the container of every open of `path`. */
function containerProbe(path: string) {
  return defineSignature({
    metadata: {
      id: "TEST-1",
      version: "1",
      name: "container probe",
      eventName: "container_probe",
      description: "Reports the container an open came from.",
      properties: { Severity: 0 },
    },
    selectedEvents: [{ name: "security_file_open", origin: "*" }],
    onEvent(e, ctx) {
      if (stringArg(e, "pathname") === path) ctx.detect({ container: ctx.container?.id ?? "" });
    },
  });
}

kernelTest("fake container: its processes are in container <id>; the host's in none", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/probe`;
    Deno.writeTextFileSync(path, "");
    const signatures = [containerProbe(path)];
    const read = `open('${path}').read()`;
    const [inside, id] = await withContainer(async (c) =>
      [await detectHeld(["container_probe"], () => c.python(read), { signatures }), c.id] as const
    );
    const mine = findingsBy(inside.findings, inside.hostPid);
    assert.equal(mine.length, 1);
    assert.equal(findingData(mine[0]!, "container"), id);
    assert.equal(mine[0]!.processId, 1, "the trigger is its pid namespace's first process");

    const host = await detectHeld(["container_probe"], () => heldPython(read), { signatures });
    const onHost = findingsBy(host.findings, host.hostPid);
    assert.equal(onHost.length, 1);
    assert.equal(findingData(onHost[0]!, "container"), "");
  });
});
