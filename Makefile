# tracee-ts build. `make run` sets up everything and traces; `make test` runs every test.
# V=1 shows the commands.

.DELETE_ON_ERROR:
.DEFAULT_GOAL := all
SHELL := /bin/bash

OUTPUT := .output
DIST := dist
DENO := node_modules/deno/deno
CLANG ?= clang
LLVM_STRIP ?= llvm-strip
LLC ?= llc
BPFTOOL ?= bpftool
VMLINUX_BTF ?= /sys/kernel/btf/vmlinux

UNAME_M := $(shell uname -m)
BPF_ARCH := $(subst x86_64,x86,$(subst aarch64,arm64,$(UNAME_M)))
KERNEL_RELEASE := $(shell uname -r)
VERSION := $(shell git describe --tags --always --dirty 2>/dev/null || echo v0.0.0)
INSTALL_PATH ?= /tmp/tracee
KERNEL_HEADERS ?= /lib/modules/$(KERNEL_RELEASE)/build
# Distributions split headers into generated (build) and common (source) trees.
KERNEL_SOURCE ?= $(firstword $(wildcard $(KERNEL_HEADERS)/../$(notdir $(realpath $(KERNEL_HEADERS)))-common-source) \
	$(if $(wildcard /lib/modules/$(KERNEL_RELEASE)/source/include),/lib/modules/$(KERNEL_RELEASE)/source) $(KERNEL_HEADERS))
NOCORE_NAME := tracee.bpf.$(subst .,_,$(KERNEL_RELEASE)).$(subst .,_,$(VERSION)).o
BTFHUB_ARCHIVE ?=

ifeq ($(V),1)
Q :=
msg = @true
else
Q := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)"
endif

