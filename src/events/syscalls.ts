import { ArgKind as K } from "./arg_kind.ts";
import type { EventDef, Param } from "./event_def.ts";

/** The syscall probes every syscall event needs. */
const SYSCALL_PROBES = ["sys_enter", "sys_exit"] as const;

function syscall(
  id: number,
  name: string,
  sets: readonly string[],
  params: readonly Param[],
  emit: EventDef["emit"] = "exit",
): EventDef {
  return {
    id,
    name,
    sets: ["syscalls", ...sets],
    params,
    probes: SYSCALL_PROBES,
    syscall: true,
    emit,
  };
}

/** x86_64 syscall events (number, Tracee name, sets, typed arguments). */
export const syscallEvents: readonly EventDef[] = [
  syscall(2, "open", ["fs", "fs_file_ops"], [
    { type: "const char*", name: "pathname", kind: K.STR },
    { type: "int", name: "flags", kind: K.S32 },
    { type: "mode_t", name: "mode", kind: K.U32 },
  ]),
  syscall(3, "close", ["fs", "fs_file_ops"], [{ type: "int", name: "fd", kind: K.S32 }]),
  syscall(42, "connect", ["net", "net_sock", "default"], [
    { type: "int", name: "sockfd", kind: K.S32 },
    { type: "struct sockaddr*", name: "addr", kind: K.SOCKADDR, aux: 2 },
    { type: "int", name: "addrlen", kind: K.S32 },
  ]),
  syscall(59, "execve", ["proc", "proc_life", "default"], [
    { type: "const char*", name: "pathname", kind: K.STR },
    { type: "const char*const*", name: "argv", kind: K.STR_ARR },
    { type: "const char*const*", name: "envp", kind: K.STR_ARR },
  ], "enter-capture"),
  syscall(257, "openat", ["fs", "fs_file_ops", "default"], [
    { type: "int", name: "dirfd", kind: K.S32 },
    { type: "const char*", name: "pathname", kind: K.STR },
    { type: "int", name: "flags", kind: K.S32 },
    { type: "mode_t", name: "mode", kind: K.U32 },
  ]),
  syscall(322, "execveat", ["proc", "proc_life", "default"], [
    { type: "int", name: "dirfd", kind: K.S32 },
    { type: "const char*", name: "pathname", kind: K.STR },
    { type: "const char*const*", name: "argv", kind: K.STR_ARR },
    { type: "const char*const*", name: "envp", kind: K.STR_ARR },
    { type: "int", name: "flags", kind: K.S32 },
  ], "enter-capture"),
];
