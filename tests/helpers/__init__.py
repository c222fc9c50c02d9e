"""Test helpers: a group made for a test, signed-in clients and live Socket.IO clients.

Imported by tests as ``from helpers import make_group, emit, ...`` (``tests/`` is on the
path); the fixtures that use them stay in ``tests/conftest.py``.
"""

import re
from dataclasses import dataclass, field

from facilitator.extensions import db, socketio
from facilitator.models import Facilitator
from facilitator.services import groups as rules

from .app import TEST_CONFIG, build_schema, empty_tables, postgres_url  # noqa: F401

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PASSWORD = "correct horse battery staple"
NAMESPACE = "/live"


def csrf_token(client, path: str = "/login") -> str:
    """Fetch a page and return the CSRF token of its first form."""
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


@dataclass
class World:
    """A group made for a test: its facilitator, participants and first session."""

    group_id: int
    session_id: int
    facilitator_id: int
    email: str
    participant_ids: list[int]
    join_paths: list[str]
    session_ids: list[int] = field(default_factory=list)


def make_group(app, participants: int = 3, name: str = "Tuesday group",
               email: str | None = None, template: str = "who8") -> World:
    """Create a facilitator with a group on ``template`` (WHO 8 sessions) and ``participants``
    enrolled members."""
    with app.app_context():
        email = email or f"lead{db.session.query(Facilitator).count() + 1}@example.org"
        lead = rules.create_facilitator(email, "Sam Lead", PASSWORD)
        group = rules.create_group(lead, name, "Call 988 or talk to us.", template)
        people = [rules.add_participant(group, f"Person {i + 1}", status="enrolled")
                  for i in range(participants)]
        return World(group_id=group.id, session_id=group.sessions[0].id,
                     facilitator_id=lead.id, email=email,
                     participant_ids=[p.id for p in people],
                     join_paths=[p.active_link.join_path for p in people],
                     session_ids=[s.id for s in group.sessions])


def login_as(client, email: str, password: str = PASSWORD):
    """Sign a facilitator in through the real form."""
    token = csrf_token(client)
    return client.post("/login", data={"email": email, "password": password,
                                       "csrf_token": token})


def client_of(app, email: str):
    """A test client signed in as the facilitator with ``email``."""
    client = app.test_client()
    login_as(client, email)
    return client


def accept_notice(client, path: str = "/notice"):
    """Press "I understand" on the notice "who sees what" (``path`` may carry ``next``)."""
    token = csrf_token(client, path)
    next_path = re.search(r'name="next"[^>]*value="([^"]*)"', client.get(path).get_data(True))
    return client.post("/notice", data={"csrf_token": token,
                                        "next": next_path.group(1) if next_path else ""})


def live(app, client):
    """A Socket.IO client of the live namespace sharing ``client``'s cookies."""
    return socketio.test_client(app, namespace=NAMESPACE, flask_test_client=client)


def facilitator_socket(app, world: World):
    """A live connection signed in as the world's facilitator."""
    http = app.test_client()
    login_as(http, world.email)
    return live(app, http)


def participant_socket(app, world: World, index: int = 0):
    """A live connection signed in as participant ``index`` through their join link."""
    http = app.test_client()
    http.get(world.join_paths[index])
    return live(app, http)


def emit(sock, event: str, payload=None):
    """Send an event and return its acknowledgement."""
    args = () if payload is None else (payload,)
    return sock.emit(event, *args, namespace=NAMESPACE, callback=True)


def received(sock, event: str | None = None) -> list:
    """Drain what arrived on ``sock``; return the payloads (of ``event`` only, if given)."""
    frames = sock.get_received(NAMESPACE)
    return [f["args"][0] if f["args"] else None for f in frames
            if event is None or f["name"] == event]


def joined(sock, session_id: int) -> dict:
    """Join a session and return the state snapshot."""
    ack = emit(sock, "session:join", {"session_id": session_id})
    assert ack["ok"], ack
    return ack["state"]
