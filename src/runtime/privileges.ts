/** Checks that tracee may load eBPF programs: root, or CAP_BPF + CAP_PERFMON, or CAP_SYS_ADMIN. */
import { NotSupportedError } from "../errors.ts";

const CAP_SYS_ADMIN = 21n;
const CAP_PERFMON = 38n;
const CAP_BPF = 39n;

/** Effective capabilities from /proc/self/status text. */
export function effectiveCaps(status: string): bigint {
  const m = /^CapEff:\s*([0-9a-f]+)$/m.exec(status);
  return m ? BigInt("0x" + m[1]) : 0n;
}

/** Whether the capability set allows loading and attaching tracing programs. */
export function capsAllowTracing(caps: bigint): boolean {
  const has = (c: bigint) => (caps >> c & 1n) === 1n;
  return has(CAP_SYS_ADMIN) || (has(CAP_BPF) && has(CAP_PERFMON));
}

/**
 * Throws NotSupportedError when the process cannot load eBPF programs: judged by its effective
 * capabilities (root without them cannot trace either), or by uid when /proc is unreadable.
 */
export function requirePrivileges(
  uid: number | null = Deno.uid(),
  status: () => string = () => Deno.readTextFileSync("/proc/self/status"),
): void {
  let allowed: boolean;
  try {
    allowed = capsAllowTracing(effectiveCaps(status()));
  } catch {
    allowed = uid === 0;
  }
  if (allowed) return;
  throw new NotSupportedError(
    "Cannot start tracing: tracee must run as root (with CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN); try sudo",
  );
}
