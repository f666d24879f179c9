import assert from "node:assert/strict";
import { bitmaskNames, enumName, toFlagBits } from "../../src/events/parse/flag_names.ts";
import { OPEN_ACCESS_MODES, OPEN_FLAGS, openFlags } from "../../src/events/parse/open_flags.ts";
import { FILE_TYPES, fileMode } from "../../src/events/parse/file_mode.ts";
import { AT_FLAGS, atFlags, dirfd } from "../../src/events/parse/at_flags.ts";
import {
  MAP_HUGE_SIZES,
  MMAP_FLAGS,
  MMAP_PROT,
  mmapFlags,
  mmapProt,
} from "../../src/events/parse/mmap_flags.ts";
import {
  IP_PROTOCOLS,
  IPV6_PROTOCOLS,
  SOCKET_DOMAINS,
  SOCKET_TYPE_FLAGS,
  SOCKET_TYPES,
  socketDomain,
  socketProtocol,
  socketType,
} from "../../src/events/parse/socket_args.ts";
import { PTRACE_REQUESTS, ptraceRequest } from "../../src/events/parse/ptrace_requests.ts";
import { PRCTL_OPTIONS, prctlOption } from "../../src/events/parse/prctl_options.ts";
import {
  CLONE_FLAGS,
  cloneFlags,
  NAMESPACE_FLAGS,
  unshareFlags,
} from "../../src/events/parse/clone_flags.ts";
import { ACCESS_MODES, accessMode } from "../../src/events/parse/access_mode.ts";
import { signalName, SIGNALS } from "../../src/events/parse/signals.ts";
import { CAPABILITIES, capabilityName } from "../../src/events/parse/capabilities.ts";
import { compileAndRun, parseProbe } from "../helpers/cc.ts";

// ---------------------------------------------------------------------------------------------
// Cross-checks against the C headers: a probe prints every table name the headers define.

/** A table's rows as (value, name), whether it is a FlagTable or an enumeration Map. */
type Rows = Iterable<readonly [bigint | number, string]>;

/** Compiles a probe printing `macro=value` for each of `macros` the headers define. */
function headerValues(includes: string[], macros: readonly string[]): Record<string, number> {
  const source = [
    "#define _GNU_SOURCE",
    "#include <stdio.h>",
    ...includes.map((i) => `#include ${i}`),
    "int main(void) {",
    ...macros.flatMap((m) => [
      `#ifdef ${m}`,
      `  printf("%s=%lld\\n", "${m}", (long long)(${m}));`,
      "#endif",
    ]),
    "  return 0;",
    "}",
  ].join("\n");
  const out = compileAndRun(source);
  return out.trim() === "" ? {} : parseProbe(out);
}

/**
 * Asserts that every row whose name the headers define has the headers' value, and that the
 * `required` names are among them (so the check cannot pass by finding nothing). `macroOf`
 * maps a printed name to the header's macro where they differ (O_ASYNC is FASYNC there).
 * Returns how many rows were compared.
 */
function assertMatchesHeaders(
  rows: Rows,
  includes: string[],
  required: string[],
  macroOf: Record<string, string> = {},
): number {
  const table = [...rows].map(([value, name]) => ({
    name,
    macro: macroOf[name] ?? name,
    value: Number(value),
  }));
  const found = headerValues(includes, table.map((r) => r.macro));
  for (const name of required) {
    assert.ok((macroOf[name] ?? name) in found, `${name} is not defined by ${includes.join(" ")}`);
  }
  const ours: Record<string, number> = {};
  const theirs: Record<string, number> = {};
  for (const row of table) {
    if (!(row.macro in found)) continue;
    ours[row.name] = row.value;
    theirs[row.name] = found[row.macro]!;
  }
  assert.deepEqual(ours, theirs);
  return Object.keys(ours).length;
}

// ---------------------------------------------------------------------------------------------
// flag_names.ts

const COLORS = [[1n, "RED"], [2n, "GREEN"], [4n, "BLUE"], [3n, "YELLOW"]] as const;

Deno.test("bitmaskNames joins the names of set bits in table order", () => {
  assert.equal(bitmaskNames(5, COLORS), "RED|BLUE");
  assert.equal(bitmaskNames(4n, COLORS), "BLUE");
});

