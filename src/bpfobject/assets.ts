/**
 * Files embedded in the tool: the CO-RE object and the BTFHub archives. The built `dist/tracee`
 * embeds them as bytes imports (tools/build_tool.ts); `deno run main.ts` reads them from dist/.
 */

/** BTFHub archive key: `<ID>/<VERSION_ID>/<arch>/<kernel-release>`. */
export function btfhubKey(id: string, versionId: string, arch: string, release: string): string {
  return `${id}/${versionId}/${arch}/${release}`;
}

/** What the tool carries inside it. */
export interface EmbeddedAssets {
  /** The CO-RE object, or undefined when the tool was built without it. */
  readonly coreObject: Uint8Array<ArrayBuffer> | undefined;
  /** BTFHub `.btf.tar.xz` archives by btfhubKey(). */
  readonly btfhub: ReadonlyMap<string, Uint8Array<ArrayBuffer>>;
  /** Version string the tool was built as (git describe). */
  readonly version: string;
  /** How the built tool is packaged; undefined when run from source. */
  readonly packaging?: PackagingInfo;
}

/** What the packaging of dist/tracee carries besides the program (tools/build_tool.ts). */
export interface PackagingInfo {
  /** e.g. "self-extracting, bundled script". */
  readonly format: string;
  /** The libbpf carried for hosts without one, and the libraries that come with it. */
  readonly libbpf?: { readonly version: string; readonly libraries: readonly string[] };
}

/** Assets read from a dist/ directory (development runs of main.ts). */
export function assetsFromDist(distDir: URL): EmbeddedAssets {
  const read = (name: string) => {
    try {
      return Deno.readFileSync(new URL(name, distDir));
    } catch {
      return undefined;
    }
  };
  const btfhub = new Map<string, Uint8Array<ArrayBuffer>>();
  const root = new URL("btfhub/", distDir);
  const walk = (dir: URL, parts: string[]) => {
    let entries: Deno.DirEntry[];
    try {
      entries = [...Deno.readDirSync(dir)];
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.isDirectory) walk(new URL(`${e.name}/`, dir), [...parts, e.name]);
      else if (e.name.endsWith(".btf.tar.xz") && parts.length === 3) {
        btfhub.set(
          [...parts, e.name.slice(0, -".btf.tar.xz".length)].join("/"),
          Deno.readFileSync(new URL(e.name, dir)),
        );
      }
    }
  };
  walk(root, []);
  let version = "v0.0.0-dev";
  const v = read("VERSION");
  if (v) version = new TextDecoder().decode(v).trim();
  return { coreObject: read("tracee.bpf.core.o"), btfhub, version };
}
