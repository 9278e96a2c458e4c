"""Logs, metrics and traces. Imported by every layer; imports none of them."""
