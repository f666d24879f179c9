/**
 * The trusted open (src/trust/): what it accepts and refuses on a real filesystem, as root, with
 * files, directories and links owned by `nobody` (uid 65534) as an attacker would own them.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { TraceeError } from "../../src/errors.ts";
import { setupLogging } from "../../src/log/logger.ts";
import {
  FsError,
  isNotFound,
  openTrustedDir,
  openTrustedFile,
  type TrustOptions,
} from "../../src/trust/trusted_open.ts";
import { chownNobody, NOBODY, spawnAsNobody } from "../helpers/nobody.ts";

const asRoot = Deno.uid() === 0;
const OBJ: TrustOptions = { what: "eBPF object" };

/** A root-owned 0755 directory under /tmp (crossing /tmp, a root-owned sticky directory). */
function scratch(): string {
  const dir = Deno.makeTempDirSync({ prefix: "tracee-trust-" });
  Deno.chmodSync(dir, 0o755);
  return dir;
}

function file(path: string, text = "payload", mode = 0o644): string {
  Deno.writeTextFileSync(path, text);
  Deno.chmodSync(path, mode);
  return path;
}

/** The file's text as read through the trusted open. */
function readTrusted(path: string, opts: TrustOptions = OBJ): string {
  const f = openTrustedFile(path, opts);
  try {
    return new TextDecoder().decode(f.bytes());
  } finally {
    f.close();
  }
}

/** Asserts the open is refused with exactly `message` (exit 2). */
function refused(path: string, message: string, opts: TrustOptions = OBJ): TraceeError {
  try {
    openTrustedFile(path, opts).close();
  } catch (e) {
    assert.ok(e instanceof TraceeError, String(e));
    assert.equal(e.message, message);
    assert.equal(e.exitCode, 2);
    return e;
  }
  assert.fail(`${path} was accepted`);
}

