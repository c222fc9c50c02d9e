"""The envelope every client event goes through: sign-in, rate, validation, the ack shape."""

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask import current_app, g, request, session
from flask_login import current_user
from pydantic import BaseModel, ValidationError

from facilitator.db.durability import relax_durability
from facilitator.extensions import db, socketio
from facilitator.logs import log_unexpected
from facilitator.services import Refused, access
from facilitator.views.auth import load_sender

from . import NAMESPACE, expiry, publish
from .schemas import MAX_ID, first_error

log = logging.getLogger(__name__)

EVENTS: dict[str, type[BaseModel]] = {}
_buckets: dict[str, tuple[float, float]] = {}


def error(code: str, message: str) -> dict:
    """An error acknowledgement."""
    return {"ok": False, "error": {"code": code, "message": message}}


def allow(sid: str) -> bool:
    """Take one token from the connection's bucket (5 a second, bursts of 20)."""
    rate = current_app.config["EVENT_RATE_PER_SECOND"]
    burst = current_app.config["EVENT_RATE_BURST"]
    now = time.monotonic()
    tokens, last = _buckets.get(sid, (burst, now))
    tokens = min(burst, tokens + (now - last) * rate)
    if tokens < 1:
        _buckets[sid] = (tokens, now)
        return False
    _buckets[sid] = (tokens - 1, now)
    return True


def forget(sid: str) -> None:
    """Drop a closed connection's rate bucket."""
    _buckets.pop(sid, None)


def run(name: str, handler: Callable, schema: type[BaseModel], data,
        room_state: bool = False, fast: Callable | None = None) -> dict:
    """Authenticate, rate-limit and validate one event, call its handler, shape the ack.

    ``room_state``: the event changes only the live room's state, whose commits need not
    wait for the disk (``db.durability``). ``fast``: see ``try_fast``.
    """
    counted = False
    try:
        if not expiry.event_may_run():
            return error("unauthorized", "Your sign-in has ended. Please sign in again.")
        if fast is not None and current_app.config["FAST_WAYS"]:
            answer, counted = try_fast(fast, schema, data)
            if answer is not None:
                return {"ok": True, **answer}
        sign_in_with_session(data)
        if not current_user.is_authenticated:
            return error("unauthorized", "Please sign in again.")
        access.require_enrolled(current_user)  # not enrolled: the pre-group page only
        if not counted and not allow(request.sid):
            return error("rate_limited", "Too many messages at once; please wait a moment.")
        if not isinstance(data, dict):
            return error("invalid", "Send one JSON object.")
        payload = schema.model_validate(data)
        if room_state:
            relax_durability()
        answer = {"ok": True, **(handler(current_user, payload) or {})}
        commit_event()
        return answer
    except ValidationError as exc:
        return error("invalid", first_error(exc))
    except Refused as exc:
        db.session.rollback()
        return error(exc.code, exc.message)
    except Exception as exc:  # noqa: BLE001 - a client must get an ack, never a crash
        db.session.rollback()
        # The type and the stack only: an exception's message may quote health data.
        log_unexpected(log, f"event {name}", exc)
        return error("unavailable", "The server could not do this just now; try again.")


def commit_event() -> None:
    """Commit what the event's rules added, once, with its audit row; its events then go out.

    Rules add and flush; the handler's publications wait in the outbox (``publish.send``)
    until this commit, and are dropped if anything before it fails and rolls back.
    """
    if publish.holds_writes(db.session()):
        db.session.commit()


def sign_in_with_session(data) -> None:
    """Load the event's sender and the session it names, in one query.

    Flask-Login loads the sender on the first use of ``current_user`` through its public
    ``user_loader`` (``auth.load_user``), with its session protection and signals; for an
    event naming a session, ``auth.load_sender`` has loaded the same sender and that session
    together, and ``load_user`` returns the sender kept on ``g`` for this event.
    """
    login_id = session.get("_user_id")
    session_id = data.get("session_id") if isinstance(data, dict) else None
    if login_id is None or type(session_id) is not int or not 0 < session_id <= MAX_ID:
        return
    user, g.named_session = load_sender(login_id, session_id)  # g holds it for this event
    g.event_sender = (login_id, user)


def try_fast(fast: Callable, schema: type[BaseModel], data) -> tuple[dict | None, bool]:
    """Try an event's fast way; return its answer (or None) and whether the rate counted it.

    A fast way (``fast(login_id, payload)``) does the whole event in a few statements that
    check the sender's rights themselves, without loading the sender: it takes the signed-in
    id from the connection's session and returns the answer, or None with nothing changed
    when anything is amiss. Then, and for anything but a well-formed event of a signed-in
    person within their rate, the ordinary way runs and gives the precise refusal. A fast
    way writes room state on its own pool (``durability.room_state_engine``). Flask-Login's
    session protection is not consulted: in its "basic" mode (``auth.init_app``) it only
    marks a session not fresh; "strong" mode would have to be checked here too.
    """
    login_id = session.get("_user_id")
    if login_id is None or not isinstance(data, dict):
        return None, False
    if not allow(request.sid):
        return None, False  # refused by the ordinary way, after its sign-in check
    try:
        payload = schema.model_validate(data)
    except ValidationError:
        return None, True
    return fast(login_id, payload), True


class Lane:
    """At most a few events of one kind handled at once; the others wait their turn.

    A round of check-ins arrives all at once. Handled all at once, its events fill whole
    turns of the event loop for the length of the round, and an agenda push or an alert
    sent meanwhile waits behind every one of them. Through a lane, a few at a time go on
    (config ``size_key``) and the others wait in order, holding nothing, so whatever else
    arrives is handled between them. An ``urgent(data)`` event does not wait.
    """

    def __init__(self, size_key: str, urgent: Callable[[object], bool]) -> None:
        self.size_key = size_key
        self.urgent = urgent

    def slots(self):
        """This app's turns of the lane, sized by its config (``size_key``), made once.

        Eventlet's own semaphore when serving, a thread's otherwise. Kept in the app's
        ``extensions``, so each app (a test's, a worker's) has its own lane.
        """
        lanes = current_app.extensions.setdefault("lanes", {})
        if self.size_key not in lanes:
            size = current_app.config[self.size_key]
            if socketio.async_mode == "eventlet":
                from eventlet.semaphore import BoundedSemaphore
                lanes[self.size_key] = BoundedSemaphore(size)
            else:
                lanes[self.size_key] = threading.BoundedSemaphore(size)
        return lanes[self.size_key]

    @contextmanager
    def turn(self, data) -> Iterator[None]:
        """Wait for a turn, unless the event is urgent; give it back afterwards."""
        if self.urgent(data):
            yield
            return
        with self.slots():
            yield


def event(name: str, schema: type[BaseModel], room_state: bool = False,
          fast: Callable | None = None, lane: Lane | None = None):
    """Register a handler for a client event of the live namespace (see ``run``, ``Lane``)."""

    def register(handler: Callable) -> Callable:
        def on_event(data=None, *_extra):
            if lane is None:
                return run(name, handler, schema, data, room_state, fast)
            with lane.turn(data):
                return run(name, handler, schema, data, room_state, fast)

        on_event.__name__ = handler.__name__
        socketio.on_event(name, on_event, namespace=NAMESPACE)
        EVENTS[name] = schema
        return handler

    return register
