"""Geography helpers."""
