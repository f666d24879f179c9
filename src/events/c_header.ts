import { ArgKind, argKindCName } from "./arg_kind.ts";
import { FIRST_KERNEL_EVENT_ID } from "./kernel_events.ts";
import { eventByName, events, MAX_EVENT_ID } from "./table.ts";

/** The C name of a table row: EVENT_SCHED_PROCESS_EXEC, SYSCALL_OPENAT. */
const cName = (prefix: string, name: string) => `${prefix}_${name.toUpperCase()}`;

/** Numbers of the syscalls whose exits derived events are built at (the C switch needs them). */
function derivingSyscalls(): string[] {
  const names = new Set(events.flatMap((e) => e.syscalls ?? []));
  return [...names].map((n) => {
    const def = eventByName(n);
    if (!def?.syscall) throw new Error(`Cannot name syscall ${n} in the header: not a syscall`);
    return `#define ${cName("SYSCALL", n)} ${def.id}`;
  }).sort();
}

/**
 * Renders bpf/events.gen.h: what the eBPF C code needs from the events table. The header is
 * committed so the object builds without Deno; tests/unit/events_header_test.ts keeps it current.
 */
export function renderEventsHeader(): string {
  const lines = [
    "/* SPDX-License-Identifier: GPL-2.0 */",
    "/* Generated from src/events/ by `deno task gen-header`: do not edit. */",
    "#ifndef TRACEE_EVENTS_GEN_H",
    "#define TRACEE_EVENTS_GEN_H",
    "",
    `#define MAX_EVENT_ID ${MAX_EVENT_ID}`,
    `#define FIRST_KERNEL_EVENT_ID ${FIRST_KERNEL_EVENT_ID}`,
    "",
    "enum arg_kind {",
    ...Object.values(ArgKind).map((v) => `\t${argKindCName(v)} = ${v},`),
    "};",
    "",
    "enum event_id {",
    ...events.filter((e) => !e.syscall).map((e) => `\t${cName("EVENT", e.name)} = ${e.id},`),
    "};",
    "",
    "/* Syscalls the kernel derives events at (events table: `syscalls`). */",
    ...derivingSyscalls(),
    "",
    "#endif /* TRACEE_EVENTS_GEN_H */",
    "",
  ];
  return lines.join("\n");
}
