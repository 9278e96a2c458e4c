from __future__ import annotations

import time
from typing import Any


class Job:
    """Base class of scheduled jobs; override ``run`` and any hook you need."""

    name = "job"

    def on_start(self) -> None:
        """Called before ``run``; does nothing by default."""

    def on_success(self, result: Any) -> None:
        """Called with the result of ``run``."""

    def on_failure(self, error: BaseException) -> None:
        """Called when ``run`` raised; the error is re-raised afterwards."""

    def run(self) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must define run()")

    def execute(self) -> Any:
        self.on_start()
        started = time.monotonic()
        try:
            result = self.run()
        except BaseException as error:
            self.on_failure(error)
            raise
        self.last_duration = time.monotonic() - started
        self.on_success(result)
        return result


class CleanupJob(Job):
    name = "cleanup"

    def __init__(self, paths: list[str]) -> None:
        self.paths = paths

    def run(self) -> int:
        import os

        for path in self.paths:
            os.remove(path)
        return len(self.paths)
