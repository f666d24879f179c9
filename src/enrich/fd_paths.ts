/**
 * `-o option:parse-arguments-fds`: file descriptor arguments become `fd=path`, read from
 * /proc/<pid>/fd/<fd> when the event is processed. Best effort: the process may have closed the
 * descriptor or exited by then, and the value is then left as it was.
 */
import type { TraceeEvent } from "../decode/event.ts";

/** Arguments that are file descriptors (fd, sockfd, oldfd, newfd, epfd, pidfd, …). */
const FD_ARG = /^(fd|\w+fd)$/;

/** Reads a /proc fd link (injectable for tests). */
export type FdReader = (pid: number, fd: number) => string | undefined;

/** readlink /proc/<pid>/fd/<fd>, or undefined. */
export const procFdReader: FdReader = (pid, fd) => {
  try {
    return Deno.readLinkSync(`/proc/${pid}/fd/${fd}`);
  } catch {
    return undefined;
  }
};

/** Rewrites the event's fd arguments in place as `fd=path` where the path can be found. */
export function resolveFds(e: TraceeEvent, read: FdReader = procFdReader): void {
  for (const arg of e.args) {
    if (!FD_ARG.test(arg.name) || typeof arg.value !== "number" || arg.value < 0) continue;
    const path = read(e.hostProcessId, arg.value);
    if (path === undefined) continue;
    arg.value = `${arg.value}=${path}`;
    arg.type = "string";
  }
}
