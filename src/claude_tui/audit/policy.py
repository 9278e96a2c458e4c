"""The project's audit policy, read from ``.claude-tui/audit.toml``.

```toml
fail_on = "high"                      # default threshold for the exit code
[paths]
exclude = ["tests/fixtures/**"]       # fnmatch patterns on paths relative to the project
[scanners]
required = ["secrets", "dependencies", "licenses", "code.bandit"]
disabled = []
semgrep_rules = ["rules/semgrep"]     # optional: semgrep rule files or directories to add
[licenses]
deny = ["AGPL-*", "GPL-*"]
review = ["LGPL-*", "MPL-*"]
allow = ["LGPL-2.1-or-later"]         # accepted exceptions, beats deny and review
unknown = "low"                       # severity of a license that cannot be identified
[[ignore]]
rule = "B603"                         # rule id (fnmatch pattern)
path = "src/tools/*"                  # optional: only findings in these files
package = "some-dist"                 # optional: only findings about this package
reason = "arguments are fixed lists"  # required
expires = 2027-01-31                  # optional; an expired ignore stops applying
```
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from claude_tui.audit.model import Finding, Severity

POLICY_FILE = Path(".claude-tui") / "audit.toml"
# Scanner names, and the groups that select several (``code`` is ``code.*``).
SCANNERS = (
    "secrets",
    "dependencies",
    "licenses",
    "code",
    "code.bandit",
    "code.rules",
    "code.semgrep",
    "infra",
    "infra.hadolint",
    "infra.trivy",
    "infra.zizmor",
    "infra.actionlint",
)
# bandit is a dependency of this package; the other tools are used when installed.
DEFAULT_REQUIRED = ("secrets", "dependencies", "licenses", "code.bandit")
DEFAULT_DENY = ("AGPL-*", "GPL-*", "SSPL-*")
DEFAULT_REVIEW = ("LGPL-*", "MPL-*", "EPL-*", "CDDL-*", "EUPL-*", "OSL-*")


class PolicyError(Exception):
    """The policy file cannot be used; the message names the file and the field."""


@dataclass(frozen=True)
class Ignore:
    """A per-rule exception with its justification."""

    rule: str
    reason: str
    path: str | None = None
    package: str | None = None
    expires: dt.date | None = None

    def expired(self, today: dt.date) -> bool:
        return self.expires is not None and self.expires < today

    def matches(self, finding: Finding) -> bool:
        if not fnmatch.fnmatchcase(finding.rule_id, self.rule):
            return False
        if self.package is not None:
            package = str(finding.properties.get("package", ""))
            if not fnmatch.fnmatchcase(package.lower(), self.package.lower()):
                return False
        if self.path is None:
            return True
        return finding.path is not None and path_matches(finding.path, self.path)


@dataclass(frozen=True)
class LicensePolicy:
    """Which SPDX licenses are denied, need review, or are explicitly accepted."""

    deny: tuple[str, ...] = DEFAULT_DENY
    review: tuple[str, ...] = DEFAULT_REVIEW
    allow: tuple[str, ...] = ()
    unknown: Severity = Severity.LOW

    def verdict(self, spdx_id: str) -> str:
        """``allow``, ``deny`` or ``review`` for one license identifier."""
        if any(fnmatch.fnmatchcase(spdx_id, p) for p in self.allow):
            return "allow"
        if any(fnmatch.fnmatchcase(spdx_id, p) for p in self.deny):
            return "deny"
        if any(fnmatch.fnmatchcase(spdx_id, p) for p in self.review):
            return "review"
        return "allow"


@dataclass(frozen=True)
class Policy:
    """Everything the project says about how it is audited."""

    fail_on: Severity = Severity.HIGH
    exclude: tuple[str, ...] = ()
    required: tuple[str, ...] = DEFAULT_REQUIRED
    disabled: tuple[str, ...] = ()
    licenses: LicensePolicy = field(default_factory=LicensePolicy)
    ignores: tuple[Ignore, ...] = ()
    source: Path | None = None
    # Semgrep rule files or directories, relative to the project: semgrep runs only for these.
    semgrep_rules: tuple[str, ...] = ()

    def excluded(self, relative_path: str) -> bool:
        return any(path_matches(relative_path, pattern) for pattern in self.exclude)

    def ignore_for(self, finding: Finding, today: dt.date) -> Ignore | None:
        for ignore in self.ignores:
            if not ignore.expired(today) and ignore.matches(finding):
                return ignore
        return None

    def expired_ignores(self, today: dt.date) -> list[Ignore]:
        return [i for i in self.ignores if i.expired(today)]


def path_matches(relative_path: str, pattern: str) -> bool:
    """fnmatch on a POSIX relative path; a pattern naming a directory covers what is inside."""
    pattern = pattern.rstrip("/")
    if fnmatch.fnmatchcase(relative_path, pattern):
        return True
    return fnmatch.fnmatchcase(relative_path, pattern.removesuffix("/**") + "/*")


def load_policy(project: Path, explicit: Path | None = None) -> Policy:
    """The policy of ``project`` (``explicit`` overrides the default location); defaults if none."""
    path = explicit if explicit is not None else project / POLICY_FILE
    if not path.is_file():
        if explicit is not None:
            raise PolicyError(f"policy file {path} does not exist")
        return Policy()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise PolicyError(f"policy file {path} cannot be read: {exc}") from exc
    return parse_policy(data, path)


def _strings(
    data: dict[str, Any], key: str, where: str, default: tuple[str, ...]
) -> tuple[str, ...]:
    value = data.get(key, default)
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise PolicyError(f"{where}.{key} must be a list of strings")
    return tuple(value)


def _table(data: dict[str, Any], key: str, source: Path) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise PolicyError(f"{source}: [{key}] must be a table")
    return value


def _severity(value: object, where: str) -> Severity:
    if not isinstance(value, str):
        raise PolicyError(f"{where} must be a severity name")
    try:
        return Severity.parse(value)
    except ValueError as exc:
        raise PolicyError(f"{where}: {exc}") from exc


def parse_policy(data: dict[str, Any], source: Path) -> Policy:
    """Validate the decoded TOML; every mistake is reported with the field it is in."""
    unknown_keys = set(data) - {"fail_on", "paths", "scanners", "licenses", "ignore"}
    if unknown_keys:
        raise PolicyError(f"{source}: unknown key(s) {', '.join(sorted(unknown_keys))}")
    fail_on = _severity(data.get("fail_on", "high"), f"{source}: fail_on")
    paths = _table(data, "paths", source)
    scanners = _table(data, "scanners", source)
    required = _strings(scanners, "required", f"{source}: scanners", DEFAULT_REQUIRED)
    disabled = _strings(scanners, "disabled", f"{source}: scanners", ())
    semgrep_rules = _strings(scanners, "semgrep_rules", f"{source}: scanners", ())
    unknown_scanner_keys = set(scanners) - {"required", "disabled", "semgrep_rules"}
    if unknown_scanner_keys:
        raise PolicyError(
            f"{source}: unknown key(s) in [scanners]: {', '.join(sorted(unknown_scanner_keys))}"
        )
    for name in (*required, *disabled):
        if name not in SCANNERS:
            raise PolicyError(f"{source}: unknown scanner {name!r} (known: {', '.join(SCANNERS)})")
    lic = _table(data, "licenses", source)
    licenses = LicensePolicy(
        deny=_strings(lic, "deny", f"{source}: licenses", DEFAULT_DENY),
        review=_strings(lic, "review", f"{source}: licenses", DEFAULT_REVIEW),
        allow=_strings(lic, "allow", f"{source}: licenses", ()),
        unknown=_severity(lic.get("unknown", "low"), f"{source}: licenses.unknown"),
    )
    raw_ignores = data.get("ignore", [])
    if not isinstance(raw_ignores, list):
        raise PolicyError(f"{source}: ignore must be an array of tables ([[ignore]])")
    ignores: list[Ignore] = []
    for index, entry in enumerate(raw_ignores, start=1):
        where = f"{source}: ignore #{index}"
        if not isinstance(entry, dict):
            raise PolicyError(f"{where} must be a table")
        rule, reason = entry.get("rule"), entry.get("reason")
        if not isinstance(rule, str) or not rule:
            raise PolicyError(f"{where} needs a rule")
        if not isinstance(reason, str) or not reason.strip():
            raise PolicyError(f"{where} ({rule}) needs a reason")
        path, package = entry.get("path"), entry.get("package")
        if path is not None and not isinstance(path, str):
            raise PolicyError(f"{where} ({rule}): path must be a string")
        if package is not None and not isinstance(package, str):
            raise PolicyError(f"{where} ({rule}): package must be a string")
        unknown = set(entry) - {"rule", "reason", "path", "package", "expires"}
        if unknown:
            raise PolicyError(f"{where} ({rule}): unknown key(s) {', '.join(sorted(unknown))}")
        expires = entry.get("expires")
        if isinstance(expires, str):
            try:
                expires = dt.date.fromisoformat(expires)
            except ValueError as exc:
                raise PolicyError(f"{where} ({rule}): expires is not a date") from exc
        if expires is not None and not isinstance(expires, dt.date):
            raise PolicyError(f"{where} ({rule}): expires must be a date like 2027-01-31")
        ignores.append(
            Ignore(rule=rule, reason=reason.strip(), path=path, package=package, expires=expires)
        )
    return Policy(
        fail_on=fail_on,
        exclude=_strings(paths, "exclude", f"{source}: paths", ()),
        required=required,
        disabled=disabled,
        licenses=licenses,
        ignores=tuple(ignores),
        source=source,
        semgrep_rules=semgrep_rules,
    )
