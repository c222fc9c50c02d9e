"""Live connections end with their sign-in: on each event, and on a timer for idle ones.

A connection keeps its own copy of the sign-in's session (Flask-SocketIO's managed session),
made when it connected. Each event counts as activity on that copy; an event arriving after
the sign-in expired (idle longer than ``IDLE_TIMEOUT_MINUTES``, or older than
``SESSION_LIFETIME_HOURS``) is answered ``unauthorized`` and the connection is ended. A
connection that sends nothing is ended by ``sweep``, which each serving process runs every
few seconds, so a console left open stops receiving health data; the sweep also ends
connections whose sign-in is gone (signed out, link revoked) that nothing closed. The page
then reconnects once with its cookie: if the sign-in is still alive (the page touches the
server while someone uses it) it carries on, otherwise the connect is refused and the page
shows its "signed out" screen.
"""

import logging

from flask import current_app, request, session
from sqlalchemy import select

from facilitator.extensions import db, socketio
from facilitator.models import Facilitator, JoinLink, utcnow
from facilitator.services import access
from facilitator.views.auth import parse_login_id, sign_in_expired

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


def local_sign_ins() -> dict[str, dict]:
    """This process's live connections: sid -> the connection's copy of its sign-in."""
    server = socketio.server
    found = {}
    for sid, _ in server.manager.get_participants(NAMESPACE, None):
        copy = (server.get_environ(sid, NAMESPACE) or {}).get("saved_session")
        if copy is not None:
            found[sid] = copy
    return found


def ended_sids(config) -> list[str]:
    """The sids of this process's connections whose sign-in expired or is gone.

    Gone: the facilitator signed out since (session version) or the join link was revoked.
    Sign-out and revocation close those connections at once; this catches any the
    ``connections`` table lost, on every worker, within one sweep.
    """
    sign_ins = local_sign_ins()
    valid = still_signed_in({copy.get("_user_id") for copy in sign_ins.values()})
    return [sid for sid, copy in sign_ins.items()
            if sign_in_expired(copy, config) or copy.get("_user_id") not in valid]


def still_signed_in(login_ids: set) -> set[str]:
    """Those of ``login_ids`` that are still valid sign-ins, in two queries."""
    parsed = [(login_id, *parse_login_id(login_id)) for login_id in login_ids
              if isinstance(login_id, str)]
    facilitators = {n for _, kind, n, _ in parsed if kind == "f" and n is not None}
    links = {n for _, kind, n, _ in parsed if kind == "p" and n is not None}
    versions = dict(db.session.execute(select(Facilitator.id, Facilitator.session_version)
                                       .where(Facilitator.id.in_(facilitators))).all())
    live_links = set(db.session.scalars(select(JoinLink.id).where(
        JoinLink.id.in_(links), access.link_holds_sql())))
    return {login_id for login_id, kind, n, version in parsed
            if (kind == "f" and access.version_holds(versions.get(n), version))
            or (kind == "p" and n in live_links)}


def sweep(app) -> int:
    """End this process's connections whose sign-in expired or is gone; return how many."""
    with app.app_context():
        sids = ended_sids(app.config)
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
