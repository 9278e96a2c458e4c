"""Settings."""

DEFAULT_BATCH = 100
