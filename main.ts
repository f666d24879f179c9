/**
 * tracee, run from source (`deno run -A main.ts`): the eBPF object and BTFHub archives are read
 * from dist/ (`make bpf btfhub`). The built tool (`make tracee` → dist/tracee) embeds them instead.
 */
import { assetsFromDist } from "./src/bpfobject/assets.ts";
import { runCli } from "./src/cli/main.ts";

if (import.meta.main) {
  Deno.exit(await runCli(Deno.args, assetsFromDist(new URL("./dist/", import.meta.url))));
}
