/**
 * The signature API: what a detection written in TypeScript (built in, or a user module in
 * --signatures-dir) provides, and what the engine gives it. The counterpart of Tracee's Go
 * signature interface: metadata, the events it selects, and onEvent, which may report findings.
 */
import type { ArgValue, TraceeEvent } from "../decode/event.ts";
import type { ProcessInfo } from "../proctree/process_tree.ts";
import type * as EventArgs from "./event_args.ts";

/** Severity 0 (info) to 3 (critical), as Tracee's signatures rate it. */
export type Severity = 0 | 1 | 2 | 3;

/** Tracee's signature metadata (field names as upstream's, so tooling keyed on them works). */
export interface SignatureMetadata {
  /** e.g. "TRC-102". */
  readonly id: string;
  readonly version: string;
  readonly name: string;
  /** The name of the event a finding is printed as (e.g. "anti_debugging"); selects it with -e. */
  readonly eventName: string;
  readonly description: string;
  readonly tags?: readonly string[];
  readonly properties: SignatureProperties;
}

/** Upstream's properties: Severity, MITRE ATT&CK category and technique, and any other. */
export interface SignatureProperties {
  readonly Severity: Severity;
  readonly Category?: string;
  readonly Technique?: string;
  readonly Kubernetes_Technique?: string;
  /** MITRE ATT&CK attack-pattern id (attack-pattern--…). */
  readonly id?: string;
  /** MITRE ATT&CK technique id (e.g. T1622). */
  readonly external_id?: string;
  readonly [key: string]: unknown;
}

/**
 * Where an event must come from for the signature to see it: "*" anywhere, "container" only
 * from processes in a container, "host" only from the host (upstream's Origin).
 */
export type Origin = "*" | "container" | "host";

/** An event a signature needs. */
export interface EventSelector {
  readonly name: string;
  readonly origin?: Origin;
}

/** What a finding adds to the triggering event (printed as extra arguments). */
export type FindingData = Readonly<Record<string, ArgValue>>;

/** A container the event came from (as much as is known). */
export interface ContainerInfo {
  readonly id: string;
  readonly name?: string;
  readonly image?: string;
  /** Its entrypoint has run, or it ran before tracee (the runtime's set-up is done). */
  readonly started?: boolean;
}

/** What the engine gives a signature with each event. */
export interface SignatureContext {
  /** Report a finding for the event being handled (with optional extra data). */
  detect(data?: FindingData): void;
  /** The process tree: the event's process and its ancestors (binary, comm, argv). */
  readonly processTree: ProcessTreeView;
  /** The container the event came from, or undefined on the host. */
  readonly container: ContainerInfo | undefined;
  /** Helpers to read arguments (stringArg, numberArg, isFileWrite, …), for modules. */
  readonly helpers: SignatureHelpers;
}

/** The argument helpers of src/signatures/event_args.ts. */
export type SignatureHelpers = typeof EventArgs;

/** Read access to the process tree. */
export interface ProcessTreeView {
  get(pid: number): Readonly<ProcessInfo> | undefined;
  ancestors(pid: number): Readonly<ProcessInfo>[];
}

/** A signature. */
export interface Signature {
  readonly metadata: SignatureMetadata;
  /** The events it needs; only these reach onEvent. */
  readonly selectedEvents: readonly EventSelector[];
  /**
   * Event options it needs turned on while it is selected: "exec-env" makes sched_process_exec
   * (and security_bprm_check) carry the environment.
   */
  readonly options?: readonly "exec-env"[];
  /** Looks at one event; calls ctx.detect() for a finding. May keep state across events. */
  onEvent(event: TraceeEvent, ctx: SignatureContext): void;
  /** Called once when tracee stops. */
  close?(): void;
}

/** Identity helper for authors: `export default defineSignature({...})` type-checks the shape. */
export function defineSignature(s: Signature): Signature {
  return s;
}