Deno.test("bitmaskNames consumes matched bits: a later row naming them no longer matches", () => {
  assert.equal(bitmaskNames(3, COLORS), "RED|GREEN");
  assert.equal(bitmaskNames(3, [[3n, "YELLOW"], [1n, "RED"], [2n, "GREEN"]]), "YELLOW");
});

Deno.test("bitmaskNames appends unknown bits as one hex literal", () => {
  assert.equal(bitmaskNames(0x40000001, COLORS), "RED|0x40000000");
  assert.equal(bitmaskNames(0x48, COLORS), "0x48");
});

Deno.test("bitmaskNames returns 0 for no bits and the value itself for a non-integer", () => {
  assert.equal(bitmaskNames(0, COLORS), "0");
  assert.equal(bitmaskNames(0n, COLORS), "0");
  assert.equal(bitmaskNames(1.5, COLORS), "1.5");
  assert.equal(bitmaskNames(NaN, COLORS), "NaN");
});

Deno.test("bitmaskNames handles bits above 32 and reads negatives as 64-bit values", () => {
  assert.equal(bitmaskNames(1n << 40n, [[1n << 40n, "HIGH"]]), "HIGH");
  assert.equal(bitmaskNames(2 ** 40 + 1, [[1n << 40n, "HIGH"]]), "HIGH|0x1");
  assert.equal(toFlagBits(-1), 0xffffffffffffffffn);
  assert.equal(bitmaskNames(-2, [[1n << 63n, "TOP"]]), "TOP|0x7ffffffffffffffe");
});

Deno.test("enumName looks names up in a Map or a record, else gives the decimal number", () => {
  const map = new Map([[1, "ONE"]]);
  const record: Record<number, string> = { 1: "ONE" };
  assert.equal(enumName(1, map), "ONE");
  assert.equal(enumName(1, record), "ONE");
  assert.equal(enumName(7, map), "7");
  assert.equal(enumName(-7, record), "-7");
});

// ---------------------------------------------------------------------------------------------
// open_flags.ts

Deno.test("openFlags puts the access mode first: O_RDONLY|O_CLOEXEC, O_WRONLY|O_CREAT…", () => {
  assert.equal(openFlags(0x80000), "O_RDONLY|O_CLOEXEC");
  assert.equal(openFlags(0x241), "O_WRONLY|O_CREAT|O_TRUNC");
  assert.equal(openFlags(0o2 | 0o100 | 0o200), "O_RDWR|O_CREAT|O_EXCL");
  assert.equal(openFlags(0), "O_RDONLY");
});

Deno.test("openFlags prints O_TMPFILE without O_DIRECTORY, and O_DIRECTORY alone", () => {
  assert.equal(openFlags(0o20200000 | 0o2), "O_RDWR|O_TMPFILE");
  assert.equal(openFlags(0o200000 | 0o2000000), "O_RDONLY|O_DIRECTORY|O_CLOEXEC");
});

Deno.test("openFlags prints O_SYNC without O_DSYNC, and O_DSYNC alone", () => {
  assert.equal(openFlags(0o4010000 | 0o1), "O_WRONLY|O_SYNC");
  assert.equal(openFlags(0o10000 | 0o1), "O_WRONLY|O_DSYNC");
});

Deno.test("openFlags names O_PATH, O_NOFOLLOW, O_ASYNC and O_LARGEFILE", () => {
  assert.equal(openFlags(0o10000000 | 0o400000), "O_RDONLY|O_NOFOLLOW|O_PATH");
  assert.equal(openFlags(0o20000 | 0o100000), "O_RDONLY|O_ASYNC|O_LARGEFILE");
});

Deno.test("openFlags prints unknown bits as hex and access mode 3 as O_ACCMODE", () => {
  assert.equal(openFlags(0x40000000 | 0x80000), "O_RDONLY|O_CLOEXEC|0x40000000");
  assert.equal(openFlags(0x80000000), "O_RDONLY|0x80000000");
  assert.equal(openFlags(3), "O_ACCMODE");
});

Deno.test("open flags table matches asm-generic/fcntl.h", () => {
  const rows = [...OPEN_FLAGS, ...[...OPEN_ACCESS_MODES].filter(([, n]) => n !== "O_ACCMODE")];
  assertMatchesHeaders(
    rows,
    ["<linux/fcntl.h>"],
    OPEN_FLAGS.map(([, name]) => name),
    { O_ASYNC: "FASYNC" },
  );
});

