/** Acting as another user: `nobody` (uid 65534) owns files, links and runs shell loops. */

/** nobody's uid and gid. */
export const NOBODY = 65534;

/** Makes `path` nobody's (a link itself, not its target). */
export function chownNobody(path: string): void {
  const r = new Deno.Command("chown", { args: ["-h", `${NOBODY}:${NOBODY}`, path] }).outputSync();
  if (!r.success) throw new Error(`Cannot chown ${path} to nobody`);
}

/** Starts `script` under sh as nobody (no groups); the caller kills it by its pid. */
export function spawnAsNobody(script: string): Deno.ChildProcess {
  return new Deno.Command("setpriv", {
    args: [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, "--clear-groups", "sh", "-c", script],
    stdout: "null",
    stderr: "null",
  }).spawn();
}
