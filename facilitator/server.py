"""Running one eventlet server process."""

import gc
import socket

from .offload import start_pool
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


def tune_collector(gen2_threshold: int) -> None:
    """Leave start-up objects out of the collector's scans and make full collections rarer.

    ``gc.freeze()`` moves what start-up made to the permanent generation. A full collection
    still scans every connection's objects: with 1,200 clients it stopped the process for
    200-250 ms, three or four times a minute, and it was most of the fan-out's p99. A full
    collection now waits for ``gen2_threshold`` collections of the middle generation instead
    of Python's 10 (the two younger generations keep Python's thresholds). Measured in
    docs/performance.md.
    """
    gc.collect()
    gc.freeze()
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, gen2_threshold)


class PortBusy(Exception):
    """The address to serve on is taken (another server listens there)."""


def listen(host: str, port: int):
    """Open the listening socket on ``host:port`` without ``SO_REUSEPORT``.

    eventlet's own ``listen`` sets ``SO_REUSEPORT``, which lets a second server bind a port a
    live one holds and share its connections; a busy port must stop the second one instead.
    """
    import eventlet

    family, _, _, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    try:
        return eventlet.listen(address, family, backlog=128, reuse_port=False)
    except OSError as exc:
        raise PortBusy(f"Cannot listen on {host}:{port}: {exc.strerror or exc}. "
                       "Is another facilitator serve running there?") from exc


def run_server(app, host: str, port: int) -> None:
    """Serve ``app`` with eventlet's server on ``host:port`` until stopped.

    The port is taken first: only a process that holds it may forget the connections that
    the worker of that address had (a second server on a busy port stops with ``PortBusy``
    before touching them).
    """
    import eventlet.wsgi

    listener = listen(host, port)
    app.config["WORKER_ID"] = f"{host}:{port}"
    with app.app_context():
        forget_worker(app.config["WORKER_ID"])  # after a crash, nobody is connected here
        start_pool()  # eventlet's native threads, for the password hashes
    app.wsgi_app = without_permessage_deflate(app.wsgi_app)
    tune_collector(app.config["GC_GEN2_THRESHOLD"])
    from realtime import expiry

    expiry.start(app)  # open sockets end with their sign-in (idle timeout, lifetime)
    eventlet.wsgi.server(listener, app, log_output=False, max_size=app.config["MAX_CONNECTIONS"])