// ---------------------------------------------------------------------------------------------
// file_mode.ts

Deno.test("fileMode prints the file type then 4-digit octal permissions", () => {
  assert.equal(fileMode(0o100644), "S_IFREG|0644");
  assert.equal(fileMode(0o040755), "S_IFDIR|0755");
  assert.equal(fileMode(0o120777), "S_IFLNK|0777");
  assert.equal(fileMode(0o020620), "S_IFCHR|0620");
});

Deno.test("fileMode without a type prints only the permissions, setuid/sticky included", () => {
  assert.equal(fileMode(0o644), "0644");
  assert.equal(fileMode(0o4755), "04755");
  assert.equal(fileMode(0o1777), "01777");
  assert.equal(fileMode(0o7), "0007");
  assert.equal(fileMode(0), "0000");
});

Deno.test("fileMode prints an unknown type or stray high bits as one octal literal", () => {
  assert.equal(fileMode(0o030644), "030644");
  assert.equal(fileMode(0o1100644), "01100644");
});

Deno.test("file type table matches sys/stat.h", () => {
  assertMatchesHeaders(FILE_TYPES, ["<sys/stat.h>"], [...FILE_TYPES.values()]);
});

// ---------------------------------------------------------------------------------------------
// at_flags.ts

Deno.test("dirfd prints -100 as AT_FDCWD and other descriptors in decimal", () => {
  assert.equal(dirfd(-100), "AT_FDCWD");
  assert.equal(dirfd(0xffffff9c), "AT_FDCWD");
  assert.equal(dirfd(3), "3");
  assert.equal(dirfd(-1), "-1");
});

Deno.test("atFlags names each AT_* flag, 0x200 as AT_REMOVEDIR, and 0 as 0", () => {
  assert.equal(atFlags(0), "0");
  assert.equal(atFlags(0x100), "AT_SYMLINK_NOFOLLOW");
  assert.equal(atFlags(0x200), "AT_REMOVEDIR");
  assert.equal(atFlags(0x1000 | 0x800), "AT_NO_AUTOMOUNT|AT_EMPTY_PATH");
  assert.equal(
    atFlags(0x8000 | 0x4000 | 0x2000),
    "AT_STATX_FORCE_SYNC|AT_STATX_DONT_SYNC|AT_RECURSIVE",
  );
  assert.equal(atFlags(0x10000 | 0x400), "AT_SYMLINK_FOLLOW|0x10000");
});

Deno.test("AT_* table matches linux/fcntl.h; AT_EACCESS shares 0x200 with AT_REMOVEDIR", () => {
  assertMatchesHeaders(AT_FLAGS, ["<linux/fcntl.h>"], AT_FLAGS.map(([, name]) => name));
  const found = headerValues(["<linux/fcntl.h>"], ["AT_FDCWD", "AT_EACCESS", "AT_REMOVEDIR"]);
  assert.deepEqual(found, { AT_FDCWD: -100, AT_EACCESS: 0x200, AT_REMOVEDIR: 0x200 });
});

// ---------------------------------------------------------------------------------------------
// mmap_flags.ts

Deno.test("mmapProt prints PROT_NONE for 0 and joins the PROT_* bits", () => {
  assert.equal(mmapProt(0), "PROT_NONE");
  assert.equal(mmapProt(5), "PROT_READ|PROT_EXEC");
  assert.equal(mmapProt(3), "PROT_READ|PROT_WRITE");
  assert.equal(mmapProt(0x01000000 | 1), "PROT_READ|PROT_GROWSDOWN");
  assert.equal(mmapProt(0x10), "0x10");
});

Deno.test("mmapFlags names MAP_PRIVATE|MAP_ANONYMOUS and the other common flags", () => {
  assert.equal(mmapFlags(0x22), "MAP_PRIVATE|MAP_ANONYMOUS");
  assert.equal(mmapFlags(0x812), "MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE");
  assert.equal(mmapFlags(0x20022), "MAP_PRIVATE|MAP_ANONYMOUS|MAP_STACK");
  assert.equal(mmapFlags(0x100022), "MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE");
  assert.equal(mmapFlags(0x1), "MAP_SHARED");
});

Deno.test("mmapFlags prints type 3 as MAP_SHARED_VALIDATE, not MAP_SHARED|MAP_PRIVATE", () => {
  assert.equal(mmapFlags(0x3), "MAP_SHARED_VALIDATE");
  assert.equal(mmapFlags(0x80003), "MAP_SHARED_VALIDATE|MAP_SYNC");
});

