/**
 * dist/tracee's packaging: the launcher's cache (where it unpacks, what it trusts, what it
 * refuses, concurrent and failing starts), its choice of libbpf, and `tracee version`. Cache rules
 * run on small packages made by the real launcher and packer (tests/helpers/package.ts).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { ROOT, TRACEE_BIN } from "../helpers/kernel.ts";
import { runExe, tinyPackage } from "../helpers/package.ts";
import { inMountNs } from "../helpers/tracee_process.ts";

const isRoot = Deno.uid() === 0;
const NOBODY = 65534;

/** A test that needs root (chown, mounts). */
function rootTest(name: string, fn: () => void | Promise<void>): void {
  Deno.test({ name, ignore: !isRoot, fn });
}

/** Runs `fn` with a fresh root-owned 0700 directory, removed afterwards. */
async function inScratch(fn: (dir: string) => void | Promise<void>): Promise<void> {
  const dir = Deno.makeTempDirSync({ prefix: "tracee-pkg-" });
  try {
    await fn(dir);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

/** Exit code 2 and one error line matching `re`. */
function refused(r: { code: number; stderr: string }, re: RegExp): void {
  assert.equal(r.code, 2, r.stderr);
  oneLine(r.stderr, re);
}

function oneLine(stderr: string, re: RegExp): void {
  const lines = stderr.trim().split("\n");
  assert.equal(lines.length, 1, `one line expected, got:\n${stderr}`);
  assert.match(lines[0]!, re);
}

/**
 * Runs the package once in a private mount namespace with a fresh tmpfs (mount options `opts`,
 * mode 0700) at `mountAt`, and TRACEE_CACHE_DIR=`cache`.
 */
function runOnTmpfs(exe: string, mountAt: string, opts: string, cache = mountAt) {
  Deno.mkdirSync(mountAt, { mode: 0o700, recursive: true });
  return runExe(
    exe,
    [],
    { TRACEE_CACHE_DIR: cache },
    inMountNs(`mount -t tmpfs -o ${opts},mode=0700 none ${mountAt} && exec "$@"`),
  );
}

function names(dir: string): string[] {
  return [...Deno.readDirSync(dir)].map((e) => e.name).sort();
}

Deno.test("first run unpacks into a 0700 entry named by the package hash; later runs reuse it", () =>
  inScratch((dir) => {
    const pkg = tinyPackage(dir);
    const cache = join(dir, "cache");
    const first = runExe(pkg.exe, ["a", "b c"], { TRACEE_CACHE_DIR: cache });
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^ran a b c$/m);
    assert.equal(first.stderr, "");
    assert.deepEqual(names(cache), [pkg.entryName]);
    const entry = join(cache, pkg.entryName);
    assert.equal(Deno.statSync(cache).mode! & 0o7777, 0o700);
    assert.equal(Deno.statSync(entry).mode! & 0o7777, 0o700);
    assert.equal(Deno.statSync(join(entry, "sh")).mode! & 0o7777, 0o500);
    assert.equal(Deno.statSync(join(entry, "prog.sh")).mode! & 0o7777, 0o400);
    assert.equal(Deno.statSync(join(entry, "lib")).mode! & 0o7777, 0o700);
    assert.match(first.stdout, new RegExp(`^STATE=${entry}/state$`, "m"));
    const stamp = Deno.readTextFileSync(join(entry, ".verified"));
    assert.match(stamp, new RegExp(`^tracee-cache 1 ${pkg.key}\n`));
    const inode = Deno.statSync(join(entry, "sh")).ino;

    const again = runExe(pkg.exe, ["x"], { TRACEE_CACHE_DIR: cache });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /^ran x$/m);
    assert.equal(again.stderr, "");
    assert.equal(Deno.statSync(join(entry, "sh")).ino, inode, "not unpacked again");
    assert.equal(Deno.readTextFileSync(join(entry, ".verified")), stamp);
  }));

