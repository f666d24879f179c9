/**
 * The trust checks as an attacker meets them: links, directories and files owned by `nobody`
 * (uid 65534) around a root-owned object or BTF file. Each is refused by dist/tracee with one
 * error line (and its fix), exit 2, before anything reaches the kernel.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { nonCoreObjectName } from "../../src/bpfobject/select.ts";
import { kernelTest, ROOT } from "../helpers/kernel.ts";
import { chownNobody, spawnAsNobody } from "../helpers/nobody.ts";
import { hideBtf, runTracee, type TraceeResult } from "../helpers/tracee_process.ts";

const VERSION = Deno.readTextFileSync(`${ROOT}dist/VERSION`).trim();
const NOCORE_BUILT = `${ROOT}dist/${nonCoreObjectName(Deno.osRelease(), VERSION)}`;

/** A root-owned 0755 scratch directory under /tmp. */
function scratch(): string {
  const dir = Deno.makeTempDirSync({ prefix: "tracee-trust-" });
  Deno.chmodSync(dir, 0o755);
  return dir;
}

/** A root-owned copy of the built non CO-RE object. */
function rootObject(dir: string): string {
  const p = join(dir, "tracee.bpf.o");
  Deno.copyFileSync(NOCORE_BUILT, p);
  Deno.chmodSync(p, 0o644);
  return p;
}

/** One error line (an optional hint line after it), exit 2, nothing on stdout, no stack. */
function assertRefused(r: TraceeResult, message: string): void {
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stdout, "");
  const lines = r.stderr.trim().split("\n");
  assert.equal(lines[0], message);
  assert.ok(lines.length === 1 || (lines.length === 2 && lines[1]!.startsWith("hint: ")), r.stderr);
}

kernelTest(
  "TRACEE_BPF_FILE: a link owned by another user to a root-owned object is refused",
  () => {
    const dir = scratch();
    const obj = rootObject(dir);
    const link = join(dir, "link.o");
    Deno.symlinkSync(obj, link);
    chownNobody(link);
    assertRefused(
      runTracee(["-e", "openat"], { TRACEE_BPF_FILE: link }),
      `Cannot load eBPF object ${link}: its link ${link} is owned by uid 65534, not root`,
    );
    Deno.removeSync(dir, { recursive: true });
  },
);

kernelTest("TRACEE_BPF_FILE: a link in a world-writable directory (/tmp) is refused", () => {
  const dir = scratch();
  const obj = rootObject(dir);
  const link = `/tmp/${crypto.randomUUID()}.o`;
  Deno.symlinkSync(obj, link);
  chownNobody(link); // as planted by another user…
  assertRefused(
    runTracee(["-e", "openat"], { TRACEE_BPF_FILE: link }),
    `Cannot load eBPF object ${link}: its link ${link} is owned by uid 65534, not root`,
  );
  new Deno.Command("chown", { args: ["-h", "0:0", link] }).outputSync(); // …or even by root
  assertRefused(
    runTracee(["-e", "openat"], { TRACEE_BPF_FILE: link }),
    `Cannot load eBPF object ${link}: its link ${link} sits in /tmp, which is world-writable`,
  );
  Deno.removeSync(link);
  Deno.removeSync(dir, { recursive: true });
});

kernelTest("TRACEE_BPF_FILE and TRACEE_BTF_FILE: a directory on the path another user owns", () => {
  const dir = scratch();
  const theirs = join(dir, "theirs");
  Deno.mkdirSync(theirs, { mode: 0o755 });
  const obj = rootObject(theirs);
  const btf = join(theirs, "vmlinux.btf");
  Deno.copyFileSync("/sys/kernel/btf/vmlinux", btf);
  Deno.chmodSync(btf, 0o644);
  chownNobody(theirs);
  const why = `its directory ${theirs} is owned by uid 65534, not root`;
  assertRefused(
    runTracee(["-e", "openat"], { TRACEE_BPF_FILE: obj }),
    `Cannot load eBPF object ${obj}: ${why}`,
  );
  assertRefused(
    runTracee(["-e", "openat"], { TRACEE_BTF_FILE: btf }),
    `Cannot load BTF file ${btf}: ${why}`,
  );
  Deno.removeSync(dir, { recursive: true });
});

kernelTest("--install-path: a parent another user owns refuses the non CO-RE object in it", () => {
  const dir = scratch();
  const theirs = join(dir, "theirs");
  const install = join(theirs, "install");
  Deno.mkdirSync(install, { recursive: true, mode: 0o755 });
  const obj = join(install, nonCoreObjectName(Deno.osRelease(), VERSION));
  Deno.copyFileSync(NOCORE_BUILT, obj);
  chownNobody(theirs);
  const osRelease = join(dir, "os-release");
  Deno.writeTextFileSync(osRelease, 'ID=nosuchos\nVERSION_ID="1.0"\n');
  assertRefused(
    runTracee(["--install-path", install, "-e", "openat"], { LIBBPFGO_OSRELEASE_FILE: osRelease }, {
      wrap: hideBtf(),
    }),
    `Cannot load eBPF object ${obj}: its directory ${theirs} is owned by uid 65534, not root`,
  );
  // The BTFHub case writes into the install path: refused before anything is written.
  assertRefused(
    runTracee(["--install-path", install, "-e", "openat"], {}, { wrap: hideBtf() }),
    `Cannot load install path ${install}: its directory ${theirs} is owned by uid 65534, not root`,
  );
  assert.deepEqual([...Deno.readDirSync(install)].map((e) => e.name), [obj.split("/").pop()]);
  Deno.removeSync(dir, { recursive: true });
});

kernelTest(
  "TRACEE_BPF_FILE replaced in a loop by another user (root's object ↔ theirs): refused every time",
  async () => {
    const dir = scratch();
    const good = rootObject(dir);
    const theirs = join(dir, "theirs");
    Deno.mkdirSync(theirs, { mode: 0o755 });
    const evil = join(theirs, "evil.o");
    Deno.copyFileSync(NOCORE_BUILT, evil);
    chownNobody(evil);
    chownNobody(theirs);
    const link = join(theirs, "tracee.bpf.o");
    const racer = spawnAsNobody(
      `cd ${theirs}; while :; do ln -s ${good} a; mv -T a tracee.bpf.o; cp evil.o b; mv -T b tracee.bpf.o; done`,
    );
    try {
      for (let i = 0; i < 5; i++) {
        const r = runTracee(["-e", "openat"], { TRACEE_BPF_FILE: link });
        assert.equal(r.code, 2, r.stderr);
        assert.match(
          r.stderr.split("\n")[0]!,
          new RegExp(
            `^Cannot load eBPF object ${link}: (its directory ${theirs}|its link ${link}|it) is owned by uid 65534, not root$|could not open TRACEE_BPF_FILE`,
          ),
        );
      }
    } finally {
      racer.kill("SIGKILL");
      await racer.status;
      Deno.removeSync(dir, { recursive: true });
    }
  },
);
