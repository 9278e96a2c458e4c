"""Kustomize patch files are partial objects: trivy checks the base, not the patches."""

from __future__ import annotations

from pathlib import Path

from claude_tui.audit.infrastructure import kustomize_patches
from claude_tui.audit.policy import Policy
from claude_tui.audit.project import Project


def test_patch_files_of_every_syntax_are_found(tmp_path: Path) -> None:
    overlay = tmp_path / "k8s" / "overlays" / "prod"
    overlay.mkdir(parents=True)
    (overlay / "kustomization.yaml").write_text(
        "resources:\n  - ../../base\n  - extra.yaml\n"
        "patches:\n  - path: resources.yaml\n  - target:\n      kind: PVC\n"
        "    patch: |-\n      - op: replace\n        path: /spec/size\n"
        "patchesStrategicMerge:\n  - replicas.yml\n"
        "images:\n  - name: app\n"
    )
    for name in ("resources.yaml", "replicas.yml", "extra.yaml"):
        (overlay / name).write_text("kind: Deployment\n")
    project = Project.open(tmp_path, Policy())
    assert kustomize_patches(project) == {
        "k8s/overlays/prod/resources.yaml",
        "k8s/overlays/prod/replicas.yml",
    }
