/**
 * The process tree: what user space knows of every process on the host (its parent, binary,
 * name, arguments), so that a consumer (the detection engine) can ask for a process's ancestors.
 * Seeded from /proc at start, then kept current by the kernel's sched_process_fork/exec/exit
 * events, which the tracer emits for every process when the tree is on (internal events).
 *
 * Bounded: an exited process stays for `exitedTtlMs` (late events of it still find it), then
 * expires; and the tree never holds more than `maxEntries` processes (the oldest exited ones go
 * first, then the least recently changed).
 */
import type { TraceeEvent } from "../decode/event.ts";

/** What the tree knows of one process (by host pid, i.e. thread group id). */
export interface ProcessInfo {
  readonly pid: number;
  /** Host pid of the parent (0 when unknown). */
  ppid: number;
  /** Process name (comm), as of its last exec or rename. */
  comm: string;
  /** The executable's path as the kernel resolved it ("" for kernel threads or unknown). */
  binary: string;
  argv: readonly string[];
  /** Start time (kernel ns) when known from an event, else 0. */
  startTime: number;
  /** Mount namespace inode as of its last exec (a child inherits its parent's), 0 if unknown. */
  mntns: number;
  /** When the process exited (the tree's clock, ms), or undefined while it runs. */
  exitedAt?: number;
}

/** How long and how many. */
export interface ProcessTreeOptions {
  readonly maxEntries?: number;
  readonly exitedTtlMs?: number;
  /** The clock expiry is measured on (ms). */
  readonly now?: () => number;
}

const DEFAULT_MAX_ENTRIES = 65536;
const DEFAULT_EXITED_TTL_MS = 30_000;
/** Most ancestors walked (also stops a parent loop). */
const MAX_ANCESTORS = 64;

/** Reads /proc the way the tree needs it (replaced in tests). */
export interface ProcSource {
  pids(): number[];
  /** [ppid, comm] from /proc/<pid>/stat, or undefined when the process is gone. */
  stat(pid: number): { ppid: number; comm: string } | undefined;
  exe(pid: number): string;
  cmdline(pid: number): string[];
  /** The mount namespace inode (/proc/<pid>/ns/mnt), 0 when unreadable. */
  mntns(pid: number): number;
}

/** The host's /proc. */
export const hostProc: ProcSource = {
  pids() {
    const out: number[] = [];
    for (const e of Deno.readDirSync("/proc")) {
      if (/^\d+$/.test(e.name)) out.push(Number(e.name));
    }
    return out;
  },
  stat(pid) {
    let text: string;
    try {
      text = Deno.readTextFileSync(`/proc/${pid}/stat`);
    } catch {
      return undefined;
    }
    // "pid (comm) state ppid …": comm may hold spaces and parentheses; it ends at the last ')'.
    const open = text.indexOf("(");
    const close = text.lastIndexOf(")");
    if (open < 0 || close < open) return undefined;
    const rest = text.slice(close + 2).split(" ");
    return { comm: text.slice(open + 1, close), ppid: Number(rest[1] ?? 0) };
  },
  exe(pid) {
    try {
      return Deno.readLinkSync(`/proc/${pid}/exe`).replace(/ \(deleted\)$/, "");
    } catch {
      return "";
    }
  },
  cmdline(pid) {
    try {
      const raw = Deno.readTextFileSync(`/proc/${pid}/cmdline`);
      return raw === "" ? [] : raw.replace(/\0$/, "").split("\0");
    } catch {
      return [];
    }
  },
  mntns(pid) {
    try {
      return Number(/\[(\d+)\]/.exec(Deno.readLinkSync(`/proc/${pid}/ns/mnt`))?.[1] ?? 0);
    } catch {
      return 0;
    }
  },
};

/** Argument value by name, when it has the expected type. */
function argOf<T>(e: TraceeEvent, name: string, is: (v: unknown) => v is T): T | undefined {
  for (const a of e.args) if (a.name === name) return is(a.value) ? a.value : undefined;
  return undefined;
}
const isNumber = (v: unknown): v is number => typeof v === "number";
const isString = (v: unknown): v is string => typeof v === "string";
const isStrings = (v: unknown): v is string[] => Array.isArray(v);

/** Processes by host pid, with ancestry queries. */
export class ProcessTree {
  readonly #procs = new Map<number, ProcessInfo>();
  readonly #max: number;
  readonly #ttl: number;
  readonly #now: () => number;
  /** Exited processes in the order they exited (pid, exit time), for expiry. */
  readonly #exited: { pid: number; at: number }[] = [];
  /** Counters: processes seeded, forks/execs/exits applied, entries expired or evicted. */
  readonly stats = { seeded: 0, forks: 0, execs: 0, exits: 0, expired: 0, evicted: 0 };

