#!/usr/bin/env bash
# The README's promise on a bare Debian 12: start a container made from nothing but Debian's
# minimal base, copy this checkout in, install only the README's prerequisites line, then
# `make dev-setup`, `claude-tui --help`, a headless start of the server to /ready, and
# `make test`; any failure fails this script. Tiers whose tools are missing must skip with
# their reason there (CLAUDE_TUI_REQUIRE_SERVICES is not set inside).
# Needs root, podman and debootstrap (.ci/setup.d/40-containers.sh); the bare image is made
# once per machine from Debian's archive (no registry is reachable).
set -euo pipefail
cd "$(dirname "$0")/.."

image="${BARE_IMAGE:-localhost/claude-tui-bare:bookworm}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
host_ca="${HOST_CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}"
export CONTAINERS_CONF="${CONTAINERS_CONF:-${PWD}/deploy/docker/containers.conf}"

if [ "$(id -u)" != "0" ]; then
    echo "bare-machine: needs root (rootful podman, debootstrap)" >&2
    exit 1
fi
for tool in podman debootstrap git; do
    command -v "${tool}" >/dev/null \
        || { echo "bare-machine: ${tool} not installed: bash .ci/setup.d/40-containers.sh" >&2; exit 1; }
done
[ -r "${host_ca}" ] || { echo "bare-machine: no CA bundle at ${host_ca} for pip" >&2; exit 1; }

started=$(date +%s)
if ! podman image exists "${image}"; then
    # Nothing but Debian's minimal base: no Python, no git, no make. The project's own base
    # image already carries Python, so it would hide a missing prerequisite.
    rootfs="$(mktemp -d /var/tmp/claude-tui-bare.XXXXXX)"
    debootstrap --variant=minbase bookworm "${rootfs}" "${mirror}" >/dev/null
    rm -rf "${rootfs}"/var/cache/apt/archives/*.deb "${rootfs}"/var/lib/apt/lists/*
    tar -C "${rootfs}" -c . | podman import --change 'CMD ["/bin/bash"]' - "${image}" >/dev/null
    rm -rf "${rootfs}"
    echo "bare-machine: image ${image} made in $(( $(date +%s) - started )) s"
fi

# A clone of HEAD, as a newcomer's `git clone` gives them: committed files and the history,
# nothing of this machine's venv, caches or reports.
stage="$(mktemp -d /var/tmp/claude-tui-bare-src.XXXXXX)"
trap 'rm -rf "${stage}"' EXIT
git clone --quiet --no-hardlinks "${PWD}" "${stage}/claude-tui"
chmod -R a+rX "${stage}"

name="ctui-bare-$$"
echo "bare-machine: running the README's commands in ${name} (${image})"
# pip reaches PyPI through this host's CA bundle, mounted beside the image's own (never over
# it); apt uses Debian's mirror over plain HTTP.
status=0
timeout "${BARE_TIMEOUT:-3600}" podman run --rm --name "${name}" \
    -v "${stage}/claude-tui:/checkout:ro" \
    -v "${host_ca}:/etc/ssl/host-ca.crt:ro" \
    -e PIP_CERT=/etc/ssl/host-ca.crt \
    -e PIP_DEFAULT_TIMEOUT=180 \
    -e LANG=C.UTF-8 \
    -e DEBIAN_FRONTEND=noninteractive \
    "${image}" \
    bash -c 'cp -a /checkout/. /root/claude-tui && exec bash /root/claude-tui/.ci/bare-machine-inside.sh' \
    || status=$?
echo "bare-machine: $( [ "${status}" = 0 ] && echo passed || echo "FAILED (exit ${status})" )" \
    "in $(( $(date +%s) - started )) s"
exit "${status}"
