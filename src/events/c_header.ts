import { ArgKind, argKindCName } from "./arg_kind.ts";
import { FIRST_KERNEL_EVENT_ID, KernelEventId } from "./kernel_events.ts";
import { MAX_EVENT_ID } from "./table.ts";

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
    ...Object.entries(KernelEventId).map(([name, id]) => `\tEVENT_${name} = ${id},`),
    "};",
    "",
    "#endif /* TRACEE_EVENTS_GEN_H */",
    "",
  ];
  return lines.join("\n");
}
