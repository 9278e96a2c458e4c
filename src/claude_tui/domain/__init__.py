"""Plain rules of the platform: no I/O, no framework imports."""
