import assert from "node:assert/strict";
import { EventDecoder } from "../../src/decode/decoder.ts";
import type { TraceeEvent } from "../../src/decode/event.ts";
import { ExecHasher } from "../../src/enrich/exec_hash.ts";
import { resolveFds } from "../../src/enrich/fd_paths.ts";
import { parseArguments } from "../../src/enrich/parse_args.ts";
import { EventSorter } from "../../src/enrich/sorter.ts";
import { Payload, record } from "../helpers/records.ts";

function event(rec: Uint8Array<ArrayBuffer>): TraceeEvent {
  return new EventDecoder().decode(new DataView(rec.buffer), rec, 0, rec.length)!;
}
const args = (e: TraceeEvent) => Object.fromEntries(e.args.map((a) => [a.name, a.value]));

Deno.test("parse-arguments: openat's dirfd, flags and mode become names; type becomes string", () => {
  const e = event(
    record({ eventId: 257 }, new Payload().u64(-100).str("/etc/x").u64(0o2000101).u64(0o644)),
  );
  parseArguments(e);
  assert.deepEqual(args(e), {
    dirfd: "AT_FDCWD",
    pathname: "/etc/x",
    flags: "O_WRONLY|O_CREAT|O_CLOEXEC",
    mode: "0644",
  });
  assert.equal(e.args[0]!.type, "string");
  assert.equal(e.args[1]!.type, "const char*", "unparsed arguments keep their C type");
});

Deno.test("parse-arguments: mmap prot/flags, socket domain/type/protocol, kill signal, clone flags", () => {
  const mmap = event(
    record({ eventId: 9 }, new Payload().u64(0).u64(4096).u64(1).u64(0x22).u64(-1).u64(0)),
  );
  parseArguments(mmap);
  assert.equal(args(mmap).prot, "PROT_READ");
  assert.equal(args(mmap).flags, "MAP_PRIVATE|MAP_ANONYMOUS");
  const sock = event(record({ eventId: 41 }, new Payload().u64(2).u64(1 | 0x80000).u64(6)));
  parseArguments(sock);
  assert.deepEqual(args(sock), {
    domain: "AF_INET",
    type: "SOCK_STREAM|SOCK_CLOEXEC",
    protocol: "IPPROTO_TCP",
  });
  const kill = event(record({ eventId: 62 }, new Payload().u64(123).u64(9)));
  parseArguments(kill);
  assert.equal(args(kill).sig, "SIGKILL");
  const clone = event(
    record({ eventId: 56 }, new Payload().u64(0x1200011).u64(0).u64(0).u64(0).u64(0)),
  );
  parseArguments(clone);
  assert.match(String(args(clone).flags), /CLONE_CHILD_SETTID.*SIGCHLD$/);
});

Deno.test("parse-arguments-fds: fd arguments gain their path; unknown fds stay numbers", () => {
  const e = event(record({ eventId: 0, hostPid: 42 }, new Payload().u64(3).bytes([]).u64(10)));
  resolveFds(e, (pid, fd) => (pid === 42 && fd === 3 ? "/etc/passwd" : undefined));
  assert.equal(args(e).fd, "3=/etc/passwd");
  const other = event(record({ eventId: 0, hostPid: 42 }, new Payload().u64(7).bytes([]).u64(10)));
  resolveFds(other, () => undefined);
  assert.equal(args(other).fd, 7);
});

Deno.test("exec-hash: sha256 of the executed binary, hashed once per dev/inode/ctime", () => {
  const region = [...new TextEncoder().encode("x\0")];
  const exec = () =>
    event(record(
      { eventId: 1003, hostPid: 9 },
      new Payload().str("/x").str("/usr/bin/x").u64(1).u64(2).u64(3).u64(0o100755).str("/x").u64(0)
        .str("").u64(0)
        .bytes(region).bytes([]),
    ));
  let reads = 0;
  const hasher = new ExecHasher((path) => {
    reads++;
    return path === "/proc/9/exe" ? new TextEncoder().encode("abc") : undefined;
  });
  const a = exec();
  hasher.enrich(a);
  hasher.enrich(exec());
  assert.equal(args(a).sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  assert.equal(reads, 1);
});

Deno.test("sort-events: events leave in timestamp order once older than the window", () => {
  const at = (ns: bigint) => event(record({ eventId: 3, ts: ns }, new Payload().u64(1)));
  let now = 0;
  const sorter = new EventSorter(() => now, 100);
  const out: bigint[] = [];
  const emit = (e: TraceeEvent) => out.push(BigInt(e.tsHi) * 2n ** 32n + BigInt(e.tsLo));
  for (const ns of [1000n, 900n, 1200n, 1050n]) sorter.push(at(ns));
  sorter.release(emit);
  assert.deepEqual(out, [900n, 1000n, 1050n], "1200 is inside the window");
  sorter.release(emit);
  assert.equal(out.length, 3, "nothing new, and the clock has not moved");
  now = 1400;
  sorter.release(emit);
  assert.deepEqual(
    out,
    [900n, 1000n, 1050n, 1200n],
    "a quiet stream flows once the clock passes the window",
  );
  sorter.push(at(1100n));
  sorter.release(emit, true);
  assert.equal(out.at(-1), 1100n);
});
