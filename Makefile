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
BPFTOOL ?= bpftool
VMLINUX_BTF ?= /sys/kernel/btf/vmlinux

UNAME_M := $(shell uname -m)
BPF_ARCH := $(subst x86_64,x86,$(subst aarch64,arm64,$(UNAME_M)))
KERNEL_RELEASE := $(shell uname -r)
VERSION := $(shell git describe --tags --always --dirty 2>/dev/null || echo v0.0.0)

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
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(BPF_ARCH) -Wall -Wno-unused-function -Ibpf -I$(OUTPUT)

.PHONY: all bpf tracee run test bench clean deps ok

all: bpf tracee

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

bpf: $(DIST)/tracee.bpf.core.o

## the tool: one file embedding the CO-RE object (and BTFHub archives)
$(DIST)/tracee: $(DIST)/tracee.bpf.core.o $(TS_SRCS) tools/build_tool.ts deno.json $(DENO)
	$(call msg,TRACEE,$@)
	$(Q)$(DENO) run --allow-all tools/build_tool.ts $(DIST) $(VERSION)
	$(Q)ln -sfn $(DIST)/tracee tracee

tracee: $(DIST)/tracee

run: $(DIST)/tracee
	@if [ "$$(id -u)" != 0 ]; then echo "Cannot run tracee: it needs root (try: sudo make run)" >&2; exit 2; fi
	./$(DIST)/tracee $(ARGS)

test: all
	$(DENO) task test

bench: all
	$(DENO) task bench

ok: all
	$(DENO) task ok

clean:
	$(call msg,CLEAN,$(DIST) $(OUTPUT))
	$(Q)rm -rf $(DIST) $(OUTPUT) tracee
