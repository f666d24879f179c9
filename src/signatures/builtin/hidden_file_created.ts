/** TRC-1015: an ELF executable written to a hidden file (or into a hidden directory). */
import { bytesArg, isElf, stringArg } from "../event_args.ts";
import { defineSignature } from "../signature.ts";

/** A path component starting with a dot. */
const HIDDEN_COMPONENT = "/.";

export default defineSignature({
  metadata: {
    id: "TRC-1015",
    version: "1",
    name: "Hidden executable creation detected",
    eventName: "hidden_file_created",
    description:
      "A hidden executable (ELF file) was created on disk. This activity could be legitimate; however, it could indicate that an adversary is trying to avoid detection by hiding their programs.",
    properties: {
      Severity: 2,
      Category: "defense-evasion",
      Technique: "Hidden Files and Directories",
      Kubernetes_Technique: "",
      id: "attack-pattern--ec8fc7e2-b356-455c-8db5-2e37be158e7d",
      external_id: "T1564.001",
    },
  },
  selectedEvents: [{ name: "magic_write", origin: "*" }],
  onEvent(e, ctx) {
    if (isElf(bytesArg(e, "bytes")) && stringArg(e, "pathname").includes(HIDDEN_COMPONENT)) {
      ctx.detect();
    }
  },
});
