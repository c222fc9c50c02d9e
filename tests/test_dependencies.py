"""Dependency floors: versions below these have known vulnerabilities."""

import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

FLOORS = {
    "python-engineio": "4.13.2",
    "python-socketio": "5.16.2",
    "eventlet": "0.40.3",
    "flask": "3.1.3",
    "flask-socketio": "5.6.1",
}


def declared() -> dict[str, Requirement]:
    """The runtime dependencies declared in pyproject.toml, by lower-cased name."""
    data = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text())
    requirements = (Requirement(line) for line in data["project"]["dependencies"])
    return {r.name.lower(): r for r in requirements}


@pytest.mark.parametrize("name, floor", sorted(FLOORS.items()))
def test_floor_is_declared_and_installed(name, floor):
    requirement = declared()[name]
    assert not requirement.specifier.contains(Version(floor).release and _below(floor)), (
        f"{name} must not allow versions below {floor}")
    assert requirement.specifier.contains(floor)
    assert Version(version(name)) >= Version(floor)


def _below(floor: str) -> str:
    """A version just under ``floor``."""
    major, minor, patch = (int(part) for part in floor.split("."))
    return f"{major}.{minor}.{patch - 1}" if patch else f"{major}.{minor - 1}.999"


# Internals the app relies on, each with the pinned range that keeps it and a test that
# fails the day it changes (style.md: public APIs only, or pin and test).
PINNED = {
    # realtime/cookie.py and realtime/expiry.py read the connection's session that
    # Flask-SocketIO keeps in the environ under "saved_session".
    "flask-socketio": "5.8",
    # db/driver.py reuses SQLAlchemy's compiled statement cache.
    "sqlalchemy": "2.2",
}


@pytest.mark.parametrize("name, ceiling", sorted(PINNED.items()))
def test_a_dependency_whose_internals_we_use_is_pinned_below_the_next_minor(name, ceiling):
    requirement = declared()[name]
    assert not requirement.specifier.contains(ceiling), f"{name} must stay below {ceiling}"
    assert requirement.specifier.contains(version(name))


def test_flask_socketio_keeps_the_connections_session_in_its_environ(app, world):
    from helpers import emit, participant_socket

    from facilitator.extensions import socketio
    from realtime import NAMESPACE

    sock = participant_socket(app, world)
    emit(sock, "session:join", {"session_id": world.session_id})
    environ = socketio.server.environ[sock.eio_sid]  # python-socketio's, by Engine.IO sid
    assert NAMESPACE in sock.connected
    assert environ["saved_session"]["_user_id"].startswith("p:")
