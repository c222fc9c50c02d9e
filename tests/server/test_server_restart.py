"""A server killed mid-session and restarted: clients come back and nothing acknowledged is lost."""

import uuid

import pytest
from helpers.server import (
    START_TIMEOUT,
    call,
    connect,
    facilitator_cookies,
    join,
    online,
    participant_cookies,
)

pytestmark = pytest.mark.server
RECONNECTING = {"reconnection": True, "reconnection_delay": 0.2, "reconnection_delay_max": 1}


def reconnected(client) -> None:
    """Wait until a reconnecting client is connected to ``/live`` again."""
    client.wait_until(lambda: client.connects >= 2, "a reconnect", timeout=START_TIMEOUT + 10)


def test_after_a_crash_clients_reconnect_and_the_snapshot_holds_the_checkin(live_server):
    base, group = live_server.base_url, live_server.group()
    session_id, people = group["session_id"], group["participants"]
    login = group["facilitator"]
    lead = connect(base, facilitator_cookies(base, login["email"], login["password"]),
                   **RECONNECTING)
    member = connect(base, participant_cookies(base, people[0]["join_path"]), **RECONNECTING)
    leaver = connect(base, participant_cookies(base, people[1]["join_path"]))  # stays away
    try:
        lead_id = join(lead, session_id)["me"]["id"]
        join(member, session_id)
        join(leaver, session_id)
        assert call(lead, "session:start", {"session_id": session_id})["ok"]
        sent = {"session_id": session_id, "client_id": str(uuid.uuid4()), "mood": 6,
                "note": "Slept badly, talked to my sister."}
        ack = call(member, "checkin:submit", sent)
        assert ack["ok"], ack

        live_server.crash()
        for client in (lead, member, leaver):
            client.wait_for_disconnect()
        live_server.start()
        reconnected(lead)
        reconnected(member)

        lead_state = join(lead, session_id)
        state = join(member, session_id)
        mine = state["my_checkin"]
        assert mine["checkin_id"] == ack["checkin_id"]
        assert (mine["mood"], mine["note"]) == (6, sent["note"])
        assert ack["checkin_id"] in [c["checkin_id"] for c in lead_state["checkins"]]
        assert online(state["presence"]) == {("facilitator", lead_id),
                                             ("participant", people[0]["participant_id"])}
        assert not leaver.connected
    finally:
        for client in (lead, member, leaver):
            client.disconnect()
