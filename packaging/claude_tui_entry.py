"""Entry script of the standalone executable: the same ``main`` as the installed command."""

import multiprocessing

from claude_tui.cli import main

if __name__ == "__main__":
    # A frozen program re-executes itself for worker processes (uvicorn --workers).
    multiprocessing.freeze_support()
    main()
