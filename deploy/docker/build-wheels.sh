#!/usr/bin/env bash
# Wheels of the app and of every runtime dependency, for the image's builder stage, built on
# the host so that the image build needs no package index (deploy/docker/wheels/).
# The host interpreter must have the image's Python minor version (binary wheels are per
# CPython version); IMAGE_PYTHON says which one (default 3.11, the Debian bookworm base's).
set -euo pipefail
cd "$(dirname "$0")/../.."

python="${PYTHON:-.venv/bin/python}"
image_python="${IMAGE_PYTHON:-3.11}"
out="deploy/docker/wheels"
app_out="deploy/docker/app-wheel"

host_python="$("${python}" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
if [ "${host_python}" != "${image_python}" ]; then
    echo "build-wheels.sh: ${python} is Python ${host_python}, the image runs ${image_python};" \
        "set PYTHON to a ${image_python} interpreter or IMAGE_PYTHON to match the base" >&2
    exit 1
fi
# The image installs every wheel of the directory: start from an empty one so that only the
# current resolution is there (pip's cache makes the rebuild cheap, and cached wheels are
# byte-identical, so the image's dependency layer stays cached).
rm -rf "${out}" "${app_out}"
mkdir -p "${out}" "${app_out}"
# async-timeout: redis needs it on Python < 3.11.3 (Debian bookworm has 3.11.2); a newer host
# interpreter would leave it out of the resolution.
"${python}" -m pip wheel -q -c requirements/constraints.txt --wheel-dir "${out}" \
    . 'async-timeout>=4.0.3'
mv "${out}"/claude_tui-*.whl "${app_out}/"
printf '# Built by build-wheels.sh; never committed.\n*\n!.gitignore\n' > "${out}/.gitignore"
printf '# Built by build-wheels.sh; never committed.\n*\n!.gitignore\n' > "${app_out}/.gitignore"
# Fixed times: the image build's layer cache keys on them, and the content is what matters.
touch -h -d '2000-01-01T00:00:00Z' "${out}" "${out}"/* "${out}/.gitignore" "${app_out}/.gitignore"
ls "${app_out}"/claude_tui-*.whl