Deno.test("mmapFlags decodes the huge page size after MAP_HUGETLB", () => {
  const hugetlb = 0x40000 | 0x20 | 0x2;
  assert.equal(mmapFlags(hugetlb), "MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB");
  assert.equal(
    mmapFlags(hugetlb | (21 << 26)),
    "MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB|MAP_HUGE_2MB",
  );
  assert.equal(
    mmapFlags(hugetlb | (30 << 26)),
    "MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB|MAP_HUGE_1GB",
  );
});

Deno.test("mmapFlags leaves an unnamed huge page size as hex, not MAP_UNINITIALIZED", () => {
  assert.equal(mmapFlags(0x40022 | (13 << 26)), "MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB|0x34000000");
});

Deno.test("mmapFlags reads bit 26 as MAP_UNINITIALIZED without MAP_HUGETLB", () => {
  assert.equal(mmapFlags(0x4000022), "MAP_PRIVATE|MAP_ANONYMOUS|MAP_UNINITIALIZED");
  assert.equal(mmapFlags(0x54000022), "MAP_PRIVATE|MAP_ANONYMOUS|MAP_UNINITIALIZED|0x50000000");
});

Deno.test("mmap PROT_*, MAP_* and MAP_HUGE_* tables match linux/mman.h", () => {
  assertMatchesHeaders(MMAP_PROT, ["<linux/mman.h>"], MMAP_PROT.map(([, name]) => name));
  assertMatchesHeaders(MMAP_FLAGS, ["<linux/mman.h>"], [
    "MAP_SHARED",
    "MAP_PRIVATE",
    "MAP_SHARED_VALIDATE",
    "MAP_ANONYMOUS",
    "MAP_32BIT",
    "MAP_HUGETLB",
    "MAP_FIXED_NOREPLACE",
    "MAP_UNINITIALIZED",
  ]);
  assertMatchesHeaders(MAP_HUGE_SIZES, ["<linux/mman.h>"], MAP_HUGE_SIZES.map(([, name]) => name));
});

// ---------------------------------------------------------------------------------------------
// socket_args.ts

Deno.test("socketDomain names address families and prints unknown ones in decimal", () => {
  assert.equal(socketDomain(1), "AF_UNIX");
  assert.equal(socketDomain(2), "AF_INET");
  assert.equal(socketDomain(10), "AF_INET6");
  assert.equal(socketDomain(16), "AF_NETLINK");
  assert.equal(socketDomain(45), "AF_MCTP");
  assert.equal(socketDomain(46), "46");
});

Deno.test("socketType prints the base type then SOCK_NONBLOCK|SOCK_CLOEXEC", () => {
  assert.equal(socketType(1), "SOCK_STREAM");
  assert.equal(socketType(1 | 0o4000 | 0o2000000), "SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC");
  assert.equal(socketType(2 | 0o2000000), "SOCK_DGRAM|SOCK_CLOEXEC");
  assert.equal(socketType(10), "SOCK_PACKET");
  assert.equal(socketType(0xf | 0x100), "15|0x100");
});

Deno.test("socketProtocol names IPPROTO_* for AF_INET/AF_INET6 only", () => {
  assert.equal(socketProtocol(2, 6), "IPPROTO_TCP");
  assert.equal(socketProtocol(2, 0), "IPPROTO_IP");
  assert.equal(socketProtocol(2, 17), "IPPROTO_UDP");
  assert.equal(socketProtocol(10, 58), "IPPROTO_ICMPV6");
  assert.equal(socketProtocol(2, 58), "58");
  assert.equal(socketProtocol(10, 262), "IPPROTO_MPTCP");
  assert.equal(socketProtocol(16, 6), "6");
});

Deno.test("AF_* and SOCK_* tables match sys/socket.h", () => {
  assertMatchesHeaders(SOCKET_DOMAINS, ["<sys/socket.h>"], ["AF_INET", "AF_XDP", "AF_MCTP"]);
  assertMatchesHeaders(
    [...SOCKET_TYPES, ...SOCKET_TYPE_FLAGS],
    ["<sys/socket.h>"],
    ["SOCK_STREAM", "SOCK_PACKET", "SOCK_NONBLOCK", "SOCK_CLOEXEC"],
  );
});

