#!/usr/bin/env bash
# The project's own podman: its configuration, storage, API service and local base images, all
# under $PODMAN_DIR (default .output/podman of the checkout). Nothing of the system's is edited:
# podman reads this configuration through CONTAINERS_CONF / CONTAINERS_STORAGE_CONF.
#
#   tools/podman.sh setup             install podman/runc if missing, write the configuration
#   tools/podman.sh env               the exports to use that podman (eval "$(tools/podman.sh env)")
#   tools/podman.sh image-busybox     localhost/tracee-test:busybox (busybox-static; seconds)
#   tools/podman.sh image-debian      localhost/tracee-base:debian12 (debootstrap minbase; cached)
#   tools/podman.sh service-start SOCK / service-stop SOCK
#                                     podman's Docker-compatible API on a unix socket
#
# Settings measured on hybrid cgroup v1/v2 hosts: crun refuses the hybrid layout, so runc with
# the cgroupfs manager; root may lack CAP_SYS_RESOURCE, so container ulimits stay at the usual
# limits; images are built locally (no registry needed). Every step is idempotent.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PODMAN_DIR=${PODMAN_DIR:-$ROOT/.output/podman}
BUSYBOX_IMAGE=localhost/tracee-test:busybox
DEBIAN_IMAGE=localhost/tracee-base:debian12
DEBIAN_SUITE=bookworm
DEBIAN_MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

export CONTAINERS_CONF=$PODMAN_DIR/containers.conf
export CONTAINERS_STORAGE_CONF=$PODMAN_DIR/storage.conf

die() {
	echo "Cannot set up podman: $*" >&2
	exit 2
}

# podman's overlay driver cannot stack on overlayfs (a container or chroot whose root is one):
# there it mounts through fuse-overlayfs, or copies layers (vfs) when FUSE is missing.
storage_mode() {
	if [ "$(stat -f -c %T "$PODMAN_DIR/storage" 2>/dev/null)" != overlayfs ]; then
		echo overlay
	elif [ -c /dev/fuse ]; then
		echo fuse-overlayfs
	else
		echo vfs
	fi
}

