/**
 * Container lifecycle events. container_create and container_remove come from the kernel
 * (bpf/container_events.bpf.h: the first mkdir / last rmdir of a container's cgroups), which
 * writes `runtime` and `container_id`; user space appends the rest of container_create from
 * the runtime's view (src/containers/). existing_container is made in user space at start, one
 * per container already running.
 */
import { ArgKind as K } from "./arg_kind.ts";
import type { EventDef, Param } from "./event_def.ts";

/** Ids of the container events; bpf/events.gen.h names them EVENT_<NAME>. */
export const ContainerEventId = {
  CONTAINER_CREATE: 1200,
  CONTAINER_REMOVE: 1201,
  EXISTING_CONTAINER: 1202,
} as const;

/** The two arguments the kernel writes. */
const identity: readonly Param[] = [
  { type: "const char*", name: "runtime", kind: K.KSTR },
  { type: "const char*", name: "container_id", kind: K.KSTR },
];

/** What the runtime says of a container (appended in user space, in this order). */
export const CONTAINER_DETAIL_PARAMS: readonly Param[] = [
  { type: "unsigned long", name: "ctime", kind: K.U64 },
  { type: "const char*", name: "container_image", kind: K.KSTR },
  { type: "const char*", name: "container_image_digest", kind: K.KSTR },
  { type: "const char*", name: "container_name", kind: K.KSTR },
  { type: "const char*", name: "pod_name", kind: K.KSTR },
  { type: "const char*", name: "pod_namespace", kind: K.KSTR },
  { type: "const char*", name: "pod_uid", kind: K.KSTR },
  { type: "bool", name: "pod_sandbox", kind: K.BOOL },
];

export const containerEvents: readonly EventDef[] = [
  {
    id: ContainerEventId.CONTAINER_CREATE,
    name: "container_create",
    sets: ["default", "containers"],
    // rmdir too: the kernel's count of a container's cgroups must go down as well as up
    probes: ["cgroup_mkdir", "cgroup_rmdir"],
    syscall: false,
    emit: "exit",
    params: [...identity, ...CONTAINER_DETAIL_PARAMS],
  },
  {
    id: ContainerEventId.CONTAINER_REMOVE,
    name: "container_remove",
    sets: ["default", "containers"],
    probes: ["cgroup_mkdir", "cgroup_rmdir"],
    syscall: false,
    emit: "exit",
    params: identity,
  },
  {
    id: ContainerEventId.EXISTING_CONTAINER,
    name: "existing_container",
    sets: ["containers"],
    // made in user space at start: no probe
    probes: [],
    syscall: false,
    emit: "exit",
    params: [...identity, ...CONTAINER_DETAIL_PARAMS],
  },
];
