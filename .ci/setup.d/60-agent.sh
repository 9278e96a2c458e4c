#!/usr/bin/env bash
# The AI agent: git for task branches, ripgrep for the search tool (a Python search is the
# fallback where it is missing). The sandbox (bubblewrap) comes with the validation setup.
set -euo pipefail

need=()
command -v git >/dev/null || need+=(git)
command -v rg >/dev/null || need+=(ripgrep)

if [ ${#need[@]} -gt 0 ]; then
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
