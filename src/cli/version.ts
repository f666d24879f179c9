/** `tracee version` / `--version`: the version, the Deno inside, and what the tool carries. */
import type { EmbeddedAssets } from "../bpfobject/assets.ts";

/** Where the runtime runs from and which libbpf it will load (the environment of this run). */
export interface VersionHost {
  readonly execPath: string;
  readonly libbpfPath: string | undefined;
}

async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The text `tracee version` prints. */
export async function versionText(
  assets: EmbeddedAssets,
  host: VersionHost = {
    execPath: Deno.execPath(),
    libbpfPath: Deno.env.get("LIBBPF_PATH"),
  },
): Promise<string> {
  const v = Deno.version;
  const lines = [
    `tracee ${assets.version}`,
    `deno ${v.deno} (v8 ${v.v8}, typescript ${v.typescript})`,
  ];
  const p = assets.packaging;
  if (p) {
    const dir = host.execPath.slice(0, host.execPath.lastIndexOf("/"));
    lines.push(`package: ${p.format}, running from ${dir}`);
  } else {
    lines.push(`package: none (run from source by ${host.execPath})`);
  }
  const core = assets.coreObject;
  lines.push(
    core
      ? `eBPF object: tracee.bpf.core.o (CO-RE), ${core.length} bytes, sha256 ${
        (await sha256Hex(core)).slice(0, 16)
      }`
      : "eBPF object: none embedded",
  );
  lines.push(`BTFHub archives: ${assets.btfhub.size}`);
  for (const [key, bytes] of [...assets.btfhub].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`  ${key} (${bytes.length} bytes)`);
  }
  if (p?.libbpf) {
    const with_ = p.libbpf.libraries.length ? ` with ${p.libbpf.libraries.join(", ")}` : "";
    lines.push(
      `libbpf: ${p.libbpf.version} embedded${with_}, used when the host has no libbpf.so.1 >= ${p.libbpf.version}`,
    );
  }
  lines.push(`libbpf in use: ${host.libbpfPath ?? "libbpf.so.1 from the host's library path"}`);
  return lines.join("\n");
}