Deno.test("IPPROTO_* tables match linux/in.h and linux/in6.h", () => {
  const includes = ["<linux/in.h>", "<linux/in6.h>"];
  assertMatchesHeaders(IP_PROTOCOLS, includes, ["IPPROTO_TCP", "IPPROTO_MPTCP"]);
  assertMatchesHeaders(IPV6_PROTOCOLS, includes, ["IPPROTO_ICMPV6", "IPPROTO_MH"]);
});

// ---------------------------------------------------------------------------------------------
// ptrace_requests.ts

Deno.test("ptraceRequest names generic, x86 and extended requests", () => {
  assert.equal(ptraceRequest(0), "PTRACE_TRACEME");
  assert.equal(ptraceRequest(16), "PTRACE_ATTACH");
  assert.equal(ptraceRequest(12), "PTRACE_GETREGS");
  assert.equal(ptraceRequest(30), "PTRACE_ARCH_PRCTL");
  assert.equal(ptraceRequest(0x4206), "PTRACE_SEIZE");
  assert.equal(ptraceRequest(0x420e), "PTRACE_GET_SYSCALL_INFO");
  assert.equal(ptraceRequest(0x4211), "PTRACE_GET_SYSCALL_USER_DISPATCH_CONFIG");
  assert.equal(ptraceRequest(10), "10");
});

Deno.test("ptrace request table matches linux/ptrace.h and asm/ptrace-abi.h", () => {
  assertMatchesHeaders(PTRACE_REQUESTS, ["<linux/ptrace.h>"], [
    "PTRACE_ATTACH",
    "PTRACE_GETREGS",
    "PTRACE_ARCH_PRCTL",
    "PTRACE_SINGLEBLOCK",
    "PTRACE_SEIZE",
    "PTRACE_GET_RSEQ_CONFIGURATION",
  ]);
});

// ---------------------------------------------------------------------------------------------
// prctl_options.ts

Deno.test("prctlOption names options from 1 up, including the ASCII-tag ones", () => {
  assert.equal(prctlOption(15), "PR_SET_NAME");
  assert.equal(prctlOption(1), "PR_SET_PDEATHSIG");
  assert.equal(prctlOption(38), "PR_SET_NO_NEW_PRIVS");
  assert.equal(prctlOption(65), "PR_SET_MDWE");
  assert.equal(prctlOption(0x59616d61), "PR_SET_PTRACER");
  assert.equal(prctlOption(0x53564d41), "PR_SET_VMA");
  assert.equal(prctlOption(17), "17");
  assert.equal(prctlOption(0), "0");
});

Deno.test("prctlOption covers options 1..79 except the unassigned 17, 18, 48, 49", () => {
  const unassigned = [17, 18, 48, 49];
  for (let v = 1; v <= 79; v++) {
    assert.equal(PRCTL_OPTIONS.has(v), !unassigned.includes(v), `option ${v}`);
  }
});

Deno.test("prctl option table matches linux/prctl.h", () => {
  assertMatchesHeaders(PRCTL_OPTIONS, ["<linux/prctl.h>"], [
    "PR_SET_NAME",
    "PR_SET_NO_NEW_PRIVS",
    "PR_SCHED_CORE",
    "PR_SET_PTRACER",
    "PR_SET_VMA",
  ]);
});

// ---------------------------------------------------------------------------------------------
// clone_flags.ts

Deno.test("cloneFlags prints fork()'s flags in bit order with the exit signal last", () => {
  assert.equal(cloneFlags(0x1200011), "CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD");
  assert.equal(cloneFlags(0x4111), "CLONE_VM|CLONE_VFORK|SIGCHLD");
});

Deno.test("cloneFlags prints pthread_create's flags, which have no exit signal", () => {
  assert.equal(
    cloneFlags(0x3d0f00),
    "CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|" +
      "CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID",
  );
});

Deno.test("cloneFlags handles bits above 32 given as a bigint", () => {
  assert.equal(cloneFlags(0x100000000n), "CLONE_CLEAR_SIGHAND");
  assert.equal(cloneFlags(0x300000011n), "CLONE_CLEAR_SIGHAND|CLONE_INTO_CGROUP|SIGCHLD");
  assert.equal(cloneFlags(0x400000000n), "0x400000000");
});

