"""Fixtures of the audit's unit tests: the generated secrets and the fixture directory."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "audit"
if str(FIXTURES) not in sys.path:
    sys.path.insert(0, str(FIXTURES))


@pytest.fixture
def audit_fixtures() -> Path:
    return FIXTURES
