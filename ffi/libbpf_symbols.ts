/**
 * libbpf symbols used by tracee, as data. Each entry carries its C signature (libbpf >= 1.0,
 * where every call returns -errno on failure or NULL with errno set).
 */
export const libbpfSymbols = {
  // struct bpf_object *bpf_object__open_mem(const void *obj_buf, size_t obj_buf_sz,
  //                                         const struct bpf_object_open_opts *opts);
  bpf_object__open_mem: { parameters: ["buffer", "usize", "buffer"], result: "pointer" },
  // struct bpf_object *bpf_object__open_file(const char *path,
  //                                          const struct bpf_object_open_opts *opts);
  bpf_object__open_file: { parameters: ["buffer", "buffer"], result: "pointer" },
  // int bpf_object__load(struct bpf_object *obj);
  bpf_object__load: { parameters: ["pointer"], result: "i32" },
  // void bpf_object__close(struct bpf_object *obj);
  bpf_object__close: { parameters: ["pointer"], result: "void" },
  // struct bpf_program *bpf_object__find_program_by_name(const struct bpf_object *obj,
  //                                                     const char *name);
  bpf_object__find_program_by_name: { parameters: ["pointer", "buffer"], result: "pointer" },
  // struct bpf_program *bpf_object__next_program(const struct bpf_object *obj,
  //                                              struct bpf_program *prog);
  bpf_object__next_program: { parameters: ["pointer", "pointer"], result: "pointer" },
  // struct bpf_map *bpf_object__find_map_by_name(const struct bpf_object *obj, const char *name);
  bpf_object__find_map_by_name: { parameters: ["pointer", "buffer"], result: "pointer" },
  // const char *bpf_program__name(const struct bpf_program *prog);
  bpf_program__name: { parameters: ["pointer"], result: "pointer" },
  // const char *bpf_program__section_name(const struct bpf_program *prog);
  bpf_program__section_name: { parameters: ["pointer"], result: "pointer" },
  // int bpf_program__set_autoload(struct bpf_program *prog, bool autoload);
  bpf_program__set_autoload: { parameters: ["pointer", "bool"], result: "i32" },
  // bool bpf_program__autoload(const struct bpf_program *prog);
  bpf_program__autoload: { parameters: ["pointer"], result: "bool" },
  // struct bpf_link *bpf_program__attach(const struct bpf_program *prog);
  bpf_program__attach: { parameters: ["pointer"], result: "pointer" },
  // struct bpf_link *bpf_program__attach_tracepoint(const struct bpf_program *prog,
  //                                                 const char *tp_category, const char *tp_name);
  bpf_program__attach_tracepoint: {
    parameters: ["pointer", "buffer", "buffer"],
    result: "pointer",
  },
  // int bpf_link__destroy(struct bpf_link *link);
  bpf_link__destroy: { parameters: ["pointer"], result: "i32" },
  // int bpf_map__fd(const struct bpf_map *map);
  bpf_map__fd: { parameters: ["pointer"], result: "i32" },
  // int bpf_map__set_max_entries(struct bpf_map *map, __u32 max_entries);
  bpf_map__set_max_entries: { parameters: ["pointer", "u32"], result: "i32" },
  // int bpf_map__set_type(struct bpf_map *map, enum bpf_map_type type);
  bpf_map__set_type: { parameters: ["pointer", "u32"], result: "i32" },
  // __u32 bpf_map__max_entries(const struct bpf_map *map);
  bpf_map__max_entries: { parameters: ["pointer"], result: "u32" },
  // __u32 bpf_map__value_size(const struct bpf_map *map);
  bpf_map__value_size: { parameters: ["pointer"], result: "u32" },
  // int bpf_map__set_initial_value(struct bpf_map *map, const void *data, size_t size);
  bpf_map__set_initial_value: { parameters: ["pointer", "buffer", "usize"], result: "i32" },
  // int bpf_map_update_elem(int fd, const void *key, const void *value, __u64 flags);
  bpf_map_update_elem: { parameters: ["i32", "buffer", "buffer", "u64"], result: "i32" },
  // int bpf_map_lookup_elem(int fd, const void *key, void *value);
  bpf_map_lookup_elem: { parameters: ["i32", "buffer", "buffer"], result: "i32" },
  // int bpf_map_delete_elem(int fd, const void *key);
  bpf_map_delete_elem: { parameters: ["i32", "buffer"], result: "i32" },
  // struct ring_buffer *ring_buffer__new(int map_fd, ring_buffer_sample_fn sample_cb, void *ctx,
  //                                      const struct ring_buffer_opts *opts);
  ring_buffer__new: { parameters: ["i32", "function", "pointer", "pointer"], result: "pointer" },
  // int ring_buffer__poll(struct ring_buffer *rb, int timeout_ms);
  ring_buffer__poll: { parameters: ["pointer", "i32"], result: "i32" },
  // int ring_buffer__consume(struct ring_buffer *rb);
  ring_buffer__consume: { parameters: ["pointer"], result: "i32" },
  // int ring_buffer__epoll_fd(const struct ring_buffer *rb);
  ring_buffer__epoll_fd: { parameters: ["pointer"], result: "i32" },
  // void ring_buffer__free(struct ring_buffer *rb);
  ring_buffer__free: { parameters: ["pointer"], result: "void" },
  // libbpf_print_fn_t libbpf_set_print(libbpf_print_fn_t fn);
  libbpf_set_print: { parameters: ["function"], result: "pointer" },
  // long libbpf_get_error(const void *ptr);  (-errno of the last failed pointer-returning call)
  libbpf_get_error: { parameters: ["pointer"], result: "i64" },
  // int libbpf_num_possible_cpus(void);
  libbpf_num_possible_cpus: { parameters: [], result: "i32" },
  // __u32 libbpf_major_version(void);
  libbpf_major_version: { parameters: [], result: "u32" },
  // __u32 libbpf_minor_version(void);
  libbpf_minor_version: { parameters: [], result: "u32" },
} as const satisfies Deno.ForeignLibraryInterface;

/** The callable symbols of a loaded libbpf (or a fake with the same shape). */
export type LibbpfSymbols = Deno.DynamicLibrary<typeof libbpfSymbols>["symbols"];
