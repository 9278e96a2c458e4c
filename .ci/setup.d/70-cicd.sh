#!/usr/bin/env bash
# CI/CD gates: ShellCheck (Debian) for the pre-commit hooks and actionlint's run: checks, and
# curl for the deployment smoke test. The other linters (actionlint, zizmor, hadolint,
# gitleaks, pre-commit, commitizen, PyInstaller) come from the venv's dev extra.
set -euo pipefail

need=()
command -v shellcheck >/dev/null || need+=(shellcheck)
command -v curl >/dev/null || need+=(curl)
command -v git >/dev/null || need+=(git)

if [ ${#need[@]} -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
shellcheck --version | sed -n 2p
