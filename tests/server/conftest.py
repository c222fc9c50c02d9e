"""Fixtures: one real Facilitator server process per test module."""

import pytest

from .server_helpers import LiveServer


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """A ``facilitator serve`` process on a fresh database holding two demo groups.

    The server's output goes to ``server.log`` in its temporary folder.
    """
    server = LiveServer(tmp_path_factory.mktemp("server"))
    server.prepare()
    server.start()
    yield server
    server.stop()
