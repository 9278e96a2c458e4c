"""Validate the Prometheus-operator resources of rendered manifests against the CRD schemas.

kubernetes-validate knows the built-in kinds only: PrometheusRule and ServiceMonitor are checked
here, with the validators that the npm package @kubernetes-models/prometheus-operator generates
from the operator's CRDs (installed by .ci/setup.d/40-containers.sh under
``$CLAUDE_TUI_K8S_TOOLS/node``). Usage: ``validate_operator_resources.py RENDERED.yaml...``.
A file without such resources, or a validator that is not installed, is an error: a check that
could not run never passes.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

GROUP = "monitoring.coreos.com/"
HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "validate-operator-resources.mjs"
PACKAGE = Path("node_modules") / "@kubernetes-models" / "prometheus-operator"


def models_dir() -> Path:
    return Path(os.environ.get("CLAUDE_TUI_K8S_TOOLS", "/opt/claude-tui/k8s-tools")) / "node"


def operator_resources(path: Path) -> list[dict[str, Any]]:
    documents = yaml.safe_load_all(path.read_text(encoding="utf-8"))
    return [
        doc
        for doc in documents
        if isinstance(doc, dict) and str(doc.get("apiVersion", "")).startswith(GROUP)
    ]


def validate(paths: list[Path]) -> tuple[bool, list[str]]:
    """Whether every operator resource of ``paths`` is valid, and the report lines."""
    node = shutil.which("node")
    models = models_dir()
    if node is None or not (models / PACKAGE).is_dir():
        return False, [
            f"cannot validate: needs node and {PACKAGE} under {models} "
            "(run .ci/setup.d/40-containers.sh)"
        ]
    lines: list[str] = []
    ok = True
    for path in paths:
        resources = operator_resources(path)
        if not resources:
            return False, [*lines, f"{path}: no {GROUP.rstrip('/')} resource to validate"]
        result = subprocess.run(  # noqa: S603 - our script, no shell, fixed arguments
            [node, str(SCRIPT), str(models)],
            input=json.dumps(resources),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        kinds = sorted({f"{r['kind']}/{r['metadata']['name']}" for r in resources})
        if result.returncode == 0:
            lines.append(f"{path}: {len(resources)} valid ({', '.join(kinds)})")
        else:
            ok = False
            problems = (result.stdout + result.stderr).strip().splitlines()
            lines += [f"{path}: {line}" for line in problems]
    return ok, lines


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: validate_operator_resources.py RENDERED.yaml...", file=sys.stderr)
        return 2
    missing = [arg for arg in argv if not Path(arg).is_file()]
    if missing:
        print(f"no such file: {', '.join(missing)}", file=sys.stderr)
        return 2
    ok, lines = validate([Path(arg) for arg in argv])
    print("\n".join(lines), file=sys.stdout if ok else sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