Deno.test("eight starts at once on an empty cache: all run, one entry, nothing left over", () =>
  inScratch(async (dir) => {
    const pkg = tinyPackage(dir, { padBytes: 8 << 20 });
    const cache = join(dir, "cache");
    const runs = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        new Deno.Command(pkg.exe, {
          args: [String(i)],
          env: { TRACEE_CACHE_DIR: cache },
          stdout: "piped",
          stderr: "piped",
        }).output()),
    );
    runs.forEach((r, i) => {
      const out = new TextDecoder().decode(r.stdout);
      assert.equal(r.code, 0, new TextDecoder().decode(r.stderr));
      assert.match(out, new RegExp(`^ran ${i}$`, "m"));
    });
    assert.deepEqual(names(cache), [pkg.entryName]);
  }));

Deno.test("SIGTERM while unpacking: the entry is whole or absent, no half-unpacked directory", () =>
  inScratch(async (dir) => {
    const pkg = tinyPackage(dir, { padBytes: 64 << 20 });
    const cache = join(dir, "cache");
    const child = new Deno.Command(pkg.exe, {
      env: { TRACEE_CACHE_DIR: cache },
      stdout: "null",
      stderr: "piped",
    }).spawn();
    // stop it once it has started writing
    const end = Date.now() + 10_000;
    while (Date.now() < end) {
      try {
        if (names(cache).length > 0) break;
      } catch {
        // not created yet
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    child.kill("SIGTERM");
    const st = await child.output();
    assert.equal(new TextDecoder().decode(st.stderr), "");
    const left = names(cache);
    assert.ok(
      left.length === 0 || (left.length === 1 && left[0] === pkg.entryName),
      left.join(" "),
    );
  }));

Deno.test("a file changed after unpacking is noticed and unpacked again", () =>
  inScratch((dir) => {
    const pkg = tinyPackage(dir);
    const cache = join(dir, "cache");
    assert.equal(runExe(pkg.exe, [], { TRACEE_CACHE_DIR: cache }).code, 0);
    const prog = join(cache, pkg.entryName, "prog.sh");
    const original = Deno.readTextFileSync(prog);
    // same size, same mode: only the ctime tells
    Deno.writeTextFileSync(prog, original.replace("ran", "own"));
    const r = runExe(pkg.exe, ["y"], { TRACEE_CACHE_DIR: cache });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^ran y$/m);
    oneLine(r.stderr, /^tracee: unpacking .* again: prog\.sh changed since it was verified$/);
    assert.equal(Deno.readTextFileSync(prog), original);

    Deno.writeTextFileSync(prog, "echo planted\n", { append: true });
    const grown = runExe(pkg.exe, ["z"], { TRACEE_CACHE_DIR: cache });
    assert.match(grown.stdout, /^ran z$/m);
    assert.doesNotMatch(grown.stdout, /planted/);
    oneLine(grown.stderr, /prog\.sh is missing or has another owner, mode or size$/);
    assert.deepEqual(names(cache), [pkg.entryName]);
  }));

Deno.test("only the ctime changed: the files are hashed again, used, and the stamp renewed", () =>
  inScratch((dir) => {
    const pkg = tinyPackage(dir);
    const cache = join(dir, "cache");
    assert.equal(runExe(pkg.exe, [], { TRACEE_CACHE_DIR: cache }).code, 0);
    const entry = join(cache, pkg.entryName);
    const stamp = Deno.readTextFileSync(join(entry, ".verified"));
    const inode = Deno.statSync(join(entry, "prog.sh")).ino;
    Deno.chmodSync(join(entry, "prog.sh"), 0o400); // same mode, new ctime
    const r = runExe(pkg.exe, ["c"], { TRACEE_CACHE_DIR: cache });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "");
    assert.match(r.stdout, /^ran c$/m);
    assert.equal(Deno.statSync(join(entry, "prog.sh")).ino, inode, "not unpacked again");
    assert.notEqual(Deno.readTextFileSync(join(entry, ".verified")), stamp);
  }));

Deno.test("a damaged tracee file: one line, exit 2, nothing unpacked", () =>
  inScratch((dir) => {
    const pkg = tinyPackage(dir);
    const bytes = Deno.readFileSync(pkg.exe);
    // a bit flipped in the compressed payload (just after the launcher)
    const flipped = bytes.slice();
    flipped[pkg.launcher + 100]! ^= 0x40;
    Deno.writeFileSync(join(dir, "flipped"), flipped, { mode: 0o755 });
    const cache = join(dir, "cache");
    const r = runExe(join(dir, "flipped"), [], { TRACEE_CACHE_DIR: cache });
    refused(r, /^Cannot unpack tracee: .*(damaged|does not match its sha256).*copy it again\)?$/);
    assert.deepEqual(names(cache), []);

    Deno.writeFileSync(join(dir, "cut"), bytes.subarray(0, bytes.length - 10), { mode: 0o755 });
    const cut = runExe(join(dir, "cut"), [], { TRACEE_CACHE_DIR: cache });
    refused(
      cut,
      /^Cannot start tracee: this tracee file is damaged \(no package at its end\): copy it again$/,
    );
  }));

