"""Running one eventlet server process."""

import gc
import logging

from .extensions import socketio
from .services.live import forget_worker


def enable_app_loggers() -> None:
    """Turn the app's loggers back on after the schema upgrade turned them off.

    Alembic's ``fileConfig`` in ``migrations/env.py`` disables every logger that existed
    before it ran, so a failed live event would otherwise be logged nowhere.
    """
    for name, logger in logging.root.manager.loggerDict.items():
        if isinstance(logger, logging.Logger) and name.split(".")[0] in {"facilitator",
                                                                          "realtime"}:
            logger.disabled = False


def run_server(app, host: str, port: int) -> None:
    """Serve ``app`` with eventlet's server on ``host:port`` until stopped."""
    enable_app_loggers()
    app.config["WORKER_ID"] = f"{host}:{port}"
    with app.app_context():
        forget_worker(app.config["WORKER_ID"])  # after a crash, nobody is connected here
    gc.collect()
    gc.freeze()  # start-up objects leave the collector's scans: shorter pauses under load
    socketio.run(app, host=host, port=port, use_reloader=False, log_output=False,
                 max_size=app.config.get("MAX_CONNECTIONS", 5000))
