import assert from "node:assert/strict";
import { type HostProbe, osInfoFields, readLockdown, readOsInfo } from "../../src/osinfo/osinfo.ts";
import { parseOsRelease, unquote } from "../../src/osinfo/os_release.ts";

const FOCAL = `NAME="Ubuntu"
VERSION="20.04.5 LTS (Focal Fossa)"
ID=ubuntu
ID_LIKE=debian
PRETTY_NAME="Ubuntu 20.04.5 LTS"
VERSION_ID="20.04"
VERSION_CODENAME=focal
`;

function host(files: Record<string, string>, env: Record<string, string> = {}): HostProbe {
  return {
    readText: (p) => {
      if (!(p in files)) throw new Deno.errors.NotFound(p);
      return files[p]!;
    },
    kernelRelease: () => "5.4.0-91-generic",
    arch: () => "x86_64",
    env: (k) => env[k],
  };
}

Deno.test("os-release values keep their quotes for the log and lose them for matching", () => {
  const m = parseOsRelease(FOCAL);
  assert.equal(m.get("VERSION_ID"), '"20.04"');
  assert.equal(unquote(m.get("VERSION_ID")), "20.04");
  const info = readOsInfo(host({ "/etc/os-release": FOCAL }));
  assert.equal(info.id, "ubuntu");
  assert.equal(info.versionId, "20.04");
});

Deno.test("osinfo fields are the seed's keys, in its order", () => {
  const info = readOsInfo(host({ "/etc/os-release": FOCAL }));
  const f = osInfoFields(info);
  assert.deepEqual(Object.keys(f), [
    "VERSION_CODENAME",
    "KERNEL_RELEASE",
    "ARCH",
    "VERSION",
    "ID",
    "ID_LIKE",
    "PRETTY_NAME",
    "VERSION_ID",
  ]);
  assert.equal(f["VERSION"], '"20.04.5 LTS (Focal Fossa)"');
  assert.equal(f["KERNEL_RELEASE"], "5.4.0-91-generic");
});

Deno.test("LIBBPFGO_OSRELEASE_FILE points at another os-release", () => {
  const info = readOsInfo(
    host({ "/x/os": "ID=alpine\nVERSION_ID=3.19\n" }, { LIBBPFGO_OSRELEASE_FILE: "/x/os" }),
  );
  assert.deepEqual([info.id, info.versionId], ["alpine", "3.19"]);
});

Deno.test("lockdown mode is the bracketed word of securityfs's lockdown file", () => {
  assert.equal(
    readLockdown(host({ "/sys/kernel/security/lockdown": "[none] integrity confidentiality\n" })),
    "none",
  );
  assert.equal(readLockdown(host({})), undefined);
});
