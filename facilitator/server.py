"""Running one eventlet server process."""

import gc

from .extensions import socketio
from .services.live import forget_worker


def run_server(app, host: str, port: int) -> None:
    """Serve ``app`` with eventlet's server on ``host:port`` until stopped."""
    app.config["WORKER_ID"] = f"{host}:{port}"
    with app.app_context():
        forget_worker(app.config["WORKER_ID"])  # after a crash, nobody is connected here
    gc.collect()
    gc.freeze()  # start-up objects leave the collector's scans: shorter pauses under load
    socketio.run(app, host=host, port=port, use_reloader=False, log_output=False,
                 max_size=app.config.get("MAX_CONNECTIONS", 5000))
