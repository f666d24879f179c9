/** The real host behind FilterHost: /proc, /sys/fs/cgroup and the monotonic clock. */
import type { LibcSymbols } from "../../ffi/libc_symbols.ts";
import type { FilterHost, RunningProcess } from "./kernel_maps.ts";

const CLOCK_MONOTONIC = 1;
const CGROUP_ROOT = "/sys/fs/cgroup";
const CGROUP_DEPTH = 6;

/** The inode of a namespace link ("pid:[4026531836]"), or 0. */
export function nsInode(link: string): number {
  const m = /\[(\d+)\]$/.exec(link);
  return m ? Number(m[1]) : 0;
}

/** Parent pid from /proc/<pid>/stat (the field after the state, past the comm's parenthesis). */
export function ppidFromStat(stat: string): number {
  const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(rest[1]);
}

function readProcesses(): RunningProcess[] {
  const out: RunningProcess[] = [];
  for (const e of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    try {
      const ppid = ppidFromStat(Deno.readTextFileSync(`/proc/${e.name}/stat`));
      let exe: string | undefined;
      try {
        exe = Deno.readLinkSync(`/proc/${e.name}/exe`);
      } catch {
        // kernel threads and processes of other users have none
      }
      out.push({ pid: Number(e.name), ppid, exe });
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

function cgroupsNamed(id: string): bigint[] {
  const out: bigint[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > CGROUP_DEPTH) return;
    let entries: Deno.DirEntry[];
    try {
      entries = [...Deno.readDirSync(dir)];
    } catch {
      return;
    }
    for (const e of entries) {
      if (!e.isDirectory) continue;
      const path = `${dir}/${e.name}`;
      if (e.name.includes(id)) out.push(BigInt(Deno.statSync(path).ino ?? 0));
      walk(path, depth + 1);
    }
  };
  walk(CGROUP_ROOT, 0);
  return out;
}

/** FilterHost reading this machine. */
export function realFilterHost(libc: LibcSymbols): FilterHost {
  const ts = new Uint8Array(16);
  libc.clock_gettime(CLOCK_MONOTONIC, ts);
  const dv = new DataView(ts.buffer);
  let hostPidns = 0;
  try {
    hostPidns = nsInode(Deno.readLinkSync("/proc/1/ns/pid"));
  } catch {
    // no /proc: container scopes cannot tell
  }
  return {
    hostPidns,
    monotonicNowNs: dv.getBigInt64(0, true) * 1_000_000_000n + dv.getBigInt64(8, true),
    cgroupsOf: cgroupsNamed,
    processes: readProcesses,
  };
}
