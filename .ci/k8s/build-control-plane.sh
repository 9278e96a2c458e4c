#!/usr/bin/env bash
# Build a Kubernetes control plane (apiserver, controller-manager, scheduler, kubectl) from
# Debian's own source package, once per machine, for the deploy tool's Kubernetes tier.
# Output: $K8S_CACHE/bin (default /var/cache/claude-tui/k8s). Needs root and Debian's archive.
set -euo pipefail

cache="${K8S_CACHE:-/var/cache/claude-tui/k8s}"
want=(kube-apiserver kube-controller-manager kube-scheduler kubectl)
have=1
for b in "${want[@]}"; do [ -x "${cache}/bin/${b}" ] || have=0; done
if [ "${have}" = 1 ] && command -v etcd >/dev/null; then
    echo "control plane cached in ${cache}/bin"
    exit 0
fi

export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq --no-install-recommends golang-go etcd-server rsync jq openssl dpkg-dev \
    >/dev/null

work="$(mktemp -d /var/tmp/ctui-k8s-build.XXXXXX)"
trap 'rm -rf "${work}"' EXIT
mkdir -p "${work}/lists/partial" "${work}/src"
# Signed by Debian's archive key by path, so this also works where apt does not trust it
# globally (an Ubuntu CI runner with debian-archive-keyring installed).
echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main" \
    > "${work}/sources.list"
apt_private=(-o "Dir::Etc::sourcelist=${work}/sources.list" -o "Dir::Etc::sourceparts=-"
    -o "Dir::State::Lists=${work}/lists" -o "APT::Get::List-Cleanup=0")
apt-get "${apt_private[@]}" update -qq
(cd "${work}/src" && apt-get "${apt_private[@]}" source --download-only kubernetes >/dev/null)
dsc="$(find "${work}/src" -maxdepth 1 -name "kubernetes_*.dsc" | sed -n 1p)"
dpkg-source --no-check -x "${dsc}" "${work}/tree" >/dev/null

cd "${work}/tree"
GOPROXY=off GOFLAGS=-mod=vendor CGO_ENABLED=0 make WHAT="cmd/kube-apiserver cmd/kube-controller-manager cmd/kube-scheduler cmd/kubectl" >/dev/null
mkdir -p "${cache}/bin"
for b in "${want[@]}"; do
    install -m 0755 "$(find _output -type f -name "${b}" -perm -u+x | sed -n 1p)" "${cache}/bin/${b}"
done
"${cache}/bin/kube-apiserver" --version
echo "control plane built into ${cache}/bin"
