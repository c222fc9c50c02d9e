"""Live connections end with their sign-in: on each event, and on a timer for idle ones.

A connection keeps its own copy of the sign-in's session (Flask-SocketIO's managed session),
made when it connected. Each event counts as activity on that copy; an event arriving after
the sign-in expired (idle longer than ``IDLE_TIMEOUT_MINUTES``, or older than
``SESSION_LIFETIME_HOURS``) is answered ``unauthorized`` and the connection is ended. A
connection that sends nothing is ended by ``sweep``, which each serving process runs every
few seconds, so a console left open stops receiving health data. The page then reconnects
once with its cookie: if the sign-in is still alive (the page touches the server while
someone uses it) it carries on, otherwise the connect is refused and the page shows its
"signed out" screen.
"""

import logging

from flask import current_app, request, session

from facilitator.auth import sign_in_expired
from facilitator.extensions import socketio
from facilitator.models import utcnow

from . import NAMESPACE, publish

log = logging.getLogger(__name__)


def event_may_run() -> bool:
    """Check a live event's sign-in: False (and the connection ends) once it has expired.

    Otherwise the event counts as activity of this connection.
    """
    if sign_in_expired(session, current_app.config):
        publish.end_connection_soon(request.sid)
        return False
    if "signed_in_at" in session:
        session["seen_at"] = utcnow().timestamp()
    return True


def sweep_interval(config) -> float:
    """Seconds between sweeps: a quarter of the idle timeout, between 0.5 s and 30 s."""
    return min(30.0, max(0.5, config["IDLE_TIMEOUT_MINUTES"] * 15))


def expired_sids(config) -> list[str]:
    """The sids of this process's live connections whose sign-in has expired."""
    server = socketio.server
    found = []
    for sid, _ in server.manager.get_participants(NAMESPACE, None):
        saved = server.get_environ(sid, NAMESPACE) or {}
        copy = saved.get("saved_session")
        if copy is not None and sign_in_expired(copy, config):
            found.append(sid)
    return found


def sweep(app) -> int:
    """End this process's connections whose sign-in expired; return how many."""
    with app.app_context():
        sids = expired_sids(app.config)
        publish.disconnect_sids(sids)
    return len(sids)


def sweep_forever(app) -> None:
    """Run ``sweep`` every ``sweep_interval`` seconds until the process ends."""
    interval = sweep_interval(app.config)
    while True:
        socketio.sleep(interval)
        try:
            sweep(app)
        except Exception as exc:  # noqa: BLE001 - the sweep must outlive one bad round
            log.error("expiry sweep failed: %s", type(exc).__name__)


def start(app) -> None:
    """Start the sweep of this serving process."""
    socketio.start_background_task(sweep_forever, app)