BPF_SRC := bpf/tracee.bpf.c
BPF_DEPS := $(wildcard bpf/*.h bpf/*.c)
TS_SRCS := main.ts $(shell find src ffi -name '*.ts' 2>/dev/null)
PACKAGE_SRCS := tools/build_tool.ts $(wildcard tools/package/*.ts)
LAUNCHER_SRCS := $(wildcard tools/launcher/*.c tools/launcher/*.h)
# The launcher of dist/tracee: static, so it runs on any Linux of this architecture.
LAUNCHER_CFLAGS := -static -O2 -Wall -Wextra -ffunction-sections -fdata-sections -Wl,--gc-sections -s
# zstd level of the runtime inside dist/tracee (19: smallest that unpacks fast; compressed once per Deno)
ZSTD_LEVEL ?= 19
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(BPF_ARCH) -Wall -Wno-unused-function -Ibpf -I$(OUTPUT)

.PHONY: all bpf bpf-nocore install-bpf-nocore btfhub tracee run run-as-root test test-as-root test-containers test-containers-as-root containers-setup image bench bench-soak bench-package clean deps ok FORCE

all: bpf bpf-nocore btfhub tracee

## prerequisites: checked (and installed with apt-get when root) once per checkout
deps: $(OUTPUT)/deps.ok
$(OUTPUT)/deps.ok: tools/ensure-deps.sh
	$(Q)mkdir -p $(OUTPUT)
	$(Q)bash tools/ensure-deps.sh
	$(Q)touch $@

# Deno comes from the `deno` npm package. `npm ci` rejects a lock that lacks the other platforms'
# Deno builds, which the registry reachable here does not serve; `install --no-save` reads the
# lock and never rewrites it.
$(DENO): package.json package-lock.json | $(OUTPUT)/deps.ok
	$(call msg,NPM,deno and npm packages)
	$(Q)npm install --no-save --no-audit --no-fund --loglevel=error >/dev/null
	$(Q)test -x $(DENO) || node node_modules/deno/install.cjs >/dev/null
	$(Q)test -x $(DENO) || { echo "Cannot set up Deno: $(DENO) missing after npm install" >&2; exit 2; }
	$(Q)touch $@

## eBPF objects
$(OUTPUT)/vmlinux.h: | $(OUTPUT)/deps.ok
	$(Q)test -r $(VMLINUX_BTF) || { echo "Cannot generate vmlinux.h: $(VMLINUX_BTF) is missing (set VMLINUX_BTF=<BTF file of a kernel>)" >&2; exit 2; }
	$(call msg,BTF,$@ from $(VMLINUX_BTF))
	$(Q)$(BPFTOOL) btf dump file $(VMLINUX_BTF) format c > $@

$(DIST)/tracee.bpf.core.o: $(BPF_DEPS) $(OUTPUT)/vmlinux.h
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(DIST)
	$(Q)$(CLANG) $(BPF_CFLAGS) -DTRACEE_CORE -c $(BPF_SRC) -o $@
	$(Q)$(LLVM_STRIP) -g $@

include builder/engine.mk
ifeq ($(DOCKER),1)
# make bpf DOCKER=1: the same build inside the tracee-make container (builder/).
bpf:
	$(require-engine)
	$(Q)$(MAKE) --no-print-directory -f builder/Makefile.tracee-make run-in-container CMD="make bpf DIST=$(DIST)"
else
bpf: $(DIST)/tracee.bpf.core.o
endif

## non CO-RE object: compiled for the running kernel's own layout, with no CO-RE relocations and
## only programs that attach without kernel BTF. Its types come from the running kernel's headers
## ($(KERNEL_HEADERS)) when installed, else from its BTF without preserve_access_index.
NOCORE_FROM := $(if $(wildcard $(KERNEL_SOURCE)/include/linux/sched.h),headers,btf)
NOCORE_CFLAGS_btf = -DBPF_NO_PRESERVE_ACCESS_INDEX \
	$(shell grep -q 'i_ctime_sec;' $(OUTPUT)/vmlinux.h 2>/dev/null && echo -DHAVE_INODE_I_CTIME_SEC || \
		(grep -q '__i_ctime;' $(OUTPUT)/vmlinux.h 2>/dev/null && echo -DHAVE_INODE___I_CTIME)) \
	$(shell grep -q 'struct kernfs_node \*__parent;' $(OUTPUT)/vmlinux.h 2>/dev/null && echo -DHAVE_KERNFS___PARENT)
NOCORE_DEPS_btf := $(OUTPUT)/vmlinux.h
# Kernel headers carry inline asm the BPF target cannot parse: compile for the host to LLVM IR,
# then let llc emit BPF (as samples/bpf does).
KHEADERS_CFLAGS = -DTRACEE_KERNEL_HEADERS -D__KERNEL__ -D__BPF_TRACING__ -D__TARGET_ARCH_$(BPF_ARCH) \
	-Ibpf -nostdinc -isystem $(shell $(CLANG) -print-file-name=include) \
	-I$(KERNEL_SOURCE)/arch/$(BPF_ARCH)/include -I$(KERNEL_HEADERS)/arch/$(BPF_ARCH)/include/generated \
	-I$(KERNEL_SOURCE)/include -I$(KERNEL_HEADERS)/include -I$(KERNEL_SOURCE)/arch/$(BPF_ARCH)/include/uapi \
	-I$(KERNEL_HEADERS)/arch/$(BPF_ARCH)/include/generated/uapi -I$(KERNEL_SOURCE)/include/uapi \
	-I$(KERNEL_HEADERS)/include/generated/uapi -include $(KERNEL_SOURCE)/include/linux/kconfig.h \
	-I/usr/include -fno-stack-protector -fno-asynchronous-unwind-tables -Wno-unused-value -Wno-pointer-sign -Wno-compare-distinct-pointer-types \
	-Wno-gnu-variable-sized-type-not-at-end -Wno-address-of-packed-member -Wno-tautological-compare \
	-Wno-unknown-warning-option -Wno-frame-address -Wno-unused-function -g -O2
NOCORE_DEPS_headers :=

$(DIST)/$(NOCORE_NAME): $(BPF_DEPS) $(NOCORE_DEPS_$(NOCORE_FROM))
	$(call msg,BPF,$@ (non CO-RE, types from $(NOCORE_FROM)))
	$(Q)mkdir -p $(DIST)
ifeq ($(NOCORE_FROM),headers)
	$(Q)$(CLANG) $(KHEADERS_CFLAGS) -emit-llvm -c $(BPF_SRC) -o - | $(LLC) -march=bpf -mcpu=v2 -filetype=obj -o $@
else
	$(Q)$(CLANG) $(BPF_CFLAGS) $(NOCORE_CFLAGS_btf) -c $(BPF_SRC) -o $@
endif
	$(Q)$(LLVM_STRIP) -g $@

bpf-nocore: $(DIST)/$(NOCORE_NAME)

## installed root-owned 0644 in a root-owned 0755 directory (tracee refuses anything weaker)
install-bpf-nocore: $(DIST)/$(NOCORE_NAME)
	@if [ "$$(id -u)" != 0 ]; then echo "Cannot install into $(INSTALL_PATH): root is needed (try: sudo make install-bpf-nocore)" >&2; exit 2; fi
	$(call msg,INSTALL,$(INSTALL_PATH)/$(NOCORE_NAME))
	$(Q)install -d -o root -g root -m 0755 $(INSTALL_PATH)
	$(Q)chown root:root $(INSTALL_PATH) && chmod 0755 $(INSTALL_PATH)
	$(Q)install -o root -g root -m 0644 $< $(INSTALL_PATH)/$(NOCORE_NAME)

## BTFHub archives: reduced BTF of this kernel (and of BTFHUB_ARCHIVE=dir, laid out as
## btfhub-archive) for the CO-RE object's relocations, embedded in dist/tracee
$(OUTPUT)/btfhub.stamp: $(DIST)/tracee.bpf.core.o tools/pack-btfhub.sh $(if $(BTFHUB_ARCHIVE),FORCE)
	$(Q)rm -rf $(DIST)/btfhub
	$(Q)bash tools/pack-btfhub.sh $(DIST)/tracee.bpf.core.o $(DIST)/btfhub $(OUTPUT)/btfhub-work $(VMLINUX_BTF) $(BTFHUB_ARCHIVE)
	$(Q)touch $@

btfhub: $(OUTPUT)/btfhub.stamp

## the version tracee is built as (non CO-RE object names carry it); rewritten only on change
$(OUTPUT)/version: FORCE
	$(Q)mkdir -p $(OUTPUT) $(DIST)
	$(Q)echo '$(VERSION)' | cmp -s - $@ || echo '$(VERSION)' > $@
	$(Q)cmp -s $@ $(DIST)/VERSION || cp $@ $(DIST)/VERSION

## the tool: one self-extracting executable carrying the Deno runtime, the program (with the
## CO-RE object and BTFHub archives) and libbpf; it unpacks once into a verified cache (README: Build)
$(OUTPUT)/launcher: $(LAUNCHER_SRCS) | $(OUTPUT)/deps.ok
	$(call msg,CC,$@)
	$(Q)$(CC) $(LAUNCHER_CFLAGS) -o $@ $(filter %.c,$^) -lzstd

$(DIST)/tracee: $(DIST)/tracee.bpf.core.o $(OUTPUT)/btfhub.stamp $(OUTPUT)/version $(OUTPUT)/launcher $(TS_SRCS) $(PACKAGE_SRCS) deno.json $(DENO)
	$(call msg,TRACEE,$@)
	$(Q)ZSTD_LEVEL=$(ZSTD_LEVEL) $(DENO) run --allow-all tools/build_tool.ts $(DIST) $(VERSION) $(OUTPUT)/launcher
	$(Q)ln -sfn $(DIST)/tracee tracee

tracee: $(DIST)/tracee

# run, test and test-containers work as typed in a root shell and for a sudo user: they run make
# again for the real target ($(1)), as root directly, else through sudo; $(2) is what a user
# without sudo gets: an error line, or the target as that user (the kernel tests then skip).
as-root = if [ "$$(id -u)" = 0 ]; then exec $(MAKE) --no-print-directory $(1); \
	elif command -v sudo >/dev/null 2>&1; then exec sudo $(MAKE) --no-print-directory $(1); \
	else $(2); fi

run:
	@$(call as-root,run-as-root ARGS='$(ARGS)',echo "Cannot run tracee: it needs root (no sudo here: run make run as root)" >&2; exit 2)
run-as-root: $(DIST)/tracee
	./$(DIST)/tracee $(ARGS)

## the project's own podman (tools/podman.sh): installed when missing, configured under .output/podman
containers-setup:
	$(Q)bash tools/podman.sh image-busybox

# Every test, then the integration tests again with the syscall programs on the raw tracepoints
# (a run picks per-syscall tracepoints for small selections: both paths must give the same events;
# the CLI tests look at the command line, not at the hooks, and run once).
test:
	@$(call as-root,test-as-root,exec $(MAKE) --no-print-directory test-as-root)
test-as-root: all containers-setup
	$(DENO) task test; rc=$$?; \
	TRACEE_SYSCALL_HOOKS=raw $(DENO) test --allow-all tests/integration/ || rc=1; \
	exit $$rc

## slow container workflows: the tracee image, the tracee-make builder, make bpf DOCKER=1 (with
## the project's podman and a Debian base image made by debootstrap)
test-containers:
	@$(call as-root,test-containers-as-root,echo "Cannot run the container tests: they need root (no sudo here: run make test-containers as root)" >&2; exit 2)
test-containers-as-root: all containers-setup
	$(Q)bash tools/podman.sh image-debian
	$(DENO) test --allow-all tests/containers/

## the tracee images: $(IMAGE_NAME):latest (full: on tracee-make, with the source tree) and
## $(IMAGE_NAME):slim (dist/tracee on SLIM_BASE_IMAGE). ENGINE=, BASE_IMAGE= (tracee-make's base),
## SLIM_BASE_IMAGE= override the engine and the base images.
IMAGE_NAME ?= tracee
SLIM_BASE_IMAGE ?= $(or $(BASE_IMAGE),debian:12-slim)
image: $(DIST)/tracee
	$(require-engine)
	$(Q)rm -rf $(OUTPUT)/image && mkdir -p $(OUTPUT)/image/nosrc $(OUTPUT)/image/src
	$(Q)cp $(DIST)/tracee $(OUTPUT)/image/tracee
	$(Q)git archive HEAD | tar -x -C $(OUTPUT)/image/src
	$(Q)$(ENGINE) image inspect tracee-make:ubuntu >/dev/null 2>&1 || \
		$(MAKE) --no-print-directory -f builder/Makefile.tracee-make ubuntu-prepare BASE_IMAGE=$(BASE_IMAGE)
	$(call msg,IMAGE,$(IMAGE_NAME):latest)
	$(Q)$(ENGINE) build $(BUILD_FLAGS) --build-arg BASE_IMAGE=tracee-make:ubuntu --build-arg SOURCE=src \
		-f builder/Dockerfile.tracee -t $(IMAGE_NAME):latest $(OUTPUT)/image
	$(call msg,IMAGE,$(IMAGE_NAME):slim)
	$(Q)$(ENGINE) build $(BUILD_FLAGS) --build-arg BASE_IMAGE=$(SLIM_BASE_IMAGE) --build-arg SOURCE=nosrc \
		-f builder/Dockerfile.tracee -t $(IMAGE_NAME):slim $(OUTPUT)/image

bench: all
	$(DENO) task bench

## 10 minutes of the default set plus a 300 k/s storm: losses, memory over time (SOAK_SECONDS=)
bench-soak: all
	$(DENO) run --allow-all bench/soak.ts

## dist/tracee's size and start-up to the first event, first run and later runs
## (BENCH_OLD_REV=<git rev> compares with the tracee of that revision)
bench-package: all
	$(DENO) run --allow-all bench/package_startup.ts $(if $(BENCH_OLD_REV),--old-rev $(BENCH_OLD_REV))

ok: all
	$(DENO) task ok

clean:
	$(call msg,CLEAN,$(DIST) $(OUTPUT))
	$(Q)rm -rf $(DIST) $(OUTPUT) tracee
FORCE:
