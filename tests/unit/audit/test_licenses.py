"""License identification to SPDX, and the policy's verdict on expressions."""

from __future__ import annotations

import pytest

from claude_tui.audit.environment import Distribution
from claude_tui.audit.licenses import identify, judge
from claude_tui.audit.policy import LicensePolicy


def dist(
    expression: str = "",
    license: str = "",
    classifiers: tuple[str, ...] = (),
    texts: tuple[str, ...] = (),
) -> Distribution:
    return Distribution("pkg", "1.0", expression, license, classifiers, texts)


@pytest.mark.parametrize(
    ("distribution", "expected", "origin"),
    [
        (dist(expression="MIT OR Apache-2.0"), "MIT OR Apache-2.0", "License-Expression"),
        (dist(license="Apache 2.0"), "Apache-2.0", "License field"),
        (dist(license="BSD-3-Clause"), "BSD-3-Clause", "License field"),
        (
            dist(classifiers=("License :: OSI Approved :: GNU Affero General Public License v3",)),
            "AGPL-3.0-only",
            "classifiers",
        ),
        (
            dist(
                classifiers=(
                    "License :: OSI Approved :: MIT License",
                    "License :: OSI Approved :: Apache Software License",
                )
            ),
            "Apache-2.0 OR MIT",
            "classifiers",
        ),
        (
            dist(
                license="UNKNOWN",
                texts=("GNU LESSER GENERAL PUBLIC LICENSE\n   Version 3, 29 June 2007",),
            ),
            "LGPL-3.0-only",
            "license file",
        ),
        (
            dist(
                license="Copyright (c) 2020\n\n"
                "Permission is hereby granted, free of charge, to any person"
            ),
            "MIT",
            "License field",
        ),
        (dist(), None, "none"),
        (dist(license="Proprietary; all rights reserved"), None, "none"),
    ],
)
def test_identify(distribution: Distribution, expected: str | None, origin: str) -> None:
    info = identify(distribution)
    assert (info.expression, info.origin) == (expected, origin)


@pytest.mark.parametrize(
    ("expression", "verdict", "offending"),
    [
        ("MIT", "allow", []),
        ("GPL-3.0-only", "deny", ["GPL-3.0-only"]),
        ("MIT OR GPL-3.0-only", "allow", []),
        ("MIT AND LGPL-3.0-only", "review", ["LGPL-3.0-only"]),
        ("LGPL-2.1-or-later AND AGPL-3.0-only", "deny", ["LGPL-2.1-or-later", "AGPL-3.0-only"]),
        ("GPL-2.0-or-later WITH Classpath-exception-2.0", "deny", ["GPL-2.0-or-later"]),
    ],
)
def test_judge(expression: str, verdict: str, offending: list[str]) -> None:
    assert judge(expression, LicensePolicy()) == (verdict, offending)


def test_allow_list_accepts_a_copyleft_license() -> None:
    assert judge("GPL-3.0-only", LicensePolicy(allow=("GPL-3.0-only",)))[0] == "allow"
