/**
 * Makes strings from the kernel safe for a terminal: control characters (C0, DEL, C1) become
 * visible escapes so a process name or path can never move the cursor or forge a line.
 */

// deno-lint-ignore no-control-regex
const CONTROL = /[\x00-\x1f\x7f-\x9f]/;
// deno-lint-ignore no-control-regex
const CONTROL_ALL = /[\x00-\x1f\x7f-\x9f]/g;

const NAMED: Readonly<Record<string, string>> = { "\n": "\\n", "\t": "\\t", "\r": "\\r" };

function escapeChar(c: string): string {
  return NAMED[c] ?? "\\x" + c.charCodeAt(0).toString(16).padStart(2, "0");
}

/** `s` with every control character escaped (\n, \t, \r, else \xNN); `s` itself when clean. */
export function escapeControl(s: string): string {
  return CONTROL.test(s) ? s.replace(CONTROL_ALL, escapeChar) : s;
}
