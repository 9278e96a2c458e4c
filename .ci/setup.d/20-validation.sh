#!/usr/bin/env bash
# The validation engine's sandbox (bubblewrap), git (for --changed-since), and the real
# toolchains it checks JavaScript and Go syntax with (node, gofmt).
set -euo pipefail

need=()
command -v bwrap >/dev/null || need+=(bubblewrap)
command -v git >/dev/null || need+=(git)
command -v node >/dev/null || need+=(nodejs)
command -v gofmt >/dev/null || need+=(golang-go)

if [ ${#need[@]} -gt 0 ]; then
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
# bwrap must be able to create namespaces here, or execution falls back to a plain subprocess.
bwrap --ro-bind / / --unshare-net --die-with-parent true
