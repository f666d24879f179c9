/** The exit summary: what a run received and lost, with every loss reason, as one line. */
import { KERNEL_LOSSES } from "./counters.ts";
import type { RunSummary } from "./pipeline.ts";

/**
 * `tracee: N events received, K lost in kernel, U lost in user space (ring buffer full: …, …,
 * undecodable: …)`: every reason is listed, zero or not, so a reader knows what is counted.
 */
export function summaryLine(s: RunSummary): string {
  const reasons = KERNEL_LOSSES.map(([key, words]) => `${words}: ${s.kernel[key]}`);
  reasons.push(`undecodable: ${s.lostUser}`);
  return `tracee: ${s.received} events received, ${s.lostKernel} lost in kernel, ` +
    `${s.lostUser} lost in user space (${reasons.join(", ")})`;
}

/** The same counts as fields of the `Loss counts` debug line. */
export function lossFields(s: RunSummary): Record<string, number> {
  const fields: Record<string, number> = {
    kernel_submitted: s.kernel.submitted,
    received: s.received,
  };
  for (const [key, , field] of KERNEL_LOSSES) fields[field] = s.kernel[key];
  fields.lost_undecodable = s.lostUser;
  return fields;
}
