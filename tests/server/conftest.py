"""Fixtures: one real Facilitator server process per test module."""

import pytest
from helpers.server import LiveServer


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """A ``facilitator serve`` process on a fresh database holding two demo groups.

    The server's output goes to ``server.log`` in its temporary folder; a traceback there
    (an unhandled exception, whatever the client saw) fails the module at teardown.
    """
    server = LiveServer(tmp_path_factory.mktemp("server"))
    server.prepare()
    server.start()
    yield server
    server.stop()
    assert "Traceback (most recent call last)" not in server.log(), server.log()
