/** Renders argument values the way Tracee prints them: Go's %v in tables, JSON in json. */
import type { ArgValue, EventArg, TriggerValue } from "../decode/event.ts";
import { escapeControl } from "./escape.ts";

function isStringArray(v: ArgValue): v is readonly string[] {
  return Array.isArray(v) && (v.length === 0 || typeof v[0] === "string");
}

function isTrigger(v: ArgValue): v is TriggerValue {
  return typeof v === "object" && v !== null && "returnValue" in v && "args" in v;
}

/** Go's %v of the value; strings have control characters escaped. */
export function tableValue(v: ArgValue): string {
  switch (typeof v) {
    case "string":
      return escapeControl(v);
    case "number":
    case "bigint":
    case "boolean":
      return String(v);
  }
  if (v instanceof Uint8Array) return `[${v.join(" ")}]`;
  if (isTrigger(v)) {
    const args = v.args.map((a) => `${a.name}: ${tableValue(a.value)}`).join(", ");
    return `map[args:[${args}] id:${v.id} name:${v.name} returnValue:${v.returnValue}]`;
  }
  if (isStringArray(v)) return `[${v.map(escapeControl).join(" ")}]`;
  if (Array.isArray(v)) return `[${v.join(" ")}]`;
  const obj = v as Readonly<Record<string, string>>;
  const keys = Object.keys(obj).sort();
  return `map[${keys.map((k) => `${k}:${escapeControl(obj[k]!)}`).join(" ")}]`;
}

function base64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

/** The value as JSON text (bigint as exact digits, bytes as base64 as Go marshals []byte). */
export function jsonValue(v: ArgValue): string {
  switch (typeof v) {
    case "string":
      return JSON.stringify(v);
    case "number":
      return Number.isFinite(v) ? String(v) : "null";
    case "bigint":
    case "boolean":
      return String(v);
  }
  if (v instanceof Uint8Array) return JSON.stringify(base64(v));
  if (isTrigger(v)) {
    return '{"id":' + v.id + ',"name":' + JSON.stringify(v.name) + ',"args":' +
      jsonArgs(v.args) + ',"returnValue":' + v.returnValue + "}";
  }
  return JSON.stringify(v);
}

/** An event's arguments as Tracee's JSON array of {name, type, value}. */
export function jsonArgs(args: readonly EventArg[]): string {
  let out = "";
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    out += (i > 0 ? ',{"name":' : '{"name":') + JSON.stringify(a.name) + ',"type":' +
      JSON.stringify(a.type) + ',"value":' + jsonValue(a.value) + "}";
  }
  return "[" + out + "]";
}
