/**
 * Context filters of a rule: the event's own fields rather than its arguments, by the names
 * Tracee's policies use (`filters: [containerImage=nginx*, pid=1000]`, or on the command line
 * `-e openat.context.containerName=web`). Numbers take = != < > <= >=, strings = and != with
 * globs. Run in user space after decode, like argument filters.
 */
import type { TraceeEvent } from "../decode/event.ts";

/** How a context field is read. */
export interface ContextField {
  readonly numeric: boolean;
  readonly get: (e: TraceeEvent) => number | string;
}

const num = (get: (e: TraceeEvent) => number): ContextField => ({ numeric: true, get });
const text = (get: (e: TraceeEvent) => string): ContextField => ({ numeric: false, get });

const containerId = text((e) => e.container?.id ?? "");

/** Every context field, by each of its names. */
export const CONTEXT_FIELDS: Readonly<Record<string, ContextField>> = {
  p: num((e) => e.processId),
  pid: num((e) => e.processId),
  processId: num((e) => e.processId),
  tid: num((e) => e.threadId),
  threadId: num((e) => e.threadId),
  ppid: num((e) => e.parentProcessId),
  parentProcessId: num((e) => e.parentProcessId),
  hostTid: num((e) => e.hostThreadId),
  hostThreadId: num((e) => e.hostThreadId),
  hostPid: num((e) => e.hostProcessId),
  hostProcessId: num((e) => e.hostProcessId),
  hostParentProcessId: num((e) => e.hostParentProcessId),
  uid: num((e) => e.userId),
  userId: num((e) => e.userId),
  mntns: num((e) => e.mountNamespace),
  mountNamespace: num((e) => e.mountNamespace),
  pidns: num((e) => e.pidNamespace),
  pidNamespace: num((e) => e.pidNamespace),
  comm: text((e) => e.processName),
  processName: text((e) => e.processName),
  cgroupId: num((e) => e.cgroupId),
  container: containerId,
  containerId,
  containerImage: text((e) => e.container?.image ?? ""),
  containerImageDigest: text((e) => e.container?.imageDigest ?? ""),
  containerName: text((e) => e.container?.name ?? ""),
  podName: text((e) => e.container?.podName ?? ""),
  podNamespace: text((e) => e.container?.podNamespace ?? ""),
  podUid: text((e) => e.container?.podUid ?? ""),
};

/** The context field a filter key names (`name` or `context.name`), or undefined. */
export function contextField(key: string): ContextField | undefined {
  const name = key.startsWith("context.") ? key.slice("context.".length) : key;
  return Object.hasOwn(CONTEXT_FIELDS, name) ? CONTEXT_FIELDS[name] : undefined;
}
