#!/usr/bin/env bash
# Packs reduced BTF ("bpftool gen min_core_btf" against the CO-RE object) as BTFHub archives:
#   <out>/<ID>/<VERSION_ID>/<arch>/<kernel-release>.btf.tar.xz
# for the running kernel (from its BTF, when it has one) and for every full BTF archive found
# under an optional btfhub-archive style directory.
# Usage: pack-btfhub.sh <core.o> <out-dir> <work-dir> [vmlinux-btf] [btfhub-archive-dir]
set -euo pipefail
core=$1 out=$2 work=$3 vmlinux=${4:-/sys/kernel/btf/vmlinux} archive=${5:-}
mkdir -p "$out" "$work"

pack() { # pack <full-btf> <id> <version_id> <arch> <release>
	local dir="$out/$2/$3/$4" tmp="$work/$5"
	mkdir -p "$dir" "$tmp"
	bpftool gen min_core_btf "$1" "$tmp/$5.btf" "$core"
	tar -C "$tmp" -cJf "$dir/$5.btf.tar.xz" "$5.btf"
	rm -rf "$tmp"
	echo "  BTFHUB   $dir/$5.btf.tar.xz ($(stat -c %s "$dir/$5.btf.tar.xz") bytes)"
}

machine=$(uname -m)
arch=${machine/aarch64/arm64}
if [ -r "$vmlinux" ]; then
	# shellcheck disable=SC1091
	id=$(. /etc/os-release && echo "$ID") version_id=$(. /etc/os-release && echo "$VERSION_ID")
	pack "$vmlinux" "$id" "$version_id" "$arch" "$(uname -r)"
else
	echo "  BTFHUB   skipping the running kernel: $vmlinux is not readable"
fi

if [ -n "$archive" ]; then
	[ -d "$archive" ] || { echo "Cannot pack BTFHub archives: BTFHUB_ARCHIVE=$archive is not a directory" >&2; exit 2; }
	find "$archive" -mindepth 4 -maxdepth 4 -name '*.btf.tar.xz' | sort | while read -r f; do
		rel=${f#"$archive"/}
		IFS=/ read -r id version_id farch file <<<"$rel"
		release=${file%.btf.tar.xz}
		tmp="$work/full-$release"
		mkdir -p "$tmp"
		tar -C "$tmp" -xJf "$f"
		full=$(find "$tmp" -name '*.btf' | head -n1)
		[ -n "$full" ] || { echo "  BTFHUB   skipping $f: no .btf inside"; rm -rf "$tmp"; continue; }
		pack "$full" "$id" "$version_id" "$farch" "$release"
		rm -rf "$tmp"
	done
fi
