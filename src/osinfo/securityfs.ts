/**
 * securityfs (/sys/kernel/security) tells the kernel lockdown mode and the active LSMs. It is not
 * always mounted; as root tracee mounts it (a read-only view of kernel state) when missing.
 */
import { logger } from "../log/logger.ts";
import { pathExists } from "../path_exists.ts";

export const SECURITYFS = "/sys/kernel/security";

/** Mounts securityfs when it is not mounted and we may; never fails (lines below say unknown). */
export function ensureSecurityfs(): void {
  if (pathExists(`${SECURITYFS}/lsm`) || !pathExists(SECURITYFS) || Deno.uid() !== 0) return;
  try {
    const r = new Deno.Command("mount", {
      args: ["-t", "securityfs", "securityfs", SECURITYFS],
      stderr: "null",
    })
      .outputSync();
    if (r.success) logger("osinfo").debug("mounted securityfs", { path: SECURITYFS });
  } catch {
    // no mount(8): go on without
  }
}

/** Active LSMs (securityfs lsm file), or undefined when unknown. */
export function activeLsms(
  read: (p: string) => string = Deno.readTextFileSync,
): string[] | undefined {
  try {
    return read(`${SECURITYFS}/lsm`).trim().split(",").filter((s) => s !== "");
  } catch {
    return undefined;
  }
}
