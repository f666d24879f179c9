/** A fake libbpf holding what the real tracee object holds: its programs and maps. */
import {
  ContainerConfig,
  ContainerInfo,
  EventConfig,
  FilterConfig,
  KernelCounters,
  PathFilter,
  TraceeConfig,
} from "../../src/decode/layout.ts";
import { cliPolicy } from "../../src/filters/cli_policy.ts";
import type { TracerConfig } from "../../src/runtime/tracer.ts";
import { probes } from "../../src/events/probes.ts";
import { MAX_EVENT_ID } from "../../src/events/table.ts";
import { FakeLibbpf, type FakeSpec } from "./fake_libbpf.ts";

/** A FakeLibbpf shaped like dist/tracee.bpf.core.o. */
export function fakeTraceeObject(fail: FakeSpec["fail"] = {}): FakeLibbpf {
  return new FakeLibbpf({
    programs: probes.map((p) => ({ name: p.program, section: `${p.type}/${p.target}` })),
    maps: [
      { name: "events", valueSize: 0, maxEntries: 1 << 24 },
      { name: "counters", valueSize: KernelCounters.size, maxEntries: 1 },
      { name: "event_config", valueSize: EventConfig.size, maxEntries: MAX_EVENT_ID },
      { name: ".rodata", valueSize: TraceeConfig.size, maxEntries: 1 },
      { name: "path_filters", valueSize: PathFilter.size, maxEntries: 64 },
      { name: "filter_config", valueSize: FilterConfig.size, maxEntries: 1 },
      { name: "container_config", valueSize: ContainerConfig.size, maxEntries: 1 },
      { name: "container_ids", valueSize: ContainerInfo.size, maxEntries: 16384 },
      { name: "live_containers", valueSize: 4, maxEntries: 16384 },
    ],
    fail,
  });
}

/** A tracer configuration for the fake object tracing `names` (a host without kprobes/LSM). */
export function fakeTracerConfig(names: string[]): TracerConfig {
  return {
    object: { kind: "memory", bytes: new Uint8Array(16), name: "test.o" },
    policies: cliPolicy({ events: names, filters: [], scopes: [] }).set,
    ringBufferPages: 256,
    selfPid: 4242,
    options: 0,
    features: { kernelBtf: true, kprobes: false, bpfLsm: false },
  };
}
