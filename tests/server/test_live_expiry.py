"""An idle console stops receiving health data when its sign-in expires (issue 19, item 3).

The server ends idle connections on a timer, whether or not they send anything; a console
left open on a shared clinic computer then gets no check-in, note or alert.
"""

import time
import uuid

import pytest
from helpers.server import NAMESPACE, LiveServer, call, connect, join, participant_cookies
from socketio.exceptions import ConnectionError as ConnectRefused
from sqlalchemy import create_engine, text

from facilitator.config import normalise_database_url

from .test_live_signout import signed_in_facilitator

pytestmark = pytest.mark.server
IDLE_SECONDS = 3


@pytest.fixture(scope="module")
def idle_server(tmp_path_factory):
    """A server whose sign-ins expire after three idle seconds."""
    server = LiveServer(tmp_path_factory.mktemp("idle"))
    server.prepare()
    server.env["IDLE_TIMEOUT_MINUTES"] = str(IDLE_SECONDS / 60)
    server.start()
    yield server
    server.stop()
    assert "Traceback (most recent call last)" not in server.log(), server.log()


def test_an_idle_console_is_ended_and_receives_no_checkin(idle_server):
    base, group = idle_server.base_url, idle_server.group()
    with signed_in_facilitator(idle_server, group) as http:
        cookies = http.cookies.get_dict()
    lead = connect(base, cookies)
    try:
        join(lead, group["session_id"])
        assert call(lead, "session:start", {"session_id": group["session_id"]})["ok"]
        assert lead.wait_for_disconnect(timeout=IDLE_SECONDS + 5)
        member = connect(base, participant_cookies(base, group["participants"][0]["join_path"]))
        try:
            join(member, group["session_id"])
            ack = call(member, "checkin:submit", {
                "session_id": group["session_id"], "client_id": str(uuid.uuid4()), "mood": 2,
                "note": "idle-console-marker"})
            assert ack["ok"], ack
        finally:
            member.disconnect()
        time.sleep(0.5)
        assert not [e for e, _ in lead.received if e.startswith(("checkin", "alert"))]
    finally:
        lead.disconnect()
    with pytest.raises(ConnectRefused):  # the cookie's sign-in expired too
        connect(base, cookies)


def test_a_quiet_participant_is_never_cut_off_for_being_idle(idle_server):
    """A participant sitting quietly through a session keeps their connection and can still
    send a check-in (their join link is their sign-in); only facilitators time out."""
    base, group = idle_server.base_url, idle_server.group(1)
    with signed_in_facilitator(idle_server, group) as http:
        lead = connect(base, http.cookies.get_dict())
    cookies = participant_cookies(base, group["participants"][1]["join_path"])
    member = connect(base, cookies)
    try:
        join(lead, group["session_id"])
        assert call(lead, "session:start", {"session_id": group["session_id"]})["ok"]
        join(member, group["session_id"])
        time.sleep(IDLE_SECONDS + 2)  # a sweep runs every 0.75 s here
        assert member.connected and not member.disconnect_reasons
        ack = call(member, "checkin:submit", {
            "session_id": group["session_id"], "client_id": str(uuid.uuid4()), "mood": 4,
            "phq9": [None] * 8 + [1]})
        assert ack["ok"] and ack["support"], ack
    finally:
        member.disconnect()
        lead.disconnect()
    connect(base, cookies).disconnect()  # the cookie still signs the participant in


def test_a_console_in_use_stays_connected(idle_server):
    base, group = idle_server.base_url, idle_server.group(1)
    with signed_in_facilitator(idle_server, group) as http:
        lead = connect(base, http.cookies.get_dict())
    try:
        for _ in range(3 * IDLE_SECONDS):
            join(lead, group["session_id"])
            time.sleep(0.5)
        assert lead.connected and not lead.disconnect_reasons
    finally:
        lead.disconnect()


def revoke_in_the_database(server, participant_id: int) -> None:
    """Revoke a participant's links in the database only: nothing closes their sockets."""
    engine = create_engine(normalise_database_url(server.env["DATABASE_URL"]))
    try:
        with engine.begin() as db:
            db.execute(text("UPDATE join_links SET revoked_at = CURRENT_TIMESTAMP "
                            "WHERE participant_id = :p"), {"p": participant_id})
    finally:
        engine.dispose()


def test_the_sweep_ends_a_busy_connection_whose_link_was_revoked_behind_its_back(idle_server):
    """No single path is trusted: a revocation nothing announced still ends the socket."""
    base, group = idle_server.base_url, idle_server.group(1)
    person = group["participants"][2]
    member = connect(base, participant_cookies(base, person["join_path"]))
    try:
        join(member, group["session_id"])
        revoke_in_the_database(idle_server, person["participant_id"])
        deadline = time.monotonic() + IDLE_SECONDS
        while member.connected and time.monotonic() < deadline:
            member.emit("hand:lower", {"session_id": group["session_id"]}, namespace=NAMESPACE)
            time.sleep(0.3)  # busy: never idle, so only the sign-in check can end it
        member.wait_for_disconnect(timeout=2)
    finally:
        member.disconnect()
