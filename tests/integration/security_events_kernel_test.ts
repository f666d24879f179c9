/**
 * The security events derived in the kernel (bpf/derived.bpf.h), each from a real trigger with
 * every argument checked against what the trigger itself observed, and the near-misses that must
 * produce nothing.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { TraceeEvent } from "../../src/decode/event.ts";
import { parseArguments } from "../../src/enrich/parse_args.ts";
import { cliPolicy } from "../../src/filters/cli_policy.ts";
import { kernelTest, uniqueName } from "../helpers/kernel.ts";
import { arg, python, traceWhile } from "../helpers/trace_in_process.ts";

/** What python reports of a file: its identity as the kernel encodes it in events. */
const STAT_JSON = `def ident(st):
    return {"ino": st.st_ino, "dev": (os.major(st.st_dev) << 20) | os.minor(st.st_dev), "ctime": str(st.st_ctime_ns)}
`;

interface FileIdent {
  ino: number;
  dev: number;
  /** Nanoseconds since the epoch, as digits (beyond a float's precision). */
  ctime: string;
}

const byPid = (e: TraceeEvent, acted: { pid: number }) => e.hostProcessId === acted.pid;
const named = (name: string) => (e: TraceeEvent) => e.def.name === name;

function tempDir(tag: string): string {
  return Deno.makeTempDirSync({ prefix: `${uniqueName(tag)}-` });
}

kernelTest(
  "security_file_open: a relative open from a chdir gives the absolute path, flags, dev, inode, ctime",
  async () => {
    const { seen, acted } = await traceWhile(
      ["security_file_open"],
      () =>
        python<{ pid: number; flags: number; id: FileIdent; missing: string }>(
          `import os,json,fcntl\n${STAT_JSON}` +
            `os.chdir("/etc"); fd=os.open("passwd", os.O_RDONLY)\n` +
            `missing="no-such-file-${crypto.randomUUID()}"\n` +
            `try: os.open(missing, os.O_RDONLY)\nexcept OSError: pass\n` +
            `print(json.dumps({"pid": os.getpid(), "flags": fcntl.fcntl(fd, fcntl.F_GETFL), "id": ident(os.fstat(fd)), "missing": missing}))`,
        ),
      byPid,
      (s) => s.some((e) => arg(e, "syscall_pathname") === "passwd"),
    );
    const e = seen.find((x) => arg(x, "syscall_pathname") === "passwd")!;
    assert.equal(arg(e, "pathname"), "/etc/passwd");
    assert.equal(arg(e, "flags"), acted.flags);
    assert.equal(arg(e, "dev"), acted.id.dev);
    assert.equal(arg(e, "inode"), acted.id.ino);
    assert.equal(String(arg(e, "ctime")), acted.id.ctime);
    assert.equal(e.def.name, "security_file_open");
    assert.equal(e.syscall, 257, "the syscall is openat");
    assert.ok(
      !seen.some((x) => arg(x, "syscall_pathname") === acted.missing),
      "a failed open gives no security_file_open",
    );
  },
);