Deno.test("accepted: a root-owned file in root-owned directories, read through its descriptor", () => {
  const dir = scratch();
  const f = file(join(dir, "x.o"), "the object");
  const t = openTrustedFile(f, OBJ);
  try {
    assert.equal(new TextDecoder().decode(t.bytes()), "the object");
    // Replace the path: what was opened is still what is read, by fd and by /proc/self/fd.
    file(join(dir, "evil.o"), "another object");
    Deno.renameSync(join(dir, "evil.o"), f);
    assert.equal(new TextDecoder().decode(t.bytes()), "the object");
    assert.equal(Deno.readTextFileSync(t.procPath), "the object");
    assert.match(t.procPath, /^\/proc\/self\/fd\/\d+$/);
  } finally {
    t.close();
  }
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("refused: a group- or world-writable file, with the fix", () => {
  const dir = scratch();
  const f = file(join(dir, "x.o"), "x", 0o664);
  refused(f, `Cannot load eBPF object ${f}: it is group-writable`);
  Deno.chmodSync(f, 0o646);
  const e = refused(f, `Cannot load eBPF object ${f}: it is world-writable`, {
    ...OBJ,
    override: { flag: "--allow-insecure-bpf-file", given: false },
  });
  assert.equal(
    e.hint,
    `make it writable by root only (chmod 0644 ${f}), or pass --allow-insecure-bpf-file to load it anyway`,
  );
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("refused: a file in a world-writable directory, and a world-writable directory crossed", () => {
  const dir = scratch();
  const open = join(dir, "open");
  Deno.mkdirSync(open);
  Deno.chmodSync(open, 0o777);
  const f = file(join(open, "x.o"));
  refused(f, `Cannot load eBPF object ${f}: its directory ${open} is world-writable`);
  Deno.mkdirSync(join(open, "sub"), { mode: 0o755 });
  const g = file(join(open, "sub", "x.o"));
  refused(g, `Cannot load eBPF object ${g}: its directory ${open} is world-writable`);
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("/tmp (root-owned, sticky): crossed into a root-owned directory, never holding the file", () => {
  const dir = scratch(); // /tmp/tracee-trust-…: accepted through /tmp
  assert.equal(readTrusted(file(join(dir, "x.o"))), "payload");
  const inTmp = file(`/tmp/${crypto.randomUUID()}.o`);
  refused(inTmp, `Cannot load eBPF object ${inTmp}: its directory /tmp is world-writable`);
  Deno.removeSync(inTmp);
  // A sticky directory tracee is to read from or write into is refused as well.
  assert.throws(
    () => openTrustedDir("/tmp", { what: "install path" }),
    (e: unknown) =>
      e instanceof TraceeError &&
      e.message === "Cannot load install path /tmp: its directory /tmp is world-writable",
  );
  Deno.removeSync(dir, { recursive: true });
});

Deno.test({
  name: "refused: a directory on the path that another user owns",
  ignore: !asRoot,
  fn: () => {
    const dir = scratch();
    const theirs = join(dir, "theirs");
    Deno.mkdirSync(theirs, { mode: 0o755 });
    const f = file(join(theirs, "x.o"));
    Deno.chownSync(theirs, NOBODY, NOBODY);
    refused(
      f,
      `Cannot load eBPF object ${f}: its directory ${theirs} is owned by uid 65534, not root`,
    );
    Deno.removeSync(dir, { recursive: true });
  },
});

Deno.test({
  name: "refused: a file another user owns",
  ignore: !asRoot,
  fn: () => {
    const dir = scratch();
    const f = file(join(dir, "x.o"));
    Deno.chownSync(f, NOBODY, NOBODY);
    refused(f, `Cannot load eBPF object ${f}: it is owned by uid 65534, not root`);
    Deno.removeSync(dir, { recursive: true });
  },
});

Deno.test({
  name: "refused: a link another user owns, even to a root-owned file in a root-owned directory",
  ignore: !asRoot,
  fn: () => {
    const dir = scratch();
    const target = file(join(dir, "x.o"));
    const link = join(dir, "link.o");
    Deno.symlinkSync(target, link);
    chownNobody(link);
    assert.equal(Deno.lstatSync(link).uid, NOBODY);
    refused(
      link,
      `Cannot load eBPF object ${link}: its link ${link} is owned by uid 65534, not root`,
    );
    Deno.removeSync(dir, { recursive: true });
  },
});

Deno.test("refused: a root-owned link sitting in a world-writable directory (/tmp)", () => {
  const dir = scratch();
  const target = file(join(dir, "x.o"));
  const link = `/tmp/${crypto.randomUUID()}.o`;
  Deno.symlinkSync(target, link);
  refused(
    link,
    `Cannot load eBPF object ${link}: its link ${link} sits in /tmp, which is world-writable`,
  );
  Deno.removeSync(link);
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("followed: root-owned links in root-owned directories, absolute and relative; the target judged", () => {
  const dir = scratch();
  Deno.mkdirSync(join(dir, "real"), { mode: 0o755 });
  const target = file(join(dir, "real", "x.o"), "real object");
  Deno.symlinkSync(target, join(dir, "abs.o"));
  Deno.symlinkSync("real/x.o", join(dir, "rel.o"));
  Deno.symlinkSync("real", join(dir, "dirlink"));
  Deno.symlinkSync("../real/x.o", join(dir, "real", "up.o"));
  for (const p of ["abs.o", "rel.o", "dirlink/x.o", "real/up.o", "real/../rel.o"]) {
    assert.equal(readTrusted(join(dir, p)), "real object", p);
  }
  Deno.chmodSync(target, 0o666);
  refused(
    join(dir, "abs.o"),
    `Cannot load eBPF object ${join(dir, "abs.o")}: its target ${target} is world-writable`,
  );
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("not opened: missing files, loops, directories, FIFOs", () => {
  const dir = scratch();
  const missing = join(dir, "nope.o");
  assert.throws(() => openTrustedFile(missing, OBJ), (e: unknown) => isNotFound(e));
  Deno.symlinkSync("b", join(dir, "a"));
  Deno.symlinkSync("a", join(dir, "b"));
  assert.throws(
    () => openTrustedFile(join(dir, "a"), OBJ),
    (e: unknown) => e instanceof FsError && e.errnoName === "ELOOP",
  );
  assert.throws(
    () => openTrustedFile(dir, OBJ),
    (e: unknown) => e instanceof FsError && e.errnoName === "EISDIR",
  );
  const fifo = join(dir, "fifo");
  new Deno.Command("mkfifo", { args: ["-m", "0644", fifo] }).outputSync();
  refused(fifo, `Cannot load eBPF object ${fifo}: it is not a regular file`, {
    ...OBJ,
    override: { flag: "--allow-insecure-bpf-file", given: true },
  });
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("the override flag: the untrusted file is used, with one warning naming every problem", () => {
  const dir = scratch();
  const open = join(dir, "open");
  Deno.mkdirSync(open);
  Deno.chmodSync(open, 0o777);
  const f = file(join(open, "x.o"), "anyway", 0o666);
  const lines: Record<string, unknown>[] = [];
  setupLogging("warn", {
    writeSync: (p) => (lines.push(JSON.parse(new TextDecoder().decode(p))), p.length),
  });
  assert.equal(
    readTrusted(f, { ...OBJ, override: { flag: "--allow-insecure-bpf-file", given: true } }),
    "anyway",
  );
  assert.deepEqual(lines.map((l) => [l.level, l.msg, l.file, l.reason]), [[
    "warn",
    "Using an insecure file (--allow-insecure-bpf-file)",
    f,
    `its directory ${open} is world-writable; it is world-writable`,
  ]]);
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("a trusted directory: files opened in it, a file created in it is the file used", () => {
  const dir = scratch();
  file(join(dir, "a.yaml"), "a");
  file(join(dir, "b.yaml"), "b", 0o666);
  const d = openTrustedDir(dir, { what: "signatures directory" });
  try {
    assert.deepEqual(d.names(), ["a.yaml", "b.yaml"]);
    const a = d.openFile("a.yaml", "signature");
    assert.equal(new TextDecoder().decode(a.bytes()), "a");
    a.close();
    assert.throws(
      () => d.openFile("b.yaml", "signature"),
      (e: unknown) =>
        e instanceof TraceeError &&
        e.message === `Cannot load signature ${join(dir, "b.yaml")}: it is world-writable`,
    );
    const made = d.createFile("k.btf", new TextEncoder().encode("btf bytes"), 0o644);
    try {
      assert.equal(Deno.statSync(join(dir, "k.btf")).mode! & 0o777, 0o644);
      assert.equal(Deno.readTextFileSync(join(dir, "k.btf")), "btf bytes");
      Deno.renameSync(join(dir, "a.yaml"), join(dir, "k.btf")); // the path changes…
      assert.equal(Deno.readTextFileSync(made.procPath), "btf bytes"); // …the file used does not
    } finally {
      made.close();
    }
    assert.deepEqual(d.names(), ["b.yaml", "k.btf"], "no temporary file left");
  } finally {
    d.close();
  }
  Deno.removeSync(dir, { recursive: true });
});

Deno.test({
  name:
    "raced: a link another user flips between a root-owned file and their own is never accepted",
  ignore: !asRoot,
  fn: async () => {
    const dir = scratch();
    const good = file(join(dir, "good.o"), "good");
    const theirs = join(dir, "theirs");
    Deno.mkdirSync(theirs, { mode: 0o755 });
    const evil = file(join(theirs, "evil.o"), "evil");
    Deno.chownSync(theirs, NOBODY, NOBODY);
    Deno.chownSync(evil, NOBODY, NOBODY);
    const link = join(theirs, "link.o");
    // nobody swaps the link atomically (rename over it), as fast as it can.
    const racer = spawnAsNobody(
      `cd ${theirs}; while :; do ln -s ${good} a; mv -T a link.o; ln -s evil.o b; mv -T b link.o; done`,
    );
    let refusedCount = 0;
    try {
      for (;;) {
        try {
          if (Deno.lstatSync(link).isSymlink) break;
        } catch {
          // not made yet
        }
        await new Promise((r) => setTimeout(r, 10));
      }
      for (let i = 0; i < 2000; i++) {
        try {
          const f = openTrustedFile(link, OBJ);
          const got = new TextDecoder().decode(f.bytes());
          f.close();
          assert.fail(`accepted ${link} (read '${got}')`);
        } catch (e) {
          if (e instanceof TraceeError) {
            assert.match(e.message, /owned by uid 65534, not root$/);
            refusedCount++;
          } else if (!isNotFound(e)) throw e;
        }
      }
    } finally {
      racer.kill("SIGKILL");
      await racer.status;
      Deno.removeSync(dir, { recursive: true });
    }
    assert.ok(refusedCount > 0, "the link was there to refuse");
  },
});