rootTest(
  "a cache directory owned by another user is refused: one line, exit 2",
  () =>
    inScratch((dir) => {
      const pkg = tinyPackage(dir);
      const cache = join(dir, "cache");
      Deno.mkdirSync(cache, { mode: 0o700 });
      Deno.chownSync(cache, NOBODY, NOBODY);
      const r = runExe(pkg.exe, [], { TRACEE_CACHE_DIR: cache });
      refused(
        r,
        new RegExp(`^Cannot use the cache directory ${cache}: ${cache} is owned by uid ${NOBODY}`),
      );
      assert.deepEqual(names(cache), [], "nothing written into it");

      // a symbolic link to it is no better
      Deno.symlinkSync(cache, join(dir, "link"));
      const viaLink = runExe(pkg.exe, [], { TRACEE_CACHE_DIR: join(dir, "link") });
      refused(viaLink, new RegExp(`${cache} is owned by uid ${NOBODY}`));
    }),
);

rootTest(
  "a cache directory others can write, or under one without the sticky bit, is refused",
  () =>
    inScratch((dir) => {
      const pkg = tinyPackage(dir);
      const open = join(dir, "open");
      Deno.mkdirSync(open);
      Deno.chmodSync(open, 0o777);
      const r = runExe(pkg.exe, [], { TRACEE_CACHE_DIR: open });
      refused(
        r,
        new RegExp(`^Cannot use the cache directory ${open}: .* writable by group or others`),
      );

      const below = join(open, "cache");
      const r2 = runExe(pkg.exe, [], { TRACEE_CACHE_DIR: below });
      refused(r2, new RegExp(`${open} is writable by group or others`));

      // sticky, as /tmp: others cannot rename what is ours in it
      Deno.chmodSync(open, 0o1777);
      const r3 = runExe(pkg.exe, [], { TRACEE_CACHE_DIR: below });
      assert.equal(r3.code, 0, r3.stderr);
    }),
);

rootTest(
  "an entry planted as a link to someone else's copy is replaced, the copy left alone",
  () =>
    inScratch((dir) => {
      const pkg = tinyPackage(dir);
      const good = join(dir, "good");
      assert.equal(runExe(pkg.exe, [], { TRACEE_CACHE_DIR: good }).code, 0);
      const evil = join(dir, "evil");
      new Deno.Command("cp", { args: ["-a", join(good, pkg.entryName), evil] }).outputSync();
      new Deno.Command("chown", { args: ["-R", `${NOBODY}:${NOBODY}`, evil] }).outputSync();
      const cache = join(dir, "cache");
      Deno.mkdirSync(cache, { mode: 0o700 });
      Deno.symlinkSync(evil, join(cache, pkg.entryName));
      const r = runExe(pkg.exe, ["w"], { TRACEE_CACHE_DIR: cache });
      assert.equal(r.code, 0, r.stderr);
      oneLine(r.stderr, /^tracee: unpacking .* again: not a 0700 directory owned by uid 0$/);
      assert.ok(Deno.lstatSync(join(cache, pkg.entryName)).isDirectory);
      assert.ok(Deno.statSync(join(evil, "prog.sh")).isFile, "the link's target is not touched");
      assert.match(r.stdout, new RegExp(`^STATE=${cache}/${pkg.entryName}/state$`, "m"));
    }),
);

