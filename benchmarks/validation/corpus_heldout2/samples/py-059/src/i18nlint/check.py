"""Compare translation catalogs (flat JSON) against the source language."""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

PLACEHOLDER = re.compile(r"\{(\w+)\}")

SEVERITY = {
    "missing": "error",
    "placeholder-mismatch": "error",
    "extra": "warning"
    "untranslated": "warning",
}


def load_catalog(path: Path) -> dict[str, str]:
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise ValueError(f"{path}: expected a flat object of strings")
    return data


def compare(source: dict[str, str], target: dict[str, str]) -> list[tuple[str, str, str]]:
    problems: list[tuple[str, str, str]] = []
    for key, text in source.items():
        if key not in target:
            problems.append(("missing", key, "no translation"))
            continue
        if set(PLACEHOLDER.findall(text)) != set(PLACEHOLDER.findall(target[key])):
            problems.append(("placeholder-mismatch", key, f"{text!r} vs {target[key]!r}"))
        elif target[key] == text and len(text) > 3:
            problems.append(("untranslated", key, "same as source"))
    for key in target.keys() - source.keys():
        problems.append(("extra", key, "not in source catalog"))
    return problems


def fill_missing(source: dict[str, str], target: dict[str, str]) -> dict[str, str]:
    """Target catalog with missing keys copied from the source, marked for translators."""
    out = dict(target)
    for key, text in source.items():
        out.setdefault(key, f"[untranslated:{key}] {text}")
    return dict(sorted(out.items()))


def write_catalog(path: Path, catalog: dict[str, str]) -> None:
    path.write_text(json.dumps(catalog, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def coverage(source: dict[str, str], target: dict[str, str]) -> float:
    if not source:
        return 1.0
    done = sum(1 for k, v in source.items() if k in target and target[k] != v)
    return done / len(source)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) < 2:
        print("usage: i18nlint SOURCE.json TARGET.json...", file=sys.stderr)
        return 2
    fix = "--fix" in args
    args = [a for a in args if a != "--fix"]
    source = load_catalog(Path(args[0]))
    errors = 0
    for name in args[1:]:
        target = load_catalog(Path(name))
        print(f"{name}: {coverage(source, target) * 100:.1f}% translated")
        if fix:
            write_catalog(Path(name), fill_missing(source, target))
        for kind, key, detail in compare(source, target):
            level = SEVERITY[kind]
            errors += level == "error"
            print(f"{name}: {level}: {kind}: {key}: {detail}")
    return 1 if errors else 0
