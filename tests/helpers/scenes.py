"""Helpers shared by the live protocol tests: a running scene, inboxes and short asserts.

``shared_app`` is for a module of many small cases sharing one app (test_malformed);
the other modules use conftest's ``app``, a fresh database per test.
"""

import json
import uuid
from collections import defaultdict
from dataclasses import dataclass, field, replace

from facilitator import create_app
from facilitator.extensions import db
from facilitator.models import Group, Participant
from facilitator.services import groups as rules
from facilitator.services import plans
from helpers import (
    NAMESPACE,
    TEST_CONFIG,
    World,
    build_schema,
    csrf_token,
    emit,
    facilitator_socket,
    joined,
    login_as,
    participant_socket,
    postgres_url,
)

CRISIS = "Call 988 or talk to us."
"""The crisis resources ``make_group`` gives every group."""

PROBLEM_AREAS = ("grief", "role_dispute", "role_transition", "interpersonal_deficits")


def shared_app(tmp_path_factory):
    """Yield an app configured as conftest's ``app`` fixture does, for a whole module."""
    folder = tmp_path_factory.mktemp("live")
    url = postgres_url() or f"sqlite:///{folder / 'test.sqlite3'}"
    build_schema(url)
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    yield app  # outside any app context: each event pushes its own (and its own ``g``)
    with app.app_context():
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()


def rows(app, model, **where) -> int:
    """Count the rows of ``model`` matching ``where`` (column=value)."""
    with app.app_context():
        return db.session.query(model).filter_by(**where).count()


def client_id() -> str:
    """A fresh ``client_id``, as a browser would make it."""
    return str(uuid.uuid4())


def ok(ack: dict) -> dict:
    """Assert that an acknowledgement is a success and return it."""
    assert isinstance(ack, dict) and ack.get("ok") is True, ack
    return ack


def refused(ack: dict, code: str) -> dict:
    """Assert that an acknowledgement is a refusal with ``code``; return its error."""
    assert isinstance(ack, dict) and ack.get("ok") is False, ack
    assert ack["error"]["code"] == code, ack
    assert isinstance(ack["error"]["message"], str) and ack["error"]["message"], ack
    return ack["error"]


def frames(sock) -> list[dict]:
    """Drain every frame that arrived on ``sock``: ``[{"name", "args"}]``."""
    return [{"name": f["name"], "args": f["args"]} for f in sock.get_received(NAMESPACE)]


def inbox(sock) -> dict[str, list]:
    """Drain ``sock`` and group the payloads by event name."""
    got: dict[str, list] = defaultdict(list)
    for frame in frames(sock):
        got[frame["name"]].append(frame["args"][0] if frame["args"] else None)
    return got


def dump(value) -> str:
    """Serialise frames, acks or snapshots for searching."""
    return json.dumps(value, sort_keys=True, default=str)


def checkin(session_id: int, mood: int = 5, cid: str | None = None, **extra) -> dict:
    """A ``checkin:submit`` payload."""
    return {"session_id": session_id, "client_id": cid or client_id(), "mood": mood, **extra}


def card(session_id: int, text: str = "Talking helps", area: str = "grief",
         cid: str | None = None, **extra) -> dict:
    """A ``card:submit`` payload."""
    return {"session_id": session_id, "client_id": cid or client_id(), "text": text,
            "problem_area": area, **extra}


def answers_for(total: int, item9: int = 0) -> list[int]:
    """Nine PHQ-9 answers summing to ``total`` with item 9 set to ``item9``."""
    rest = total - item9
    assert 0 <= rest <= 24, (total, item9)
    first = [min(3, max(0, rest - 3 * i)) for i in range(8)]
    return first + [item9]


def cofacilitator(app, world: World) -> World:
    """Add a second facilitator to the world's group; return a world signed in as them."""
    email = f"co-{uuid.uuid4().hex[:8]}@example.org"
    with app.app_context():
        person = rules.create_facilitator(email, "Kim Co", "correct horse battery staple")
        group = db.session.get(Group, world.group_id)
        group.facilitators.append(person)
        db.session.commit()
    return replace(world, email=email)


@dataclass
class Scene:
    """A facilitator and participants, all connected and in the world's first session."""

    world: World
    fac: object
    people: list = field(default_factory=list)

    @property
    def sid(self) -> int:
        """The session everyone is in."""
        return self.world.session_id

    def everyone(self) -> list:
        """Every connection of the scene."""
        return [self.fac, *self.people]

    def drain(self) -> None:
        """Forget what arrived so far."""
        for sock in self.everyone():
            sock.get_received(NAMESPACE)

    def start(self) -> None:
        """Make the session live."""
        ok(emit(self.fac, "session:start", {"session_id": self.sid}))
        self.drain()

    def end(self) -> None:
        """End the session."""
        ok(emit(self.fac, "session:end", {"session_id": self.sid}))
        self.drain()


def scene(app, world: World, live: bool = True, people: int | None = None) -> Scene:
    """Connect the facilitator and ``people`` participants, join them, start if ``live``."""
    count = len(world.participant_ids) if people is None else people
    fac = facilitator_socket(app, world)
    joined(fac, world.session_id)
    socks = []
    for index in range(count):
        sock = participant_socket(app, world, index)
        joined(sock, world.session_id)
        socks.append(sock)
    stage = Scene(world, fac, socks)
    if live:
        stage.start()
    stage.drain()
    return stage


def statements_during(app, action, whole: bool = False) -> list[str]:
    """Run ``action()``; return the first word (or, if ``whole``, the whole text) of every
    SQL statement it sent (every pool)."""
    from sqlalchemy import event

    statements: list[str] = []
    with app.app_context():
        engines = list(db.engines.values())

    def listener(_c, _cur, sql, *_a):
        statements.append(" ".join(sql.split()) if whole else sql.split()[0])

    for engine in engines:
        event.listen(engine, "before_cursor_execute", listener)
    try:
        action()
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", listener)
    return statements


def walk(value):
    """Yield every dict inside ``value``."""
    if isinstance(value, dict):
        yield value
        for inner in value.values():
            yield from walk(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from walk(inner)


def add_agenda_item(app, world: World, title: str, kind: str = "other",
                    session_id: int | None = None) -> None:
    """Add an item through the facilitator's agenda page (it sends ``agenda:updated``)."""
    http = app.test_client()
    login_as(http, world.email)
    path = f"/sessions/{session_id or world.session_id}/agenda"
    answer = http.post(path, data={"title": title, "kind": kind,
                                   "csrf_token": csrf_token(http, path)})
    assert answer.status_code == 302, answer.status_code


def give_plan(app, participant_id: int, goals: list[str], summary: str | None = None) -> None:
    """Give a member goals (``services.plans.add_goal``) and a shared one-line summary."""
    with app.app_context():
        member = db.session.get(Participant, participant_id)
        for text in goals:
            plans.add_goal(member, text)
        plans.set_shared_summary(member, summary)
        db.session.commit()
