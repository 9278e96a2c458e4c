#!/usr/bin/env bash
# Build the local base image (Debian bookworm with Python 3.11, tini and bubblewrap) from Debian's
# archive with debootstrap, for machines that cannot pull from an image registry.
# Usage: make-base-image.sh [IMAGE]   (default localhost/claude-tui-base:bookworm)
# Idempotent: does nothing when the image exists (FORCE=1 rebuilds it).
set -euo pipefail

image="${1:-localhost/claude-tui-base:bookworm}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
here="$(cd "$(dirname "$0")" && pwd)"
export CONTAINERS_CONF="${CONTAINERS_CONF:-${here}/containers.conf}"

if [ "${FORCE:-0}" != "1" ] && podman image exists "${image}"; then
    echo "base image ${image} already present"
    exit 0
fi
if [ "$(id -u)" != "0" ]; then
    echo "make-base-image.sh: debootstrap needs root" >&2
    exit 1
fi

rootfs="$(mktemp -d /var/tmp/claude-tui-rootfs.XXXXXX)"
trap 'rm -rf "${rootfs}"' EXIT
debootstrap --variant=minbase --include=python3,python3-venv,python3-pip,tini,bubblewrap \
    bookworm "${rootfs}" "${mirror}" >/dev/null
# Keep the image small: package caches and lists are not needed at run time.
rm -rf "${rootfs}"/var/cache/apt/archives/*.deb "${rootfs}"/var/lib/apt/lists/*
tar -C "${rootfs}" -c . | podman import \
    --change 'CMD ["/bin/bash"]' --change 'ENV LANG=C.UTF-8' - "${image}" >/dev/null
echo "base image ${image} built"
