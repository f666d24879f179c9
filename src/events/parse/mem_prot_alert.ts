/** mem_prot_alert's `alert` argument (ALERT_* in bpf/types.h) as Tracee prints it. */

const ALERTS: Readonly<Record<number, string>> = {
  1: "Mmaped region with W+E permissions!",
  2: "Protection changed to Executable!",
  3: "Protection changed from E to W+E!",
  4: "Protection changed from W to E!",
};

/** The alert's text ("Unknown alert" for a value the kernel does not send). */
export function memProtAlert(value: number): string {
  return ALERTS[value] ?? "Unknown alert";
}
