"""Malformed frames and long-polling answers on a real server (issue 19, item 6)."""

import pytest
import requests
from helpers.server import call, connect, join, participant_cookies

pytestmark = pytest.mark.server
MALFORMED = ['2/live,["unclosed"', "9/live,1", '2/live,{"a":1}', "2/live,", "2/live,[]"]


def test_malformed_frames_are_logged_once_per_connection_without_traceback(live_server):
    group = live_server.group()
    client = connect(live_server.base_url, participant_cookies(
        live_server.base_url, group["participants"][0]["join_path"]))
    before = len(live_server.log().splitlines())
    try:
        join(client, group["session_id"])
        for _ in range(10):
            for frame in MALFORMED:
                client.eio.send(frame)
        assert call(client, "hand:lower", {"session_id": group["session_id"]}) == {"ok": True}
    finally:
        client.disconnect()
    new = live_server.log().splitlines()[before:]
    assert "Traceback (most recent call last)" not in "\n".join(new)
    about_frames = [line for line in new if "frame" in line]
    assert len(about_frames) == 1, new
    assert len(new) <= 3, new


def test_long_polling_answers_are_never_cached(live_server):
    answer = requests.get(live_server.base_url + "/socket.io/",
                          params={"EIO": "4", "transport": "polling"}, timeout=5)
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "no-store"
    refused = requests.get(live_server.base_url + "/socket.io/",
                           params={"EIO": "3", "transport": "polling"}, timeout=5)
    assert refused.status_code == 400 and refused.headers["Cache-Control"] == "no-store"
