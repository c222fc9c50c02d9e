"""Running one eventlet server process."""

import gc

from .extensions import socketio
from .services.live import forget_worker


def without_permessage_deflate(wsgi_app):
    """Hide the browser's WebSocket compression offer, which eventlet would accept.

    Compression per recipient triples the memory per client (~125 KB more) and costs ~10%
    CPU per delivery, to save bytes on messages of a few hundred (docs/performance.md).
    """

    def middleware(environ, start_response):
        environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)
        return wsgi_app(environ, start_response)

    return middleware


def run_server(app, host: str, port: int) -> None:
    """Serve ``app`` with eventlet's server on ``host:port`` until stopped."""
    app.config["WORKER_ID"] = f"{host}:{port}"
    with app.app_context():
        forget_worker(app.config["WORKER_ID"])  # after a crash, nobody is connected here
    app.wsgi_app = without_permessage_deflate(app.wsgi_app)
    gc.collect()
    gc.freeze()  # start-up objects leave the collector's scans: shorter pauses under load
    socketio.run(app, host=host, port=port, use_reloader=False, log_output=False,
                 max_size=app.config["MAX_CONNECTIONS"])
