#!/usr/bin/env bash
# Checks the build prerequisites (seed 001: kernel >= 4.18, clang >= 12, GNU make >= 4.3, libelf,
# zlib, plus bpftool, llvm-strip, libbpf headers, xz, node/npm for Deno; a C compiler with static
# glibc, zstd and libzstd for dist/tracee's launcher and payload) and installs the missing
# ones with apt-get when run as root on Debian/Ubuntu. Otherwise names what is missing and exits 2.
set -u

missing=()   # human-readable names
packages=()  # apt packages that provide them

need() { # need <ok?> <what> <apt package>
	if [ "$1" != 0 ]; then
		missing+=("$2")
		packages+=("$3")
	fi
}

version_ge() { # version_ge <have> <want>
	[ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]
}

check_all() {
	missing=()
	packages=()
	command -v clang >/dev/null 2>&1
	need $? "clang >= 12" clang
	if command -v clang >/dev/null 2>&1; then
		cv=$(clang --version | sed -n 's/.*clang version \([0-9][0-9.]*\).*/\1/p' | head -n1)
		version_ge "${cv:-0}" 12
		need $? "clang >= 12 (found ${cv:-unknown})" clang
	fi
	command -v llvm-strip >/dev/null 2>&1
	need $? "llvm-strip" llvm
	command -v bpftool >/dev/null 2>&1
	need $? "bpftool" bpftool
	[ -f /usr/include/bpf/bpf_helpers.h ] && ldconfig -p 2>/dev/null | grep -q 'libbpf\.so\.1 '
	need $? "libbpf >= 1.0 (headers and libbpf.so.1)" libbpf-dev
	[ -f /usr/include/libelf.h ] || [ -f /usr/include/libelf/libelf.h ]
	need $? "libelf" libelf-dev
	[ -f /usr/include/zlib.h ]
	need $? "zlib" zlib1g-dev
	command -v xz >/dev/null 2>&1
	need $? "xz" xz-utils
	command -v pkg-config >/dev/null 2>&1
	need $? "pkg-config" pkg-config
	command -v cc >/dev/null 2>&1
	need $? "cc (C compiler)" gcc
	[ -f "$(cc -print-file-name=libc.a 2>/dev/null)" ]
	need $? "static glibc (libc.a)" libc6-dev
	command -v zstd >/dev/null 2>&1
	need $? "zstd" zstd
	[ -f /usr/include/zstd.h ] && [ -f "$(cc -print-file-name=libzstd.a 2>/dev/null)" ]
	need $? "libzstd (zstd.h and libzstd.a)" libzstd-dev
	command -v npm >/dev/null 2>&1
	need $? "npm (installs Deno from the npm registry)" npm
}

# Not installable by a package: report and stop.
kv=$(uname -r | sed 's/^\([0-9]*\.[0-9]*\).*/\1/')
if ! version_ge "$kv" 4.18; then
	echo "Cannot build tracee: kernel $kv is older than 4.18" >&2
	exit 2
fi
mv=$(make --version 2>/dev/null | sed -n 's/^GNU Make \([0-9.]*\).*/\1/p')
if ! version_ge "${mv:-0}" 4.3; then
	echo "Cannot build tracee: GNU make >= 4.3 is needed (found ${mv:-none})" >&2
	exit 2
fi

check_all
if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
	echo "Cannot build tracee: missing $(IFS=,; echo "${missing[*]}" | sed 's/,/, /g')" >&2
	echo "hint: as root, run: apt-get install -y $(printf '%s\n' "${packages[@]}" | sort -u | tr '\n' ' ')" >&2
	exit 2
fi

uniq_packages=$(printf '%s\n' "${packages[@]}" | sort -u | tr '\n' ' ')
echo "installing build prerequisites: $uniq_packages"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null || { echo "Cannot install prerequisites: apt-get update failed" >&2; exit 2; }
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $uniq_packages >/dev/null ||
	{ echo "Cannot install prerequisites: apt-get install $uniq_packages failed" >&2; exit 2; }

check_all
if [ ${#missing[@]} -ne 0 ]; then
	echo "Cannot build tracee: still missing $(IFS=,; echo "${missing[*]}" | sed 's/,/, /g') after apt-get install" >&2
	exit 2
fi