rootTest("another user cannot use root's cache, and uses its own", () =>
  inScratch((dir) => {
    Deno.chmodSync(dir, 0o755);
    const pkg = tinyPackage(dir);
    Deno.chmodSync(pkg.exe, 0o755);
    const asNobody = ["setpriv", `--reuid=${NOBODY}`, `--regid=${NOBODY}`, "--clear-groups"];
    const rootCache = join(dir, "root-cache");
    Deno.mkdirSync(rootCache, { mode: 0o700 });
    const r = runExe(pkg.exe, [], { TRACEE_CACHE_DIR: rootCache }, asNobody);
    refused(r, new RegExp(`${rootCache} is owned by uid 0, not ${NOBODY}`));

    const home = join(dir, "home");
    Deno.mkdirSync(home);
    Deno.chownSync(home, NOBODY, NOBODY);
    const own = runExe(pkg.exe, ["n"], { HOME: home, TRACEE_CACHE_DIR: "" }, asNobody);
    assert.equal(own.code, 0, own.stderr);
    assert.match(
      own.stdout,
      new RegExp(`^STATE=${home}/\\.cache/tracee/${pkg.entryName}/state$`, "m"),
    );
    assert.equal(Deno.statSync(join(home, ".cache/tracee")).uid, NOBODY);
  }));

rootTest("a full disk: one line, exit 2, nothing left behind", () =>
  inScratch((dir) => {
    const pkg = tinyPackage(dir, { padBytes: 4 << 20 });
    const cache = join(dir, "cache");
    // too little space: refused before writing
    const small = runOnTmpfs(pkg.exe, cache, "size=512k");
    refused(
      small,
      new RegExp(
        `^Cannot unpack tracee into ${cache}: No space left on device: it needs 4\\.\\d MiB, 0\\.5 MiB are free \\(free some space there, or set TRACEE_CACHE_DIR to another directory\\)$`,
      ),
    );
    // space but no inodes: fails while unpacking, and removes what it wrote
    const r = runExe(
      pkg.exe,
      [],
      { TRACEE_CACHE_DIR: cache },
      inMountNs(
        `mount -t tmpfs -o size=64m,nr_inodes=5,mode=0700 none ${cache} && "$@"; echo "left:$(ls -A ${cache})"`,
      ),
    );
    oneLine(
      r.stderr,
      new RegExp(`^Cannot unpack tracee into ${cache}: No space left on device \\(free some space`),
    );
    assert.doesNotMatch(r.stdout, /^ran/m);
    assert.match(r.stdout, /^left:$/m);
  }));

