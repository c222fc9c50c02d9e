"""Guards around Engine.IO's long-polling transport (docs/security.md, "Transport").

An Engine.IO session opens before anyone signs in, so whatever its HTTP requests can make the
server do, anyone can. Two things in python-engineio (4.15.1, the current release) let one
anonymous request park a green thread for good:

* an over-size polling POST or a packet Engine.IO does not know makes it call
  ``Server.disconnect(sid)``, which closes the socket with ``wait=True``: it waits on its
  send queue until a poll takes the CLOSE packet, and an attacker never polls;
* so the POST is never answered, and each one holds one of ``MAX_CONNECTIONS``.

``refuse_oversize_posts`` answers an over-size POST 413 before Engine.IO sees it, and
``never_wait_for_a_poll`` makes every server-side close of an Engine.IO socket return at once
(the session is gone at once; a later poll is answered 400 as before).

Also here: ``no_store`` (polls carry live health data: never cached),
``log_malformed_frames_once`` (a client's undecodable frames: one line per connection) and
``JsonPacket`` (what the server sends is JSON only).
"""

import logging
from urllib.parse import parse_qs

from socketio.packet import Packet

SOCKET_IO_PATH = "/socket.io"
log = logging.getLogger(__name__)


def declared_length(environ) -> int | None:
    """The request's Content-Length as a number, or None when absent or not a number."""
    raw = environ.get("CONTENT_LENGTH") or ""
    return int(raw) if raw.isdigit() else None


def refuse_oversize_posts(wsgi_app, eio_server):
    """Answer 413 at once to a long-polling POST declared larger than Engine.IO accepts.

    The body is never read, and the Engine.IO session it was sent on is ended (as Engine.IO
    itself would, but without waiting). A Content-Length that is not a number is refused 400.
    """

    def middleware(environ, start_response):
        if (environ.get("REQUEST_METHOD") == "POST"
                and environ.get("PATH_INFO", "").startswith(SOCKET_IO_PATH)):
            length = declared_length(environ)
            if environ.get("CONTENT_LENGTH") and length is None:
                return refuse(start_response, "400 Bad Request")
            if length is not None and length > eio_server.max_http_buffer_size:
                end_session(eio_server, environ)
                return refuse(start_response, "413 Content Too Large")
        return wsgi_app(environ, start_response)

    return middleware


def end_session(eio_server, environ) -> None:
    """End the Engine.IO session named by the request's ``sid``, if there is one."""
    sid = parse_qs(environ.get("QUERY_STRING", "")).get("sid", [None])[0]
    if sid in eio_server.sockets:
        eio_server.disconnect(sid)


def refuse(start_response, status: str) -> list[bytes]:
    """A short plain-text refusal that asks the client to close the connection."""
    body = status.encode()
    start_response(status, [("Content-Type", "text/plain"), ("Content-Length", str(len(body))),
                            ("Cache-Control", "no-store"), ("Connection", "close")])
    return [body]


def never_wait_for_a_poll(eio_server) -> None:
    """Make ``eio_server.disconnect`` close sockets without waiting for their next poll.

    python-engineio's own ``disconnect`` calls ``Socket.close(wait=True)``, which blocks until
    the client fetches the queued CLOSE packet; a client that never polls again blocks it
    forever (tests/server/test_polling_dos.py). The socket is still closed and forgotten and
    its ``disconnect`` handlers still run; only the wait goes.
    """

    def disconnect(sid=None):
        sids = [sid] if sid is not None else list(eio_server.sockets)
        for one in sids:
            socket = eio_server.sockets.get(one)
            if socket is not None:
                socket.close(wait=False, reason=eio_server.reason.SERVER_DISCONNECT)
            eio_server.sockets.pop(one, None)

    eio_server.disconnect = disconnect


def no_store(wsgi_app):
    """Mark every Engine.IO answer ``Cache-Control: no-store``: polls carry live health data."""

    def middleware(environ, start_response):
        if not environ.get("PATH_INFO", "").startswith(SOCKET_IO_PATH):
            return wsgi_app(environ, start_response)

        def start(status, headers, exc_info=None):
            headers = [(k, v) for k, v in headers if k.lower() != "cache-control"]
            return start_response(status, [*headers, ("Cache-Control", "no-store")], exc_info)

        return wsgi_app(environ, start)

    return middleware


def log_malformed_frames_once(eio_server) -> None:
    """Log a connection's undecodable Socket.IO frames once, in one line, with no traceback.

    python-socketio raises on a frame it cannot decode, and Engine.IO logs each with its
    stack: a client sending 50 bad frames wrote over a thousand lines. Decoding errors are
    the client's, not ours; the first one of a connection is worth one line.
    """
    on_message = eio_server.handlers["message"]
    on_disconnect = eio_server.handlers["disconnect"]
    warned: set[str] = set()

    def message(eio_sid, data):
        try:
            return on_message(eio_sid, data)
        except Exception as exc:  # noqa: BLE001 - a client's bad frame, never ours
            if eio_sid not in warned:
                warned.add(eio_sid)
                log.warning("undecodable Socket.IO frame (%s); further ones from this "
                            "connection are not logged", type(exc).__name__)
            return None

    def disconnect(eio_sid, *reason):
        warned.discard(eio_sid)
        return on_disconnect(eio_sid, *reason)

    eio_server.on("message", message)
    eio_server.on("disconnect", disconnect)


class JsonPacket(Packet):
    """Socket.IO packets whose data is JSON only, so none is searched for binary parts.

    python-socketio walks every outgoing packet's data, to its last nested value, looking for
    bytes to send as attachments. Nothing the server sends holds bytes (payloads are built
    for JSON), so the walk is wasted work on every event, ack and snapshot. Turning binary
    events off is how python-socketio's own MessagePack packets do it: the class attribute
    ``uses_binary_events``, handed to the server as its ``serializer`` (a ``Packet``
    subclass, in python-socketio's documentation). A client's binary event still decodes as
    before, and the event's schema refuses it.
    """

    uses_binary_events = False
