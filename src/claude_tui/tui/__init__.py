"""The terminal UI (Textual). It talks to the platform only through ``claude_tui.client``."""
