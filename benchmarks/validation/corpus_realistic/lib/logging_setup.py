from __future__ import annotations

import logging
import logging.config

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
    },
    "loggers": {
        "app": {"level": "INFO"},
        "sqlalchemy.engine": {"level": "WARNING"},
        # "urllib3": {"level": "DEBUG"},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
}


class DiscardHandler(logging.Handler):
    """Drops records; installed when logging is switched off."""

    def emit(self, record: logging.LogRecord) -> None:
        pass


def configure(enabled: bool = True) -> None:
    if enabled:
        logging.config.dictConfig(LOGGING)
    else:
        logging.getLogger().addHandler(DiscardHandler())
