#!/usr/bin/env bash
# Wheels of the audit's external scanners (requirements/scanners.txt), built on the host for the
# image's optional `audit` target (deploy/docker/scanner-wheels/). The default image does not
# need them: there the audit reports each of these scanners as "not installed".
set -euo pipefail
cd "$(dirname "$0")/../.."

python="${PYTHON:-.venv/bin/python}"
out="deploy/docker/scanner-wheels"

rm -rf "${out}"
mkdir -p "${out}"
"${python}" -m pip wheel -q --wheel-dir "${out}" -r requirements/scanners.txt
printf '# Built by build-scanner-wheels.sh; never committed.\n*\n!.gitignore\n' > "${out}/.gitignore"
# Fixed times: the image build's layer cache keys on them, and the content is what matters.
touch -h -d '2000-01-01T00:00:00Z' "${out}" "${out}"/* "${out}/.gitignore"
wheels=("${out}"/*.whl)
echo "scanner wheels: ${#wheels[@]} in ${out}"