Deno.test("cloneFlags reads 0x80 as a signal, never CLONE_NEWTIME, and 0 as 0", () => {
  assert.equal(cloneFlags(0x80), "128");
  assert.equal(cloneFlags(0x10000000 | 36), "CLONE_NEWUSER|SIGRTMIN+4");
  assert.equal(cloneFlags(0), "0");
});

Deno.test("unshareFlags names namespaces, CLONE_NEWTIME included, with no signal byte", () => {
  assert.equal(unshareFlags(0x10000080), "CLONE_NEWTIME|CLONE_NEWUSER");
  assert.equal(unshareFlags(0x20000 | 0x40000000), "CLONE_NEWNS|CLONE_NEWNET");
  assert.equal(unshareFlags(0x11), "0x11");
  assert.equal(unshareFlags(0x100000000n), "CLONE_CLEAR_SIGHAND");
  assert.equal(unshareFlags(0), "0");
});

Deno.test("CLONE_* table matches linux/sched.h", () => {
  assertMatchesHeaders(NAMESPACE_FLAGS, ["<linux/sched.h>"], [
    "CLONE_NEWTIME",
    "CLONE_CHILD_SETTID",
    "CLONE_NEWUSER",
    "CLONE_CLEAR_SIGHAND",
    "CLONE_INTO_CGROUP",
  ]);
  assert.deepEqual(NAMESPACE_FLAGS.slice(1), CLONE_FLAGS);
});

// ---------------------------------------------------------------------------------------------
// access_mode.ts

Deno.test("accessMode prints F_OK for 0 and R_OK|W_OK|X_OK subsets otherwise", () => {
  assert.equal(accessMode(0), "F_OK");
  assert.equal(accessMode(6), "R_OK|W_OK");
  assert.equal(accessMode(7), "R_OK|W_OK|X_OK");
  assert.equal(accessMode(1), "X_OK");
  assert.equal(accessMode(9), "X_OK|0x8");
});

Deno.test("access mode table matches unistd.h", () => {
  assertMatchesHeaders(ACCESS_MODES, ["<unistd.h>"], ["R_OK", "W_OK", "X_OK"]);
});

// ---------------------------------------------------------------------------------------------
// signals.ts

Deno.test("signalName uses x86_64 numbering for the standard signals", () => {
  assert.equal(signalName(9), "SIGKILL");
  assert.equal(signalName(6), "SIGABRT");
  assert.equal(signalName(7), "SIGBUS");
  assert.equal(signalName(10), "SIGUSR1");
  assert.equal(signalName(16), "SIGSTKFLT");
  assert.equal(signalName(17), "SIGCHLD");
  assert.equal(signalName(29), "SIGIO");
  assert.equal(signalName(31), "SIGSYS");
});

Deno.test("signalName prints SIGRTMIN+n for real-time signals, else 0 and numbers", () => {
  assert.equal(signalName(32), "SIGRTMIN");
  assert.equal(signalName(36), "SIGRTMIN+4");
  assert.equal(signalName(34), "SIGRTMIN+2");
  assert.equal(signalName(64), "SIGRTMIN+32");
  assert.equal(signalName(0), "0");
  assert.equal(signalName(65), "65");
  assert.equal(signalName(-1), "-1");
});

Deno.test("signal table matches the kernel's asm/signal.h", () => {
  const names = [...SIGNALS.values()];
  assertMatchesHeaders(SIGNALS, ["<asm/signal.h>"], names);
  assert.deepEqual(headerValues(["<asm/signal.h>"], ["SIGRTMIN"]), { SIGRTMIN: 32 });
});

// ---------------------------------------------------------------------------------------------
// capabilities.ts

Deno.test("capabilityName names CAP_CHOWN to CAP_CHECKPOINT_RESTORE", () => {
  assert.equal(capabilityName(0), "CAP_CHOWN");
  assert.equal(capabilityName(21), "CAP_SYS_ADMIN");
  assert.equal(capabilityName(39), "CAP_BPF");
  assert.equal(capabilityName(40), "CAP_CHECKPOINT_RESTORE");
  assert.equal(capabilityName(41), "41");
});

Deno.test("capability table matches linux/capability.h", () => {
  const compared = assertMatchesHeaders(CAPABILITIES, ["<linux/capability.h>"], [
    "CAP_SYS_ADMIN",
    "CAP_BPF",
    "CAP_CHECKPOINT_RESTORE",
  ]);
  assert.equal(compared, CAPABILITIES.size);
});
