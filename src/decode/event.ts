import type { EventDef } from "../events/event_def.ts";

/** A decoded socket address, keys as Tracee prints them. */
export type SockaddrValue = Readonly<Record<string, string>>;

/** The event a finding was triggered by (a finding's `triggeredBy` argument). */
export interface TriggerValue {
  readonly id: number;
  readonly name: string;
  readonly args: readonly EventArg[];
  readonly returnValue: number;
}

/** Value of one decoded argument. */
export type ArgValue =
  | number
  | bigint
  | string
  | boolean
  | readonly string[]
  | readonly number[]
  | SockaddrValue
  | Uint8Array
  | TriggerValue;

/** What a finding carries of its signature (json `metadata`, as Tracee prints it). */
export interface FindingMetadata {
  readonly Version: string;
  readonly Description: string;
  readonly Tags: readonly string[];
  /** Severity, Category, Technique, id, external_id, signatureID, signatureName, … */
  readonly Properties: Readonly<Record<string, unknown>>;
}

/** One decoded argument: Tracee's {name, type, value}. */
export interface EventArg {
  readonly name: string;
  /** The C type; "string" once option:parse-arguments has replaced the value with its name. */
  type: string;
  value: ArgValue;
}

/**
 * The container an event came from, as far as it is known (src/containers/ fills it in: the
 * id from the kernel, the rest from the runtime; empty strings until the runtime answered).
 */
export interface EventContainer {
  readonly id: string;
  /** docker, containerd, crio, podman */
  readonly runtime: string;
  readonly name: string;
  readonly image: string;
  readonly imageDigest: string;
  readonly podName: string;
  readonly podNamespace: string;
  readonly podUid: string;
  readonly podSandbox: boolean;
  /** Changes whenever any of the above does. */
  readonly version: number;
  /** Its entrypoint has run (or it ran before tracee): see ContainerRecord.started. */
  readonly started: boolean;
}

/** One decoded event. Field names follow Tracee's JSON output. */
export interface TraceeEvent {
  readonly def: EventDef;
  /** Boot-time ns of the event, split in two u32 halves (exact for any uptime). */
  readonly tsHi: number;
  readonly tsLo: number;
  readonly threadStartTime: number;
  readonly processStartTime: number;
  readonly processorId: number;
  readonly processId: number;
  readonly threadId: number;
  readonly parentProcessId: number;
  readonly hostProcessId: number;
  readonly hostThreadId: number;
  readonly hostParentProcessId: number;
  readonly userId: number;
  readonly mountNamespace: number;
  readonly pidNamespace: number;
  readonly utsNamespace: number;
  readonly processName: string;
  readonly cgroupId: number;
  /** The kernel's key of the event's container (0: the host). */
  readonly containerKey: number;
  /** The container, once looked up from containerKey (undefined: the host, or not known). */
  container: EventContainer | undefined;
  readonly eventId: number;
  readonly returnValue: number;
  /** Bitmap of matched policies: low and high 32 bits (argument filters may clear bits). */
  policiesLo: number;
  policiesHi: number;
  /** Syscall being executed when the event fired, or -1. */
  readonly syscall: number;
  /** event_context.flags (EventFlags). */
  readonly flags: number;
  readonly args: EventArg[];
  /** Set on findings: the signature's metadata. */
  readonly metadata?: FindingMetadata;
}
