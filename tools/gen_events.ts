/**
 * Generates src/events/syscalls.gen.ts, the syscall part of the events table, from the running
 * kernel's own description of its syscalls (`deno task gen-events`, as root):
 *  - names, argument names and C types: tracefs events/syscalls/sys_enter_<name>/format;
 *  - numbers: <asm/unistd_64.h>, plus EXTRA_NUMBERS for syscalls newer than the installed header.
 * Syscalls the header lists but this kernel has no tracepoint for (modules off, removed, never
 * implemented) come from NO_TRACEPOINT. Argument kinds, Tracee's names and sets are decided by
 * the rules below; the output is committed, so builds need neither tracefs nor root.
 */
import { argKindCName } from "../src/events/arg_kind.ts";
import { TRACEPOINT_ALIASES } from "../src/events/syscall_tracepoints.ts";
import { catalogueRules, type RawParam } from "./syscall_rules.ts";

const TRACEFS = "/sys/kernel/tracing";
const UNISTD = "/usr/include/x86_64-linux-gnu/asm/unistd_64.h";
const OUT = new URL("../src/events/syscalls.gen.ts", import.meta.url);

/** x86_64 syscalls newer than Debian 12's <asm/unistd_64.h> (syscall_64.tbl). */
const EXTRA_NUMBERS: Readonly<Record<string, number>> = {
  uretprobe: 335,
  uprobe: 336,
  cachestat: 451,
  fchmodat2: 452,
  map_shadow_stack: 453,
  futex_wake: 454,
  futex_wait: 455,
  futex_requeue: 456,
  statmount: 457,
  listmount: 458,
  lsm_get_self_attr: 459,
  lsm_set_self_attr: 460,
  lsm_list_modules: 461,
  mseal: 462,
  setxattrat: 463,
  getxattrat: 464,
  listxattrat: 465,
  removexattrat: 466,
  open_tree_attr: 467,
  file_getattr: 468,
  file_setattr: 469,
};

export { TRACEPOINT_ALIASES };

/** Arguments of syscalls without a tracepoint on this kernel (kernel prototypes). */
const NO_TRACEPOINT: Readonly<Record<string, readonly RawParam[]>> = {
  init_module: [["void*", "umod"], ["unsigned long", "len"], ["const char*", "uargs"]],
  finit_module: [["int", "fd"], ["const char*", "uargs"], ["int", "flags"]],
  delete_module: [["const char*", "name_user"], ["unsigned int", "flags"]],
  kexec_load: [["unsigned long", "entry"], ["unsigned long", "nr_segments"], [
    "struct kexec_segment*",
    "segments",
  ], [
    "unsigned long",
    "flags",
  ]],
  kexec_file_load: [["int", "kernel_fd"], ["int", "initrd_fd"], ["unsigned long", "cmdline_len"], [
    "const char*",
    "cmdline_ptr",
  ], ["unsigned long", "flags"]],
  get_thread_area: [["struct user_desc*", "u_info"]],
  set_thread_area: [["struct user_desc*", "u_info"]],
  uselib: [["const char*", "library"]],
  lookup_dcookie: [["u64", "cookie64"], ["char*", "buf"], ["size_t", "len"]],
  epoll_ctl_old: [],
  epoll_wait_old: [],
  _sysctl: [],
  afs_syscall: [],
  create_module: [],
  get_kernel_syms: [],
  getpmsg: [],
  putpmsg: [],
  nfsservctl: [],
  query_module: [],
  security: [],
  tuxcall: [],
  vserver: [],
};

function readNumbers(): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of Deno.readTextFileSync(UNISTD).matchAll(/^#define __NR_(\w+)\s+(\d+)$/gm)) {
    out.set(m[1]!, Number(m[2]));
  }
  for (const [name, nr] of Object.entries(EXTRA_NUMBERS)) out.set(name, nr);
  return out;
}

