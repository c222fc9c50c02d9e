"""Anonymous long-polling requests cannot park the server's green threads (issue 19, item 1).

An Engine.IO handshake needs no sign-in. Engine.IO answered an over-size or malformed POST on
that session by closing the socket and waiting for a poll that never came, so each request
held one of the server's ``MAX_CONNECTIONS`` green threads for good.
"""

import json
import socket

import pytest
import requests
from helpers.server import LiveServer, connect, join, participant_cookies

pytestmark = pytest.mark.server
ANSWER_WITHIN = 3.0  # seconds; a parked request is never answered


@pytest.fixture(scope="module")
def small_server(tmp_path_factory):
    """A server allowed only 8 connections at once, as an attacker would like it."""
    server = LiveServer(tmp_path_factory.mktemp("small"))
    server.prepare()
    server.env["MAX_CONNECTIONS"] = "8"
    server.start()
    yield server
    server.stop()
    assert "Traceback (most recent call last)" not in server.log(), server.log()


def handshake(base: str) -> str:
    """Open an anonymous Engine.IO session over long-polling; return its sid."""
    answer = requests.get(base + "/socket.io/", params={"EIO": "4", "transport": "polling"},
                          timeout=ANSWER_WITHIN)
    assert answer.status_code == 200
    return json.loads(answer.text[1:])["sid"]


def post(base: str, sid: str, body: bytes) -> int:
    """POST ``body`` to the session's polling endpoint; return the status, or 0 if unanswered."""
    try:
        answer = requests.post(base + "/socket.io/", data=body, timeout=ANSWER_WITHIN,
                               params={"EIO": "4", "transport": "polling", "sid": sid})
    except requests.RequestException:
        return 0
    return answer.status_code


def a_participant_can_join(server) -> bool:
    """Sign a participant in by their link and join the session over the live connection."""
    client = connect(server.base_url, participant_cookies(
        server.base_url, server.group()["participants"][0]["join_path"]))
    try:
        return join(client, server.group()["session_id"])["me"]["kind"] == "participant"
    finally:
        client.disconnect()


def test_over_size_polling_posts_are_refused_at_once(small_server):
    base = small_server.base_url
    statuses = [post(base, handshake(base), b"4" + b"x" * (70 * 1024)) for _ in range(12)]
    assert statuses == [413] * 12
    assert requests.get(base + "/healthz", timeout=ANSWER_WITHIN).status_code == 200
    assert a_participant_can_join(small_server)


def test_malformed_polling_posts_are_answered_at_once(small_server):
    """A packet type Engine.IO does not know ends the session without waiting for a poll."""
    base = small_server.base_url
    statuses = [post(base, handshake(base), b"9") for _ in range(12)]
    assert statuses == [400] * 12
    assert requests.get(base + "/healthz", timeout=ANSWER_WITHIN).status_code == 200
    assert a_participant_can_join(small_server)


def test_an_over_size_post_without_reading_the_answer_parks_nothing(small_server):
    """Clients that send the headers of a huge body and hang up leave no thread behind."""
    base, port = small_server.base_url, small_server.port
    for _ in range(12):
        sid = handshake(base)
        with socket.create_connection(("127.0.0.1", port), timeout=ANSWER_WITHIN) as raw:
            raw.sendall((f"POST /socket.io/?EIO=4&transport=polling&sid={sid} HTTP/1.1\r\n"
                         f"Host: 127.0.0.1:{port}\r\nContent-Length: 10000000\r\n\r\n"
                         ).encode() + b"4" * 1024)
    assert requests.get(base + "/healthz", timeout=ANSWER_WITHIN).status_code == 200
    assert a_participant_can_join(small_server)
