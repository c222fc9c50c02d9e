"""The live connection against a real server: who may connect, from where, how much, how fast."""

import threading
import time

import pytest
from helpers.server import (
    NAMESPACE,
    call,
    connect,
    facilitator_cookies,
    join,
    online,
    participant_cookies,
)
from socketio.exceptions import ConnectionError as ConnectRefused

pytestmark = pytest.mark.server
TRANSPORTS = ["websocket", "polling"]


def as_facilitator(server, group: int = 0) -> dict:
    """Cookies of a demo group's facilitator."""
    login = server.group(group)["facilitator"]
    return facilitator_cookies(server.base_url, login["email"], login["password"])


def as_participant(server, index: int = 0, group: int = 0) -> dict:
    """Cookies of a demo participant, signed in by their join link."""
    return participant_cookies(server.base_url, server.group(group)["participants"][index]
                               ["join_path"])


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_connect_without_sign_in_is_refused(live_server, transport):
    with pytest.raises(ConnectRefused):
        connect(live_server.base_url, None, transports=[transport])


def test_signed_in_facilitator_and_participant_are_accepted(live_server):
    session_id = live_server.group()["session_id"]
    for cookies, kind in ((as_facilitator(live_server), "facilitator"),
                          (as_participant(live_server), "participant")):
        client = connect(live_server.base_url, cookies)
        try:
            assert join(client, session_id)["me"]["kind"] == kind
        finally:
            client.disconnect()


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("origin", ["http://evil.example", "http://127.0.0.1:1", "null"])
def test_foreign_origin_is_refused_at_connect(live_server, transport, origin):
    cookies = as_participant(live_server)
    with pytest.raises(ConnectRefused):
        connect(live_server.base_url, cookies, origin=origin, transports=[transport])


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_own_origin_is_accepted(live_server, transport):
    client = connect(live_server.base_url, as_participant(live_server),
                     origin=live_server.base_url, transports=[transport])
    try:
        assert join(client, live_server.group()["session_id"])["me"]["kind"] == "participant"
    finally:
        client.disconnect()


def big_checkin(session_id, note_bytes: int) -> dict:
    """A check-in whose note makes the message about ``note_bytes`` long."""
    return {"session_id": session_id, "client_id": "big-note-0001", "mood": 5,
            "note": "n" * note_bytes}


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_message_over_64_kib_closes_the_connection(live_server, transport):
    """The server does not read a message over 64 KiB: it closes that connection.

    Over WebSocket the frame is refused and the socket closed at once (the client sees a
    transport error). Over long-polling the POST is answered 413 before its body is read and
    the Engine.IO session is ended at once (facilitator/transport.py); the client is
    disconnected.
    """
    session_id = live_server.group()["session_id"]
    cookies = as_participant(live_server)
    client = connect(live_server.base_url, cookies, transports=[transport])
    try:
        join(client, session_id)
        assert call(client, "hand:lower", {"session_id": session_id})["ok"]
        client.emit("checkin:submit", big_checkin(session_id, 70 * 1024), namespace=NAMESPACE)
        client.wait_for_disconnect(timeout=15)
        assert not client.connected
    finally:
        client.disconnect()
    again = connect(live_server.base_url, cookies, transports=[transport])
    try:
        assert join(again, session_id)["me"]["kind"] == "participant"
    finally:
        again.disconnect()


def test_60_kib_note_is_invalid_and_the_connection_stays(live_server):
    session_id = live_server.group()["session_id"]
    client = connect(live_server.base_url, as_participant(live_server))
    try:
        join(client, session_id)
        ack = call(client, "checkin:submit", big_checkin(session_id, 60 * 1024))
        assert ack["ok"] is False and ack["error"]["code"] == "invalid"
        assert client.connected
        assert call(client, "hand:lower", {"session_id": session_id}) == {"ok": True}
    finally:
        client.disconnect()


def burst(client, count: int, session_id) -> list[dict]:
    """Send ``count`` events as fast as possible; wait (boundedly) for all their acks."""
    acks, done = [], threading.Event()

    def answered(ack):
        acks.append(ack)
        if len(acks) == count:
            done.set()

    for _ in range(count):
        client.emit("hand:lower", {"session_id": session_id}, namespace=NAMESPACE,
                    callback=answered)
    assert done.wait(10), f"only {len(acks)} of {count} acks arrived"
    return acks


def seen(client, session_id) -> None:
    """Lower the hand once, so the participant's attendance row exists before a burst."""
    assert call(client, "hand:lower", {"session_id": session_id}) == {"ok": True}


def first_ok(client, session_id, tries: int = 20) -> dict:
    """Call until the server accepts again (the bucket refills); return that ack."""
    for _ in range(tries):
        ack = call(client, "hand:lower", {"session_id": session_id})
        if ack["ok"]:
            return ack
        time.sleep(0.25)
    return ack


def test_flood_is_rate_limited_and_the_connection_stays(live_server):
    session_id = live_server.group()["session_id"]
    client = connect(live_server.base_url, as_participant(live_server, 1))
    try:
        join(client, session_id)
        seen(client, session_id)
        acks = burst(client, 60, session_id)
        codes = [a["error"]["code"] for a in acks if not a["ok"]]
        assert codes and set(codes) == {"rate_limited"}
        assert sum(a["ok"] for a in acks) >= 18  # what join and seen left of the burst of 20
        assert client.connected and not client.disconnect_reasons
        assert first_ok(client, session_id) == {"ok": True}
    finally:
        client.disconnect()


def test_burst_of_20_is_never_refused(live_server):
    session_id = live_server.group()["session_id"]
    cookies = as_participant(live_server, 1)
    other_tab = connect(live_server.base_url, cookies)
    seen(other_tab, session_id)  # from another connection: this one starts with a full bucket
    other_tab.disconnect()
    client = connect(live_server.base_url, cookies)
    try:
        acks = burst(client, 20, session_id)
        assert [a for a in acks if not a["ok"]] == []
    finally:
        client.disconnect()


def test_simultaneous_first_events_of_a_participant_all_succeed(live_server):
    group = live_server.group(1)
    client = connect(live_server.base_url, as_participant(live_server, 2, group=1))
    try:
        acks = burst(client, 20, group["session_id"])  # a burst of 20 is normal use
        assert [a for a in acks if not a["ok"]] == []
    finally:
        client.disconnect()


def test_five_events_a_second_are_never_refused(live_server):
    session_id = live_server.group()["session_id"]
    client = connect(live_server.base_url, as_participant(live_server, 1))
    try:
        join(client, session_id)
        refused = []
        for _ in range(25):  # five seconds of steady use
            ack = call(client, "hand:lower", {"session_id": session_id})
            if not ack["ok"]:
                refused.append(ack)
            time.sleep(0.2)
        assert refused == []
    finally:
        client.disconnect()


def test_presence_follows_connect_and_disconnect(live_server):
    group = live_server.group(1)
    session_id = group["session_id"]
    person = ("participant", group["participants"][0]["participant_id"])
    lead = connect(live_server.base_url, as_facilitator(live_server, 1))
    try:
        assert person not in online(join(lead, session_id)["presence"])
        member = connect(live_server.base_url, as_participant(live_server, 0, group=1))
        join(member, session_id)
        lead.wait_for_event("presence", lambda p: person in online(p))
        member.disconnect()
        lead.wait_for_event("presence", lambda p: person not in online(p))
    finally:
        lead.disconnect()