function ensureTracefs(): void {
  try {
    Deno.statSync(`${TRACEFS}/events/syscalls`);
    return;
  } catch {
    // try to mount it
  }
  const r = new Deno.Command("mount", { args: ["-t", "tracefs", "nodev", TRACEFS], stderr: "null" })
    .outputSync();
  if (!r.success) {
    console.error(
      `Cannot generate the syscall catalogue: tracefs is not mounted at ${TRACEFS} (as root: mount -t tracefs nodev ${TRACEFS})`,
    );
    Deno.exit(2);
  }
}

/** Arguments of one sys_enter format file: [C type, name] after __syscall_nr. */
export function parseFormat(text: string): RawParam[] {
  const params: RawParam[] = [];
  let seenNr = false;
  for (const m of text.matchAll(/field:(.+?);\s*offset:/g)) {
    const decl = m[1]!.trim();
    const sp = decl.search(/[\w]+$/);
    const type = decl.slice(0, sp).trim();
    const name = decl.slice(sp);
    if (name === "__syscall_nr") {
      seenNr = true;
      continue;
    }
    if (seenNr) params.push([type, name]);
  }
  return params;
}

function generate(): string {
  ensureTracefs();
  const numbers = readNumbers();
  const fromKernel = new Map<string, RawParam[]>();
  for (const e of Deno.readDirSync(`${TRACEFS}/events/syscalls`)) {
    if (!e.name.startsWith("sys_enter_")) continue;
    const tp = e.name.slice("sys_enter_".length);
    const name = TRACEPOINT_ALIASES[tp] ?? tp;
    fromKernel.set(
      name,
      parseFormat(Deno.readTextFileSync(`${TRACEFS}/events/syscalls/${e.name}/format`)),
    );
  }
  const unknown = [...fromKernel.keys()].filter((n) => !numbers.has(n));
  if (unknown.length > 0) {
    console.error(
      `Cannot number syscalls ${unknown.join(", ")}: add them to EXTRA_NUMBERS (syscall_64.tbl)`,
    );
    Deno.exit(2);
  }
  const rows: string[] = [];
  const all = [...numbers].filter(([name]) => fromKernel.has(name) || name in NO_TRACEPOINT).sort((
    a,
    b,
  ) => a[1] - b[1]);
  for (const [name, nr] of all) {
    if (nr >= 512) continue; // x32 ABI
    const source = fromKernel.has(name) ? "tracefs" : "prototype";
    const row = catalogueRules(name, fromKernel.get(name) ?? NO_TRACEPOINT[name]!);
    const params = row.params.map((p) => {
      const aux = p.aux === undefined ? "" : `, ${p.aux === "retval" ? '"retval"' : p.aux}`;
      return `[${JSON.stringify(p.type)}, ${JSON.stringify(p.name)}, K.${
        argKindCName(p.kind).slice(4)
      }${aux}]`;
    });
    const emit = row.emit === "exit" ? "" : `, ${JSON.stringify(row.emit)}`;
    rows.push(
      `  [${nr}, ${JSON.stringify(name)}, ${JSON.stringify(row.sets)}, [${
        params.join(", ")
      }]${emit}], // ${source}`,
    );
  }
  return [
    "// Generated by tools/gen_events.ts from this kernel's tracefs syscall formats: do not edit.",
    `// Kernel ${Deno.osRelease()}; ${rows.length} syscalls.`,
    'import { ArgKind as K } from "./arg_kind.ts";',
    'import type { SyscallRow } from "./syscall_row.ts";',
    "",
    "/** [number, name, sets, params [type, name, kind, aux?], emit?] of every x86_64 syscall. */",
    "export const syscallRows: readonly SyscallRow[] = [",
    ...rows,
    "];",
    "",
  ].join("\n");
}

if (import.meta.main) {
  Deno.writeTextFileSync(OUT, generate());
  console.log(`wrote ${OUT.pathname}`);
}
