"""Logging, configured explicitly: one handler on stderr, the level from ``LOG_LEVEL``.

Health data must never reach a log. The transport's own loggers (Engine.IO and Socket.IO
log every frame at INFO, notes included) and SQLAlchemy's (statements) stay at WARNING or
above whatever the level, and an unexpected error is logged with its type and stack only:
its message and arguments can quote what a person wrote.
"""

import logging
import traceback

FORMAT = "%(asctime)s %(levelname)s [%(name)s] %(message)s"
# Their INFO lines quote frames or SQL: never below WARNING.
QUIET = ("engineio", "socketio", "sqlalchemy")


def level_named(name: str) -> int:
    """The logging level called ``name`` (DEBUG, INFO, WARNING, ERROR), or a clear error."""
    level = logging.getLevelName(name.strip().upper())
    if not isinstance(level, int):
        raise ValueError(f"LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, not {name!r}")
    return level


def configure_logging(level: int) -> None:
    """Send log records of ``level`` and above to stderr (once per process)."""
    root = logging.getLogger()
    if not any(getattr(handler, "facilitator", False) for handler in root.handlers):
        handler = logging.StreamHandler()
        handler.facilitator = True
        handler.setFormatter(logging.Formatter(FORMAT))
        root.addHandler(handler)
    root.setLevel(level)
    for name in QUIET:
        logging.getLogger(name).setLevel(max(level, logging.WARNING))


def log_unexpected(logger: logging.Logger, what: str, exc: BaseException,
                   reference: str | None = None) -> None:
    """Log an unexpected error's type and stack, never its message or arguments."""
    stack = "".join(traceback.format_tb(exc.__traceback__))
    where = f" (reference {reference})" if reference else ""
    logger.error("%s failed: %s%s\n%s", what, type(exc).__name__, where, stack)