install_missing() { # install_missing <storage mode>
	local pkgs=()
	[ "$1" != fuse-overlayfs ] || command -v fuse-overlayfs >/dev/null 2>&1 || pkgs+=(fuse-overlayfs)
	command -v podman >/dev/null 2>&1 || pkgs+=(podman)
	command -v runc >/dev/null 2>&1 || pkgs+=(runc)
	command -v conmon >/dev/null 2>&1 || pkgs+=(conmon)
	[ -x /bin/busybox ] && /bin/busybox --list 2>/dev/null | grep -qx sh || pkgs+=(busybox-static)
	[ ${#pkgs[@]} -eq 0 ] && return 0
	if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
		die "missing ${pkgs[*]} (as root: apt-get install -y ${pkgs[*]})"
	fi
	echo "installing ${pkgs[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null || die "apt-get update failed"
	apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null ||
		die "apt-get install ${pkgs[*]} failed"
}

write_if_changed() { # write_if_changed <file> (content on stdin)
	local tmp
	tmp=$(mktemp)
	cat >"$tmp"
	if cmp -s "$tmp" "$1"; then rm -f "$tmp"; else mv "$tmp" "$1"; fi
}

setup() {
	local mode
	mkdir -p "$PODMAN_DIR/storage" "$PODMAN_DIR/run" "$PODMAN_DIR/tmp"
	mode=$(storage_mode)
	install_missing "$mode"
	write_if_changed "$CONTAINERS_CONF" <<EOF
# tracee-ts's podman (tools/podman.sh): used through CONTAINERS_CONF only.
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
netns = "none"

[engine]
cgroup_manager = "cgroupfs"
runtime = "runc"
events_logger = "file"
tmp_dir = "$PODMAN_DIR/tmp"
EOF
	{
		echo "[storage]"
		if [ "$mode" = vfs ]; then echo 'driver = "vfs"'; else echo 'driver = "overlay"'; fi
		echo "graphroot = \"$PODMAN_DIR/storage\""
		echo "runroot = \"$PODMAN_DIR/run\""
		if [ "$mode" = fuse-overlayfs ]; then
			echo "[storage.options.overlay]"
			echo "mount_program = \"$(command -v fuse-overlayfs)\""
		fi
	} | write_if_changed "$CONTAINERS_STORAGE_CONF"
}

image_exists() {
	podman image exists "$1" 2>/dev/null
}

image_busybox() {
	setup
	image_exists "$BUSYBOX_IMAGE" && return 0
	local rootfs
	rootfs=$(mktemp -d)
	mkdir -p "$rootfs"/{bin,etc,proc,sys,dev,tmp,root}
	cp /bin/busybox "$rootfs/bin/busybox"
	for applet in $(/bin/busybox --list); do
		[ -e "$rootfs/bin/$applet" ] || ln -s busybox "$rootfs/bin/$applet"
	done
	echo "root:x:0:0:root:/root:/bin/sh" >"$rootfs/etc/passwd"
	echo "root:x:0:" >"$rootfs/etc/group"
	tar -C "$rootfs" -c . | podman import -q --change 'CMD ["/bin/sh"]' - "$BUSYBOX_IMAGE" >/dev/null
	rm -rf "$rootfs"
	echo "built $BUSYBOX_IMAGE"
}

image_debian() {
	setup
	image_exists "$DEBIAN_IMAGE" && return 0
	local tarball=$PODMAN_DIR/debian12-minbase.tar
	if [ ! -s "$tarball" ]; then
		command -v debootstrap >/dev/null 2>&1 || {
			[ "$(id -u)" = 0 ] || die "debootstrap is missing (apt-get install debootstrap)"
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null ||
				die "apt-get install debootstrap failed"
		}
		local rootfs=$PODMAN_DIR/debian12-rootfs
		rm -rf "$rootfs"
		echo "debootstrap $DEBIAN_SUITE (minbase) from $DEBIAN_MIRROR"
		debootstrap --variant=minbase "$DEBIAN_SUITE" "$rootfs" "$DEBIAN_MIRROR" >"$PODMAN_DIR/debootstrap.log" 2>&1 ||
			die "debootstrap failed (see $PODMAN_DIR/debootstrap.log)"
		rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
		tar -C "$rootfs" -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
		rm -rf "$rootfs"
	fi
	podman import -q --change 'CMD ["/bin/bash"]' "$tarball" "$DEBIAN_IMAGE" >/dev/null
	echo "built $DEBIAN_IMAGE"
}

service_start() { # service_start <socket>
	local sock=$1 pidfile=$1.pid
	setup
	if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then return 0; fi
	mkdir -p "$(dirname "$sock")"
	rm -f "$sock"
	podman system service --time=0 "unix://$sock" >"$sock.log" 2>&1 &
	echo $! >"$pidfile"
	for _ in $(seq 100); do
		[ -S "$sock" ] && return 0
		sleep 0.1
	done
	die "podman system service did not open $sock (see $sock.log)"
}

service_stop() { # service_stop <socket>
	local pidfile=$1.pid
	[ -f "$pidfile" ] || return 0
	kill "$(cat "$pidfile")" 2>/dev/null || true
	rm -f "$pidfile" "$1.log"
}

case "${1:-}" in
setup) setup ;;
env) echo "export CONTAINERS_CONF=$CONTAINERS_CONF CONTAINERS_STORAGE_CONF=$CONTAINERS_STORAGE_CONF" ;;
image-busybox) image_busybox ;;
image-debian) image_debian ;;
service-start) service_start "${2:?socket path}" ;;
service-stop) service_stop "${2:?socket path}" ;;
*)
	echo "usage: $0 setup|env|image-busybox|image-debian|service-start SOCK|service-stop SOCK" >&2
	exit 2
	;;
esac
