import assert from "node:assert/strict";
import { EventDecoder } from "../../src/decode/decoder.ts";
import { decodeSockaddr, foldPath } from "../../src/decode/args.ts";
import { Payload, record, sockaddrIn } from "../helpers/records.ts";

function decode(rec: Uint8Array<ArrayBuffer>, decoder = new EventDecoder()) {
  const dv = new DataView(rec.buffer);
  return decoder.decode(dv, rec, 0, rec.length);
}

Deno.test("decodes an openat record: context fields, typed args, negative return", () => {
  const rec = record(
    {
      eventId: 257,
      pid: 10,
      tid: 11,
      ppid: 9,
      hostPid: 1010,
      hostTid: 1011,
      hostPpid: 1009,
      uid: 1000,
      mntNs: 4026531841,
      pidNs: 4026531836,
      cgroupId: 1234n,
      retval: -2n,
      comm: "cat",
      cpu: 1,
      syscall: 257,
    },
    new Payload().u64(-100).str("/tmp/x").u64(0x80000).u64(0o644),
  );
  const e = decode(rec)!;
  assert.equal(e.def.name, "openat");
  assert.equal(e.processName, "cat");
  assert.deepEqual(
    [
      e.processId,
      e.threadId,
      e.parentProcessId,
      e.hostProcessId,
      e.hostThreadId,
      e.hostParentProcessId,
    ],
    [10, 11, 9, 1010, 1011, 1009],
  );
  assert.deepEqual([e.userId, e.mountNamespace, e.pidNamespace, e.cgroupId], [
    1000,
    4026531841,
    4026531836,
    1234,
  ]);
  assert.equal(e.returnValue, -2);
  assert.equal(e.processorId, 1);
  assert.deepEqual(e.args.map((a) => [a.name, a.type, a.value]), [
    ["dirfd", "int", -100],
    ["pathname", "const char*", "/tmp/x"],
    ["flags", "int", 0x80000],
    ["mode", "mode_t", 0o644],
  ]);
});

Deno.test("decodes string arrays, sockaddr and booleans", () => {
  const exec = decode(
    record({ eventId: 59 }, new Payload().str("/bin/ls").strArr(["ls", "-la"]).strArr(["A=1"])),
  )!;
  assert.deepEqual(exec.args.map((a) => a.value), ["/bin/ls", ["ls", "-la"], ["A=1"]]);

  const conn = decode(
    record(
      { eventId: 42, retval: -111n },
      new Payload().u64(3).bytes(sockaddrIn(8080, [127, 0, 0, 1])).u64(16),
    ),
  )!;
  assert.deepEqual(conn.args[1]!.value, {
    sa_family: "AF_INET",
    sin_port: "8080",
    sin_addr: "127.0.0.1",
  });
  assert.equal(conn.returnValue, -111);

  const exit = decode(record({ eventId: 1004 }, new Payload().u64(7).u64(0).u64(1)))!;
  assert.deepEqual(exit.args.map((a) => a.value), [7, 0, true]);
});

Deno.test("decodes sched_process_exec argv and env from their NUL-separated regions", () => {
  const region = [...new TextEncoder().encode("cat\0/tmp/a b\0")];
  const env = [...new TextEncoder().encode("A=1\0B=2\0")];
  const p = new Payload().str("/bin/cat").str("/usr/bin/cat").u64(1).u64(2).u64(3).u64(0o100755)
    .str("/bin/cat").u64(0o020000).str("/dev/pts/0").u64(0).bytes(region).bytes(env);
  const e = decode(record({ eventId: 1003, comm: "cat" }, p))!;
  const arg = (n: string) => e.args.find((a) => a.name === n)!.value;
  assert.deepEqual(arg("argv"), ["cat", "/tmp/a b"]);
  assert.deepEqual(arg("env"), ["A=1", "B=2"]);
  assert.equal(arg("pathname"), "/usr/bin/cat");
  assert.equal(arg("stdin_path"), "/dev/pts/0");
  assert.equal(arg("invoked_from_kernel"), false);
});

Deno.test("sockaddr decoding covers AF_INET6 and AF_UNIX (abstract too)", () => {
  const v6 = new Uint8Array(28);
  const dv6 = new DataView(v6.buffer);
  dv6.setUint16(0, 10, true);
  dv6.setUint16(2, 443, false);
  v6[8 + 15] = 1; // ::1
  assert.deepEqual(decodeSockaddr(dv6, v6, 0, 28), {
    sa_family: "AF_INET6",
    sin6_port: "443",
    sin6_flowinfo: "0",
    sin6_addr: "::1",
    sin6_scopeid: "0",
  });
  const un = new Uint8Array([1, 0, ...new TextEncoder().encode("/run/x.sock"), 0]);
  assert.deepEqual(decodeSockaddr(new DataView(un.buffer), un, 0, un.length), {
    sa_family: "AF_UNIX",
    sun_path: "/run/x.sock",
  });
  const padded = new Uint8Array([1, 0, ...new TextEncoder().encode("/run/y"), 0, 0x41, 0x42, 0xff]);
  assert.equal(
    decodeSockaddr(new DataView(padded.buffer), padded, 0, padded.length)["sun_path"],
    "/run/y",
    "a path ends at its NUL even when addrlen covers the whole struct",
  );
  const abs = new Uint8Array([1, 0, 0, ...new TextEncoder().encode("dbus")]);
  assert.equal(decodeSockaddr(new DataView(abs.buffer), abs, 0, abs.length)["sun_path"], "@dbus");
});

Deno.test("a malformed record is counted, not thrown", () => {
  const d = new EventDecoder();
  const unknown = record({ eventId: 1999 });
  assert.equal(decode(unknown, d), null);
  const short = record({ eventId: 257 }, new Payload().u64(1)).slice(0, 100);
  assert.equal(decode(short, d), null);
  const lying = record({ eventId: 257 }, new Payload().u64(-100).u64(5)); // says string, is a number
  new DataView(lying.buffer).setUint8(98, 4);
  assert.equal(decode(lying, d), null);
  assert.deepEqual(d.stats, { decoded: 0, errors: 3 });
});

Deno.test("a UTF-8 path decodes as text", () => {
  const e = decode(record({ eventId: 2 }, new Payload().str("/tmp/é-ü").u64(0).u64(0)))!;
  assert.equal(e.args[0]!.value, "/tmp/é-ü");
});

Deno.test("joined paths fold . and .. and repeated slashes; relative ones stay", () => {
  assert.equal(foldPath("/tmp/d/../x"), "/tmp/x");
  assert.equal(foldPath("/tmp/./d//x"), "/tmp/d/x");
  assert.equal(foldPath("/../../etc/passwd"), "/etc/passwd");
  assert.equal(foldPath("/tmp/.hidden"), "/tmp/.hidden");
  assert.equal(foldPath("/"), "/");
  assert.equal(foldPath("rel/../x"), "rel/../x");
});
