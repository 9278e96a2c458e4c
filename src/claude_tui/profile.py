"""The deployment profiles and the settings error, without the settings machinery.

Every command's options name a profile, and every command turns a ``SettingsError`` into one
line: kept apart from ``claude_tui.settings`` so that ``claude-tui --help`` and the commands
that never read settings do not load pydantic-settings.
"""

from __future__ import annotations

from enum import StrEnum


class Profile(StrEnum):
    DEVELOPMENT = "development"
    STAGING = "staging"
    PRODUCTION = "production"


class SettingsError(Exception):
    """The configuration cannot be used; the message says what to change."""
