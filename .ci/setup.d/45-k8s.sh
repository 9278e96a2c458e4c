#!/usr/bin/env bash
# The deploy tool's Kubernetes tier: a real control plane (kube-apiserver, controller-manager,
# scheduler, kubectl 1.20) built from Debian's source package, once per machine (5 to 25
# minutes on 2 cores), cached in ${K8S_CACHE:-/var/cache/claude-tui/k8s}/bin; etcd and openssl
# from the archive. tests/integration/k8s/cluster.py runs them on loopback.
set -euo pipefail
cd "$(dirname "$0")/../.."

need=()
command -v openssl >/dev/null || need+=(openssl)
[ -r /usr/share/keyrings/debian-archive-keyring.gpg ] || need+=(debian-archive-keyring)
if [ ${#need[@]} -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
bash .ci/k8s/build-control-plane.sh
etcd --version | sed -n 1p
"${K8S_CACHE:-/var/cache/claude-tui/k8s}/bin/kube-apiserver" --version
