"""Open live connections end with their sign-in (issue 19, item 3): checked on each event."""

import time

from helpers import emit, facilitator_socket, joined, received


def test_an_event_after_the_idle_timeout_is_unauthorized_and_ends_the_connection(app, world):
    app.config["IDLE_TIMEOUT_MINUTES"] = 1 / 60  # one second
    sock = facilitator_socket(app, world)
    joined(sock, world.session_id)
    time.sleep(1.3)
    ack = emit(sock, "hand:lower", {"session_id": world.session_id})
    assert ack["ok"] is False and ack["error"]["code"] == "unauthorized"
    deadline = time.monotonic() + 3
    while sock.is_connected("/live") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not sock.is_connected("/live")


def test_events_keep_a_connection_alive_until_its_absolute_lifetime(app, world):
    app.config["IDLE_TIMEOUT_MINUTES"] = 1 / 60
    app.config["SESSION_LIFETIME_HOURS"] = 2.5 / 3600  # two and a half seconds
    sock = facilitator_socket(app, world)
    joined(sock, world.session_id)
    started = time.monotonic()
    while time.monotonic() - started < 2.0:  # active: never idle for a second
        assert emit(sock, "session:join", {"session_id": world.session_id})["ok"]
        time.sleep(0.4)
    time.sleep(0.8)
    received(sock)
    ack = emit(sock, "hand:lower", {"session_id": world.session_id})
    assert ack["error"]["code"] == "unauthorized"