rootTest(
  "a read-only cache: one line, exit 2; already unpacked, it is used as it is",
  () =>
    inScratch((dir) => {
      const pkg = tinyPackage(dir);
      const cache = join(dir, "cache");
      const r = runOnTmpfs(pkg.exe, cache, "ro");
      refused(
        r,
        new RegExp(
          `^Cannot unpack tracee into ${cache}: Read-only file system \\(set TRACEE_CACHE_DIR to a writable directory\\)$`,
        ),
      );
      const missing = runOnTmpfs(pkg.exe, cache, "ro", `${cache}/sub`);
      refused(
        missing,
        /^Cannot create the cache directory .*\/sub: .*: Read-only file system \(set TRACEE_CACHE_DIR/,
      );

      assert.equal(runExe(pkg.exe, [], { TRACEE_CACHE_DIR: cache }).code, 0);
      const frozen = runExe(
        pkg.exe,
        ["ro"],
        { TRACEE_CACHE_DIR: cache },
        inMountNs(
          `mount --bind ${cache} ${cache} && mount -o remount,bind,ro ${cache} && exec "$@"`,
        ),
      );
      assert.equal(frozen.code, 0, frozen.stderr);
      assert.match(frozen.stdout, /^ran ro$/m);

      // a copy (new inodes and ctimes, as after unpacking an image layer), read-only: the
      // files are hashed again and used
      const copy = join(dir, "copy");
      new Deno.Command("cp", { args: ["-a", cache, copy] }).outputSync();
      const copied = runExe(
        pkg.exe,
        ["copy"],
        { TRACEE_CACHE_DIR: copy },
        inMountNs(`mount --bind ${copy} ${copy} && mount -o remount,bind,ro ${copy} && exec "$@"`),
      );
      assert.equal(copied.code, 0, copied.stderr);
      assert.equal(copied.stderr, "");
      assert.match(copied.stdout, /^ran copy$/m);
    }),
);

rootTest("a cache on a noexec mount is refused: one line, exit 2", () =>
  inScratch((dir) => {
    const pkg = tinyPackage(dir);
    const cache = join(dir, "cache");
    const r = runOnTmpfs(pkg.exe, cache, "noexec");
    refused(r, new RegExp(`^Cannot use the cache directory ${cache}: it is on a noexec mount`));
  }));

/** The host's libbpf.so.1 as the launcher finds it (the build needs one: tools/ensure-deps.sh). */
const HOST_LIBBPF = ["/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64"]
  .map((d) => `${d}/libbpf.so.1`).find((p) => {
    try {
      return Deno.statSync(p).isFile;
    } catch {
      return false;
    }
  });

Deno.test("libbpf: the host's when it is as new as the embedded one, else the embedded one", () => {
  assert.ok(HOST_LIBBPF, "the build host has libbpf.so.1");
  const hostVersion = Deno.realPathSync(HOST_LIBBPF).match(/libbpf\.so\.([\d.]+)$/)![1]!;
  return inScratch((dir) => {
    const cache = join(dir, "cache");
    const same = tinyPackage(join(dir, "same"), { libbpfVersion: hostVersion });
    const r = runExe(same.exe, [], { TRACEE_CACHE_DIR: cache, LIBBPF_PATH: "" });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^LIBBPF_PATH=${HOST_LIBBPF}$`, "m"));
    assert.match(r.stdout, /^LD_LIBRARY_PATH=$/m);

    const newer = tinyPackage(join(dir, "newer"), { libbpfVersion: "99.1.0" });
    const lib = join(cache, newer.entryName, "lib");
    const n = runExe(newer.exe, [], { TRACEE_CACHE_DIR: cache, LD_LIBRARY_PATH: "/opt/x" });
    assert.equal(n.code, 0, n.stderr);
    assert.match(n.stdout, new RegExp(`^LIBBPF_PATH=${lib}/libbpf\\.so\\.1$`, "m"));
    assert.match(n.stdout, new RegExp(`^LD_LIBRARY_PATH=${lib}:/opt/x$`, "m"));

    const mine = runExe(newer.exe, [], { TRACEE_CACHE_DIR: cache, LIBBPF_PATH: "/my/libbpf.so" });
    assert.match(mine.stdout, /^LIBBPF_PATH=\/my\/libbpf\.so$/m);
    assert.match(mine.stdout, /^LD_LIBRARY_PATH=$/m);
  });
});

Deno.test("tracee version and --version: version, Deno inside, embedded object and BTFHub entries", () => {
  const version = Deno.readTextFileSync(`${ROOT}dist/VERSION`).trim();
  const btfhub: string[] = [];
  const walk = (dir: string, parts: string[]) => {
    for (const e of Deno.readDirSync(dir)) {
      if (e.isDirectory) walk(join(dir, e.name), [...parts, e.name]);
      else btfhub.push([...parts, e.name.replace(/\.btf\.tar\.xz$/, "")].join("/"));
    }
  };
  walk(`${ROOT}dist/btfhub`, []);
  for (const args of [["version"], ["--version"]]) {
    const out = new Deno.Command(TRACEE_BIN, { args, stdout: "piped", stderr: "piped" })
      .outputSync();
    const text = new TextDecoder().decode(out.stdout);
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    assert.match(text, new RegExp(`^tracee ${version}$`, "m"));
    assert.match(text, new RegExp(`^deno ${Deno.version.deno.replaceAll(".", "\\.")} \\(v8 `, "m"));
    assert.match(text, /^package: self-extracting, .*, running from \/\S+\/[0-9a-f]{32}$/m);
    const core = Deno.statSync(`${ROOT}dist/tracee.bpf.core.o`).size;
    assert.match(
      text,
      new RegExp(`^eBPF object: tracee\\.bpf\\.core\\.o \\(CO-RE\\), ${core} bytes`, "m"),
    );
    assert.match(text, new RegExp(`^BTFHub archives: ${btfhub.length}$`, "m"));
    for (const key of btfhub) assert.match(text, new RegExp(`^  ${key} \\(\\d+ bytes\\)$`, "m"));
    assert.match(text, /^libbpf: \d+\.\d+(\.\d+)? embedded with libelf\.so\.1/m);
    assert.match(text, /^libbpf in use: \/\S+libbpf\.so\.1$/m);
  }
});
