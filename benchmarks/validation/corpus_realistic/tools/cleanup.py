from __future__ import annotations

import logging
import shutil
from pathlib import Path

logger = logging.getLogger(__name__)


class Cleaner:
    def __init__(self, root: Path, dry_run: bool = False) -> None:
        self.root = root
        self.dry_run = dry_run

    def remove(self, path: Path) -> bool:
        if not path.resolve().is_relative_to(self.root.resolve()):
            raise ValueError(f"{path} is outside {self.root}")
        if self.dry_run:
            logger.info("would remove %s", path)
            return True
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
        logger.info("removed %s", path)
        return True

    def remove_older_than(self, days: int) -> int:
        import time

        cutoff = time.time() - days * 86400
        count = 0
        for path in self.root.iterdir():
            if path.stat().st_mtime < cutoff and self.remove(path):
                count += 1
        return count
