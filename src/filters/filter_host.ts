/** The real host behind FilterHost: /proc, the cgroup filesystems and the monotonic clock. */
import type { LibcSymbols } from "../../ffi/libc_symbols.ts";
import { scanContainers, v1SubsysMask } from "../containers/cgroup_scan.ts";
import type { ContainerScan } from "../containers/container_maps.ts";
import type { FilterHost, RunningProcess } from "./kernel_maps.ts";

const CLOCK_MONOTONIC = 1;

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

/** FilterHost reading this machine. */
export function realFilterHost(libc: LibcSymbols): FilterHost {
  const ts = new Uint8Array(16);
  libc.clock_gettime(CLOCK_MONOTONIC, ts);
  const dv = new DataView(ts.buffer);
  let scan: ContainerScan | undefined; // read once per run
  return {
    monotonicNowNs: dv.getBigInt64(0, true) * 1_000_000_000n + dv.getBigInt64(8, true),
    containers: () => {
      if (scan) return scan;
      let mask = 0;
      try {
        mask = v1SubsysMask(Deno.readTextFileSync("/proc/cgroups"));
      } catch {
        // no /proc/cgroups: cgroup v2 only
      }
      return (scan = { v1SubsysMask: mask, existing: scanContainers() });
    },
    processes: readProcesses,
  };
}
