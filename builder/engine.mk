# The container engine for tracee-make and the tracee image: ENGINE=docker (the default, when
# installed) or ENGINE=podman; and a check that stops make with one line when none answers.
ENGINE ?= $(shell command -v docker 2>/dev/null || command -v podman 2>/dev/null)
engine-up = $(shell $(ENGINE) info >/dev/null 2>&1 && echo up)
require-engine = $(if $(ENGINE),$(if $(engine-up),,$(error Cannot use the tracee-make container: $(ENGINE) is installed but no container engine answers ($(ENGINE) info failed))),$(error Cannot use the tracee-make container: no container engine (docker or podman) is installed))
# Images are built with the host's network (their package installs need it).
BUILD_FLAGS ?= --network host
