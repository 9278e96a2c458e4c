"""Plugins register themselves through the ``myapp.plugins`` entry point group.

This package holds no code: each plugin ships as its own distribution.
"""