kernelTest("security_file_open: an open through a symlink gives the target's path", async () => {
  const dir = tempDir("symlink");
  Deno.writeTextFileSync(join(dir, "target"), "x");
  Deno.symlinkSync(join(dir, "target"), join(dir, "link"));
  try {
    const { seen, acted } = await traceWhile(
      ["security_file_open"],
      () =>
        python<{ pid: number; id: FileIdent }>(
          `import os,json\n${STAT_JSON}fd=os.open(${
            JSON.stringify(join(dir, "link"))
          }, os.O_RDONLY)\n` +
            `print(json.dumps({"pid": os.getpid(), "id": ident(os.fstat(fd))}))`,
        ),
      (e, a) => byPid(e, a) && String(arg(e, "syscall_pathname")).endsWith("/link"),
      (s) => s.length > 0,
    );
    const e = seen[0]!;
    assert.equal(arg(e, "pathname"), join(Deno.realPathSync(dir), "target"));
    assert.equal(arg(e, "syscall_pathname"), join(dir, "link"));
    assert.equal(arg(e, "inode"), acted.id.ino);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

kernelTest("security_file_open: inside a chroot the path is the one inside it", async () => {
  const root = tempDir("chroot");
  Deno.mkdirSync(join(root, "inside"));
  Deno.writeTextFileSync(join(root, "inside", "file"), "x");
  try {
    const { seen } = await traceWhile(
      ["security_file_open"],
      () =>
        python<{ pid: number }>(
          `import os,json\npid=os.getpid()\nos.chroot(${
            JSON.stringify(root)
          }); os.chdir("/inside")\n` +
            `fd=os.open("file", os.O_RDONLY)\nprint(json.dumps({"pid": pid}))`,
        ),
      (e, a) => byPid(e, a) && arg(e, "syscall_pathname") === "file",
      (s) => s.length > 0,
    );
    assert.equal(arg(seen[0]!, "pathname"), "/inside/file");
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});

kernelTest(
  "security_file_open: the binary an exec opened, with the path it was run by",
  async () => {
    const { seen } = await traceWhile(
      ["security_file_open"],
      () => new Deno.Command("/bin/true").outputSync(),
      (e) => e.processName === "true" && arg(e, "syscall_pathname") === "/bin/true",
      (s) => s.length > 0,
    );
    const e = seen[0]!;
    assert.equal(arg(e, "pathname"), Deno.realPathSync("/bin/true"));
    assert.equal(e.syscall, 59, "opened by execve");
    assert.equal(arg(e, "inode"), Deno.statSync("/bin/true").ino);
  },
);

kernelTest(
  "security_inode_rename and security_inode_unlink: absolute paths, the unlinked inode",
  async () => {
    const dir = tempDir("rename");
    Deno.mkdirSync(join(dir, "sub"));
    try {
      const { seen, acted } = await traceWhile(
        ["security_inode_rename", "security_inode_unlink"],
        () =>
          python<{ pid: number; id: FileIdent }>(
            `import os,json\n${STAT_JSON}os.chdir(${JSON.stringify(join(dir, "sub"))})\n` +
              `open("a","w").close(); os.rename("a", "../b")\n` +
              `st=ident(os.stat("../b")); os.unlink("../b")\n` +
              `try: os.unlink("../never-there")\nexcept OSError: pass\n` +
              `os.mkdir("d"); os.rmdir("d")\n` +
              `print(json.dumps({"pid": os.getpid(), "id": st}))`,
          ),
        byPid,
        (s) => s.some(named("security_inode_unlink")) && s.some(named("security_inode_rename")),
      );
      const real = Deno.realPathSync(dir);
      const rename = seen.find(named("security_inode_rename"))!;
      assert.equal(arg(rename, "old_path"), join(real, "sub", "a"));
      assert.equal(arg(rename, "new_path"), join(real, "b"));
      assert.equal(rename.syscall, 82, "rename");
      const unlinks = seen.filter(named("security_inode_unlink"));
      assert.equal(unlinks.length, 1, "a failed unlink and an rmdir give none");
      const u = unlinks[0]!;
      assert.equal(arg(u, "pathname"), join(real, "b"));
      assert.equal(arg(u, "inode"), acted.id.ino);
      assert.equal(arg(u, "dev"), acted.id.dev);
      assert.ok(
        BigInt(arg(u, "ctime") as bigint) >= BigInt(acted.id.ctime),
        "ctime not before the rename",
      );
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  },
);

kernelTest("security_sb_mount: mount -t tmpfs on a temp dir", async () => {
  const dir = tempDir("mount");
  const source = uniqueName("src");
  try {
    const { seen } = await traceWhile(
      ["security_sb_mount"],
      () => {
        const out = new Deno.Command("mount", {
          args: ["-t", "tmpfs", "-o", "nosuid,nodev,size=1m", source, dir],
        }).outputSync();
        assert.ok(out.success, "mount ran");
        new Deno.Command("umount", { args: [dir] }).outputSync();
      },
      (e) => arg(e, "dev_name") === source,
      (s) => s.length > 0,
    );
    const e = seen[0]!;
    assert.equal(arg(e, "path"), Deno.realPathSync(dir));
    assert.equal(arg(e, "type"), "tmpfs");
    assert.equal(arg(e, "flags"), 0x2 | 0x4, "MS_NOSUID|MS_NODEV");
    assert.equal(e.processName, "mount");
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

kernelTest(
  "security_socket_connect (a closed port, whatever the outcome), bind, and socket_dup onto fd 0",
  async () => {
    const { seen, acted } = await traceWhile(
      ["security_socket_connect", "security_socket_bind", "socket_dup", "connect"],
      () =>
        python<{ pid: number; port: number; fd: number; refused: number }>(
          `import os,json,socket\n` +
            `srv=socket.socket(); srv.bind(("127.0.0.1",0)); srv.listen(1); port=srv.getsockname()[1]\n` +
            `c=socket.socket(); refused=c.connect_ex(("127.0.0.1",1))\n` +
            `c2=socket.socket(); c2.connect(("127.0.0.1",port)); os.dup2(c2.fileno(), 0)\n` +
            `p=os.pipe(); os.dup2(p[0], 5)\n` +
            `print(json.dumps({"pid": os.getpid(), "port": port, "fd": c2.fileno(), "refused": refused}))`,
        ),
      byPid,
      (s) => s.some(named("socket_dup")) && s.filter(named("security_socket_connect")).length === 2,
      { enrich: parseArguments },
    );
    const connects = seen.filter(named("security_socket_connect"));
    const closed = connects.find((e) =>
      (arg(e, "remote_addr") as Record<string, string>).sin_port === "1"
    )!;
    assert.deepEqual(arg(closed, "remote_addr"), {
      sa_family: "AF_INET",
      sin_port: "1",
      sin_addr: "127.0.0.1",
    });
    assert.equal(arg(closed, "type"), "SOCK_STREAM");
    const refusedConnect = seen.find((e) =>
      named("connect")(e) &&
      (arg(e, "addr") as Record<string, string> | undefined)?.sin_port === "1"
    );
    assert.equal(refusedConnect?.returnValue, -acted.refused, "the connect itself failed");
    const open = connects.find((e) => arg(e, "sockfd") === acted.fd)!;
    assert.equal((arg(open, "remote_addr") as Record<string, string>).sin_port, String(acted.port));

    const bind = seen.find(named("security_socket_bind"))!;
    assert.deepEqual(arg(bind, "local_addr"), {
      sa_family: "AF_INET",
      sin_port: "0",
      sin_addr: "127.0.0.1",
    });
    const dups = seen.filter(named("socket_dup"));
    assert.equal(dups.length, 1, "dup2 of a pipe is not a socket_dup");
    assert.equal(arg(dups[0]!, "oldfd"), acted.fd);
    assert.equal(arg(dups[0]!, "newfd"), 0);
    assert.deepEqual(arg(dups[0]!, "remote_addr"), {
      sa_family: "AF_INET",
      sin_port: String(acted.port),
      sin_addr: "127.0.0.1",
    });
  },
);

kernelTest(
  "magic_write: the first bytes of a new file's first write; none for a write at offset 100",
  async () => {
    const dir = tempDir("magic");
    try {
      const { seen, acted } = await traceWhile(
        ["magic_write"],
        () =>
          python<{ pid: number; id: FileIdent }>(
            `import os,json\n${STAT_JSON}os.chdir(${JSON.stringify(dir)})\n` +
              `fd=os.open("dropped", os.O_WRONLY|os.O_CREAT, 0o755)\n` +
              `os.write(fd, b"\\x7fELF\\x02\\x01\\x01" + bytes(range(40))); st=ident(os.fstat(fd)); os.close(fd)\n` +
              `fd=os.open("later", os.O_WRONLY|os.O_CREAT, 0o644); os.pwrite(fd, b"not a header", 100); os.close(fd)\n` +
              `fd=os.open("vec", os.O_WRONLY|os.O_CREAT, 0o644); os.writev(fd, [b"#!/bin/sh\\n", b"echo"]); os.close(fd)\n` +
              `print(json.dumps({"pid": os.getpid(), "id": st}))`,
          ),
        byPid,
        (s) => s.length >= 2,
      );
      const real = Deno.realPathSync(dir);
      const elf = seen.find((e) => arg(e, "pathname") === join(real, "dropped"))!;
      assert.deepEqual(
        [...(arg(elf, "bytes") as Uint8Array)],
        [0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, ...Array.from({ length: 13 }, (_, i) => i)],
      );
      assert.equal(elf.returnValue, 47, "the bytes written");
      assert.equal(arg(elf, "inode"), acted.id.ino);
      assert.equal(arg(elf, "dev"), acted.id.dev);
      assert.equal(elf.syscall, 1, "write");
      const vec = seen.find((e) => arg(e, "pathname") === join(real, "vec"))!;
      assert.equal(new TextDecoder().decode(arg(vec, "bytes") as Uint8Array), "#!/bin/sh\n");
      assert.equal(vec.syscall, 20, "writev");
      assert.ok(
        !seen.some((e) => arg(e, "pathname") === join(real, "later")),
        "a write at offset 100 is not a magic_write",
      );
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  },
);

kernelTest(
  "mem_prot_alert: mmap W+X, mprotect RW→RWX and RW→R-X alert; R-X→R-X and R-X→R do not",
  async () => {
    const { seen, acted } = await traceWhile(
      ["mem_prot_alert"],
      () =>
        python<{ pid: number; wx: number; rwx: number; jit: number; rx: number }>(
          `import ctypes,os,json\nlibc=ctypes.CDLL(None)\n` +
            `libc.mmap.restype=ctypes.c_void_p\n` +
            `libc.mmap.argtypes=[ctypes.c_void_p,ctypes.c_size_t,ctypes.c_int,ctypes.c_int,ctypes.c_int,ctypes.c_long]\n` +
            `libc.mprotect.argtypes=[ctypes.c_void_p,ctypes.c_size_t,ctypes.c_int]\n` +
            `m=lambda p: libc.mmap(None, 8192, p, 0x22, -1, 0)\n` +
            `wx=m(7)\nrwx=m(3); libc.mprotect(rwx, 8192, 7)\njit=m(3); libc.mprotect(jit, 4096, 5)\n` +
            `rx=m(5); libc.mprotect(rx, 8192, 5); libc.mprotect(rx, 8192, 1)\n` +
            `print(json.dumps({"pid": os.getpid(), "wx": wx, "rwx": rwx, "jit": jit, "rx": rx}))`,
        ),
      byPid,
      (s) => s.length >= 3,
      { enrich: parseArguments },
    );
    const at = (addr: number) => seen.filter((e) => arg(e, "addr") === "0x" + addr.toString(16));
    const [wx] = at(acted.wx);
    assert.equal(arg(wx!, "alert"), "Mmaped region with W+E permissions!");
    assert.equal(arg(wx!, "prot"), "PROT_READ|PROT_WRITE|PROT_EXEC");
    assert.equal(arg(wx!, "len"), 8192);
    assert.equal(wx!.syscall, 9, "mmap");
    const [rwx] = at(acted.rwx);
    assert.equal(arg(rwx!, "alert"), "Protection changed to Executable!");
    assert.equal(arg(rwx!, "prev_prot"), "PROT_READ|PROT_WRITE");
    const [jit] = at(acted.jit);
    assert.equal(arg(jit!, "alert"), "Protection changed from W to E!");
    assert.equal(arg(jit!, "prot"), "PROT_READ|PROT_EXEC");
    assert.equal(arg(jit!, "len"), 4096);
    assert.equal(arg(jit!, "pathname"), "", "anonymous memory has no file");
    assert.equal(jit!.syscall, 10, "mprotect");
    assert.equal(at(acted.rx).length, 0, "no alert for memory that was already executable");
    assert.equal(seen.length, 3);
  },
);

kernelTest(
  "module_load: without a module tracepoint it comes from init_module/finit_module exits; a failed load gives none",
  async () => {
    const { seen, acted } = await traceWhile(
      ["module_load", "finit_module"],
      () =>
        python<{ pid: number }>(
          `import ctypes,os,json\nfd=os.open("/dev/null", os.O_RDONLY)\n` +
            `ctypes.CDLL(None, use_errno=True).syscall(313, fd, b"", 0)\n` +
            `print(json.dumps({"pid": os.getpid()}))`,
        ),
      byPid,
      (s) => s.some(named("finit_module")),
    );
    const call = seen.find(named("finit_module"))!;
    assert.ok(call.returnValue < 0, "this kernel refuses the module");
    assert.equal(seen.filter(named("module_load")).length, 0);
    assert.ok(acted.pid > 0);
  },
);

kernelTest(
  "path prefix filters run in the kernel: security_file_open.data.pathname=/etc/* builds only /etc opens",
  async () => {
    const policies = cliPolicy({
      events: ["security_file_open.data.pathname=/etc/host*"],
      filters: [],
      scopes: [],
    }).set;
    let filtered = 0;
    const { seen, acted } = await traceWhile(
      [],
      () =>
        python<{ pid: number }>(
          `import os,json\nfor p in ["/etc/hostname", "/etc/passwd", "/proc/self/status", "/etc/hosts"]: os.close(os.open(p, os.O_RDONLY))\n` +
            `print(json.dumps({"pid": os.getpid()}))`,
        ),
      byPid,
      (s) => s.length >= 2,
      { policies, counts: (c) => filtered = c.filtered },
    );
    assert.deepEqual(seen.map((e) => arg(e, "pathname")).sort(), ["/etc/hostname", "/etc/hosts"]);
    assert.ok(filtered >= 2, `the kernel dropped the other opens (${filtered} filtered)`);
    assert.ok(acted.pid > 0);
  },
);

kernelTest(
  "security_bprm_check: the binary an exec runs, reported with the name the process had before",
  async () => {
    const marker = uniqueName("bprm");
    const { seen } = await traceWhile(
      ["security_bprm_check"],
      () => new Deno.Command("/bin/sh", { args: ["-c", `exec /bin/true ${marker}`] }).outputSync(),
      (e) => (arg(e, "argv") as string[] | undefined)?.includes(marker) ?? false,
      (s) => s.length > 0,
    );
    const e = seen[0]!;
    assert.equal(e.processName, "sh", "the LSM hook runs before the exec renames the process");
    assert.equal(arg(e, "pathname"), Deno.realPathSync("/bin/true"));
    assert.equal(arg(e, "inode"), Deno.statSync("/bin/true").ino);
    assert.deepEqual(arg(e, "argv"), ["/bin/true", marker]);
    assert.equal(e.syscall, 59, "execve");
  },
);
