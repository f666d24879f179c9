import assert from "node:assert/strict";
import {
  CONTAINER_ID_LEN,
  ContainerConfig,
  ContainerFlags,
  ContainerIdFilter,
  ContainerInfo,
  ContainerRuntime,
  EqNeq,
  EventConfig,
  EventConfigFlags,
  EventContext,
  EventFlags,
  FilterConfig,
  KernelCounters,
  MAX_CONTAINER_FILTERS,
  MAX_PATH_FILTERS,
  MAX_RANGES,
  PATH_FILTER_LEN,
  PathFilter,
  PathPrefix,
  ProcInfo,
  RangeSlot,
  ScopeFilter,
  TraceeConfig,
  TraceeOptions,
} from "../../src/decode/layout.ts";
import { compileAndRun, offsetProbe, parseProbe } from "../helpers/cc.ts";

const BPF_DIR = new URL("../../bpf/", import.meta.url).pathname;

/** Every offset and the size of a layout object, as C expressions over `struct name`. */
function checksFor(struct: string, layout: Record<string, number>): Record<string, string> {
  const checks: Record<string, string> = {};
  for (const field of Object.keys(layout)) {
    checks[`${struct}.${field}`] = field === "size"
      ? `sizeof(struct ${struct})`
      : `offsetof(struct ${struct}, ${field})`;
  }
  return checks;
}

function expected(struct: string, layout: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(layout).map(([k, v]) => [`${struct}.${k}`, v]));
}

Deno.test("decoder offsets and sizes match the structs of bpf/types.h", () => {
  const structs: [string, Record<string, number>][] = [
    ["event_context", EventContext],
    ["event_config", EventConfig],
    ["tracee_config", TraceeConfig],
    ["kernel_counters", KernelCounters],
    ["filter_config", FilterConfig],
    ["range_slot", RangeSlot],
    ["eq_neq", EqNeq],
    ["proc_info", ProcInfo],
    ["path_prefix", PathPrefix],
    ["path_filter", PathFilter],
    ["container_info", ContainerInfo],
    ["container_id_filter", ContainerIdFilter],
    ["container_config", ContainerConfig],
  ];
  const checks = Object.assign({}, ...structs.map(([s, l]) => checksFor(s, l)));
  const out = parseProbe(compileAndRun(offsetProbe(['"types.h"'], checks), [BPF_DIR]));
  assert.deepEqual(out, Object.assign({}, ...structs.map(([s, l]) => expected(s, l))));
});

Deno.test("flag and option values match the defines of bpf/types.h", () => {
  const checks = {
    TRUNCATED: "EVENT_F_TRUNCATED",
    COMPAT: "EVENT_F_COMPAT",
    EMIT_AT_ENTER: "EVENT_CFG_EMIT_AT_ENTER",
    CAPTURE_AT_ENTER: "EVENT_CFG_CAPTURE_AT_ENTER",
    DERIVE: "EVENT_CFG_DERIVE",
    INTERNAL: "EVENT_CFG_INTERNAL",
    PATH_FILTER: "EVENT_CFG_PATH_FILTER",
    PATH_FILTER_LEN: "PATH_FILTER_LEN",
    MAX_PATH_FILTERS: "MAX_PATH_FILTERS",
    AUX_NONE: "ARG_AUX_NONE",
    AUX_RETVAL: "ARG_AUX_RETVAL",
    EXEC_ENV: "OPT_EXEC_ENV",
    comm: "TASK_COMM_LEN",
    MAX_RANGES: "MAX_RANGES",
    CONTAINER_ID_LEN: "CONTAINER_ID_LEN",
    MAX_CONTAINER_FILTERS: "MAX_CONTAINER_FILTERS",
    EXISTING: "CONTAINER_F_EXISTING",
    ...Object.fromEntries(
      Object.keys(ContainerRuntime).map((k) => [`RUNTIME_${k}`, `RUNTIME_${k.toUpperCase()}`]),
    ),
    ...Object.fromEntries(Object.keys(ScopeFilter).map((k) => [`SCOPE_${k}`, `SCOPE_${k}`])),
  };
  const out = parseProbe(compileAndRun(offsetProbe(['"types.h"'], checks), [BPF_DIR]));
  assert.deepEqual(out, {
    TRUNCATED: EventFlags.TRUNCATED,
    COMPAT: EventFlags.COMPAT,
    EMIT_AT_ENTER: EventConfigFlags.EMIT_AT_ENTER,
    CAPTURE_AT_ENTER: EventConfigFlags.CAPTURE_AT_ENTER,
    DERIVE: EventConfigFlags.DERIVE,
    INTERNAL: EventConfigFlags.INTERNAL,
    PATH_FILTER: EventConfigFlags.PATH_FILTER,
    PATH_FILTER_LEN,
    MAX_PATH_FILTERS,
    AUX_NONE: EventConfigFlags.AUX_NONE,
    AUX_RETVAL: EventConfigFlags.AUX_RETVAL,
    EXEC_ENV: TraceeOptions.EXEC_ENV,
    comm: 16,
    MAX_RANGES,
    CONTAINER_ID_LEN,
    MAX_CONTAINER_FILTERS,
    EXISTING: ContainerFlags.EXISTING,
    ...Object.fromEntries(Object.entries(ContainerRuntime).map(([k, v]) => [`RUNTIME_${k}`, v])),
    ...Object.fromEntries(Object.entries(ScopeFilter).map(([k, v]) => [`SCOPE_${k}`, v])),
  });
});
