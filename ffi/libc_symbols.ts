/** libc symbols tracee needs next to libbpf, as data, each with its C signature. */
export const libcSymbols = {
  // int vsnprintf(char *str, size_t size, const char *format, va_list ap);
  vsnprintf: { parameters: ["buffer", "usize", "pointer", "pointer"], result: "i32" },
  // void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset);
  mmap: { parameters: ["pointer", "usize", "i32", "i32", "i32", "i64"], result: "pointer" },
  // int munmap(void *addr, size_t length);
  munmap: { parameters: ["pointer", "usize"], result: "i32" },
  // int epoll_create1(int flags);
  epoll_create1: { parameters: ["i32"], result: "i32" },
  // int epoll_ctl(int epfd, int op, int fd, struct epoll_event *event);
  epoll_ctl: { parameters: ["i32", "i32", "i32", "buffer"], result: "i32" },
  // int epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout);
  // Runs on a worker thread so the event loop keeps turning while tracee waits for events.
  epoll_wait: {
    parameters: ["i32", "buffer", "i32", "i32"],
    result: "i32",
    nonblocking: true,
  },
  // int close(int fd);
  close: { parameters: ["i32"], result: "i32" },
  // int clock_gettime(clockid_t clockid, struct timespec *tp);
  clock_gettime: { parameters: ["i32", "buffer"], result: "i32" },
  // long sysconf(int name);
  sysconf: { parameters: ["i32"], result: "i64" },
} as const satisfies Deno.ForeignLibraryInterface;

/** The callable symbols of a loaded libc (or a fake with the same shape). */
export type LibcSymbols = Deno.DynamicLibrary<typeof libcSymbols>["symbols"];
