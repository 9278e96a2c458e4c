#!/usr/bin/env bash
# tmux for the terminal UI's smoke test (a person at a real terminal).
set -euo pipefail
command -v tmux >/dev/null || apt-get install -y -qq --no-install-recommends tmux
