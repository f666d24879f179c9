/** TRC-1022: an ELF executable written to a file in a container (not to memory: memfd, shm). */
import { bytesArg, isElf, isMemoryPath, stringArg } from "../event_args.ts";
import { defineSignature } from "../signature.ts";

export default defineSignature({
  metadata: {
    id: "TRC-1022",
    version: "1",
    name: "New executable dropped",
    eventName: "dropped_executable",
    description:
      "An Executable file was dropped in the system during runtime. Container images are usually built with all binaries needed inside. A dropped binary may indicate that an adversary infiltrated your container.",
    properties: {
      Severity: 2,
      Category: "defense-evasion",
      Technique: "Masquerading",
      Kubernetes_Technique: "",
      id: "attack-pattern--42e8de7b-37b2-4258-905a-6897815e58e0",
      external_id: "T1036",
    },
  },
  selectedEvents: [{ name: "magic_write", origin: "container" }],
  onEvent(e, ctx) {
    const path = stringArg(e, "pathname");
    if (isElf(bytesArg(e, "bytes")) && !isMemoryPath(path)) ctx.detect({ path });
  },
});
