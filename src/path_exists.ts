/** Whether something exists at `path` (any kind; false when it cannot be checked). */
export function pathExists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}
