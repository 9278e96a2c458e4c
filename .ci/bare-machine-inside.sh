#!/usr/bin/env bash
# Inside the bare container of .ci/bare-machine.sh, or on any fresh Debian/Ubuntu machine as
# root or a user with sudo: install the README's prerequisites line and nothing else, then run
# the README's commands non-interactively. `--prerequisites` only prints the packages it names.
set -euo pipefail
cd "$(dirname "$0")/.."

# The one line of the README's quick start, e.g. `apt-get install git make python3-venv`.
packages="$(sed -n 's/^\(sudo \)\{0,1\}apt-get install \([a-z0-9.+ -]*[a-z0-9]\) *#.*/\2/p' README.md | sed -n 1p)"
if [ -z "${packages}" ]; then
    echo "bare-machine: README.md has no 'apt-get install ...  # ...' prerequisites line" >&2
    exit 1
fi
if [ "${1:-}" = "--prerequisites" ]; then
    echo "${packages}"
    exit 0
fi

step() {
    echo "== bare-machine: $*"
}

as_root=()
[ "$(id -u)" = 0 ] || as_root=(sudo DEBIAN_FRONTEND=noninteractive)
step "apt-get install ${packages}   (the README's prerequisites)"
"${as_root[@]}" apt-get update -qq
# Word splitting is wanted: the line names several packages.
# shellcheck disable=SC2086
"${as_root[@]}" apt-get install -y -qq ${packages} >/dev/null
python3 --version

step "make dev-setup"
started=$(date +%s)
make dev-setup
echo "dev-setup took $(( $(date +%s) - started )) s"

step "claude-tui --help"
.venv/bin/claude-tui --help >/dev/null

step "headless start of the server to /ready (make serve)"
data="$(mktemp -d)"
port=18765
CLAUDE_TUI_DATA_DIR="${data}" setsid make serve HOST=127.0.0.1 PORT="${port}" \
    >"${data}/serve.log" 2>&1 &
server=$!
ready=0
for _ in $(seq 1 90); do
    if .venv/bin/claude-tui health-check --url "http://127.0.0.1:${port}" >/dev/null 2>&1; then
        ready=1
        break
    fi
    sleep 1
done
kill -- "-${server}" 2>/dev/null || true
wait "${server}" 2>/dev/null || true
if [ "${ready}" != 1 ]; then
    echo "bare-machine: the server did not answer /ready within 90 s; its log:" >&2
    cat "${data}/serve.log" >&2
    exit 1
fi
echo "/ready answered 200"

step "make test"
started=$(date +%s)
make test
echo "make test took $(( $(date +%s) - started )) s"
