"""Fixtures: an app on a real database, signed-in HTTP clients and live Socket.IO clients."""

import os
import re
import shutil
from dataclasses import dataclass, field

import pytest

from facilitator import create_app
from facilitator.extensions import db, socketio
from facilitator.models import Facilitator, Group, GroupSession, Participant
from facilitator.services import groups as rules

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PASSWORD = "correct horse battery staple"
NAMESPACE = "/live"


TEST_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret",
    "SOCKETIO_ASYNC_MODE": "threading",
    "MESSAGE_QUEUE_URL": None,
    "WORKER_ID": "test",
    # Cheaper scrypt for speed; the production parameters are tested on their own.
    "PASSWORD_HASH_METHOD": "scrypt:16384:8:1",
}


def postgres_url() -> str | None:
    """The PostgreSQL test database, when TEST_DATABASE_URL names one."""
    return os.environ.get("TEST_DATABASE_URL") or None


def build_schema(url: str) -> None:
    """Drop every table, then build the schema from the migrations, as production does."""
    from flask import current_app
    from flask_migrate import upgrade
    from sqlalchemy import text

    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        upgrade(directory=current_app.extensions["migrate"].directory)
        for engine in db.engines.values():
            engine.dispose()


@pytest.fixture(scope="session")
def schema(tmp_path_factory):
    """The migrated schema, built once: a SQLite template file, or the PostgreSQL database."""
    url = postgres_url()
    if url:
        build_schema(url)
        return url
    template = tmp_path_factory.mktemp("schema") / "template.sqlite3"
    build_schema(f"sqlite:///{template}")
    return template


def empty_tables() -> None:
    """Empty every table of the PostgreSQL test database (the schema stays)."""
    from sqlalchemy import text

    names = ", ".join(t.name for t in db.metadata.sorted_tables)
    with db.engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture
def app(tmp_path, schema):
    """An app on a fresh, empty copy of the migrated schema."""
    if isinstance(schema, str):
        url = schema
    else:
        copy = tmp_path / "test.sqlite3"
        shutil.copyfile(schema, copy)
        url = f"sqlite:///{copy}"
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    if isinstance(schema, str):
        with app.app_context():
            empty_tables()
    yield app
    with app.app_context():
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()


@pytest.fixture
def client(app):
    """An HTTP client with its own cookie jar."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A runner for the app's CLI commands."""
    return app.test_cli_runner()


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
               email: str | None = None) -> World:
    """Create a facilitator with a WHO 8-session group and ``participants`` members."""
    with app.app_context():
        email = email or f"lead{db.session.query(Facilitator).count() + 1}@example.org"
        lead = rules.create_facilitator(email, "Sam Lead", PASSWORD)
        group = rules.create_group(lead, name, "Call 988 or talk to us.", "who8")
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


@pytest.fixture
def world(app) -> World:
    """A group with three participants."""
    return make_group(app)


__all__ = ["Group", "GroupSession", "Participant"]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright: one per test run (Playwright allows one)."""
    from pathlib import Path

    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package "
                    "(apt-get install chromium, or `make test`) to run the browser tests.")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
