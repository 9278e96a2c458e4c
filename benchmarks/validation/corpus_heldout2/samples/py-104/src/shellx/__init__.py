from .platform import *  # noqa: F403  (names listed in platform.__all__)
from .run import run_in_shell

__all__ = ["default_shell", "quote_arg", "run_in_shell"]