  constructor(opts: ProcessTreeOptions = {}) {
    this.#max = opts.maxEntries ?? DEFAULT_MAX_ENTRIES;
    this.#ttl = opts.exitedTtlMs ?? DEFAULT_EXITED_TTL_MS;
    this.#now = opts.now ?? Date.now;
  }

  /** Processes currently held. */
  get size(): number {
    return this.#procs.size;
  }

  /** Adds every process /proc shows (those already known from events are kept). */
  seed(proc: ProcSource = hostProc): void {
    for (const pid of proc.pids()) {
      if (this.#procs.has(pid)) continue;
      const st = proc.stat(pid);
      if (!st) continue;
      this.#put({
        pid,
        ppid: st.ppid,
        comm: st.comm,
        binary: proc.exe(pid),
        argv: proc.cmdline(pid),
        startTime: 0,
        mntns: proc.mntns(pid),
      });
      this.stats.seeded++;
    }
  }

  /** Applies a sched_process_fork/exec/exit event (any other event is ignored). */
  apply(e: TraceeEvent): void {
    switch (e.def.name) {
      case "sched_process_fork":
        this.#fork(e);
        break;
      case "sched_process_exec":
        this.#exec(e);
        break;
      case "sched_process_exit":
        this.#exit(e);
        break;
      default:
        return;
    }
    this.#expire();
  }

  #fork(e: TraceeEvent): void {
    const child = argOf(e, "child_pid", isNumber);
    const parent = argOf(e, "parent_pid", isNumber) ?? e.hostProcessId;
    // a new thread (same thread group) is not a new process
    if (child === undefined || child === parent) return;
    const p = this.#procs.get(parent);
    this.#put({
      pid: child,
      ppid: parent,
      comm: p?.comm ?? e.processName,
      binary: p?.binary ?? "",
      argv: p?.argv ?? [],
      startTime: argOf(e, "start_time", isNumber) ?? 0,
      mntns: p?.mntns ?? e.mountNamespace,
    });
    this.stats.forks++;
  }

  #exec(e: TraceeEvent): void {
    const pid = e.hostProcessId;
    const known = this.#procs.get(pid);
    this.#put({
      pid,
      ppid: e.hostParentProcessId || known?.ppid || 0,
      comm: e.processName,
      binary: argOf(e, "pathname", isString) ?? "",
      argv: argOf(e, "argv", isStrings) ?? [],
      startTime: e.processStartTime || known?.startTime || 0,
      mntns: e.mountNamespace,
    });
    this.stats.execs++;
  }

  #exit(e: TraceeEvent): void {
    // a thread leaving does not end its process
    if (argOf(e, "process_group_exit", (v): v is boolean => typeof v === "boolean") === false) {
      return;
    }
    const p = this.#procs.get(e.hostProcessId);
    if (!p || p.exitedAt !== undefined) return;
    p.exitedAt = this.#now();
    this.#exited.push({ pid: p.pid, at: p.exitedAt });
    this.stats.exits++;
  }

  /** Inserts or replaces (a reused pid is a new process), keeping the bound. */
  #put(info: ProcessInfo): void {
    this.#procs.delete(info.pid);
    this.#procs.set(info.pid, info);
    if (this.#procs.size > this.#max) this.#evict();
  }

  /** Drops exited processes older than the TTL. */
  #expire(): void {
    const limit = this.#now() - this.#ttl;
    while (this.#exited.length > 0 && this.#exited[0]!.at <= limit) {
      const { pid, at } = this.#exited.shift()!;
      const p = this.#procs.get(pid);
      // the pid may have been reused by a process that still runs
      if (p && p.exitedAt === at) {
        this.#procs.delete(pid);
        this.stats.expired++;
      }
    }
  }

  /** Over the bound: the oldest exited process goes, else the least recently changed one. */
  #evict(): void {
    while (this.#exited.length > 0) {
      const { pid, at } = this.#exited.shift()!;
      const p = this.#procs.get(pid);
      if (p && p.exitedAt === at) {
        this.#procs.delete(pid);
        this.stats.evicted++;
        return;
      }
    }
    const oldest = this.#procs.keys().next();
    if (!oldest.done) {
      this.#procs.delete(oldest.value);
      this.stats.evicted++;
    }
  }

  /** The process with this host pid, or undefined. */
  get(pid: number): Readonly<ProcessInfo> | undefined {
    return this.#procs.get(pid);
  }

  /** The process's parent, grandparent, … as far as the tree knows them (nearest first). */
  ancestors(pid: number, max = MAX_ANCESTORS): Readonly<ProcessInfo>[] {
    const out: ProcessInfo[] = [];
    const seen = new Set<number>([pid]);
    let p = this.#procs.get(pid);
    while (p && out.length < max) {
      const parent = this.#procs.get(p.ppid);
      if (!parent || seen.has(parent.pid)) break;
      seen.add(parent.pid);
      out.push(parent);
      p = parent;
    }
    return out;
  }
}
