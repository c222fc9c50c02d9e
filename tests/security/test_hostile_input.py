"""Hostile input on a real server: thousands of random and malformed payloads to every event.

Every reply must be a well-formed acknowledgement, the connection and the server must stay
up, and the server's log must not quote what was sent.
"""

import json

import pytest
from helpers.server import (
    LiveServer,
    call,
    connect,
    facilitator_cookies,
    join,
    participant_cookies,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import realtime.handlers  # noqa: F401 - registers the events listed in EVENTS
import realtime.roleplay  # noqa: F401 - and the role-play debrief
from realtime.dispatch import EVENTS

CODES = {"unauthorized", "forbidden", "invalid", "not_found", "conflict", "rate_limited",
         "unavailable"}
FIELDS = ["session_id", "item_id", "client_id", "mood", "phq9", "note", "needs_support", "text",
          "assignment_id", "times_practised", "problem_area", "anonymous", "card_id", "action",
          "theme_id", "title", "alert_id", "participant_id", "roles", "role", "seconds", "label",
          "on", "for_participant_id", "partner_id", "inventory_person_id", "other_person",
          "wants_to_say", "member_plays", "confrontation", "safety_checked", "prompt_id",
          "worked", "next_time"]
MARK = "HOSTILE-MARK"

scalars = (st.none() | st.booleans() | st.integers(-2**63, 2**63) | st.floats(allow_nan=False)
           | st.text(max_size=40) | st.just(MARK) | st.integers(0, 12)
           | st.sampled_from(["grief", "approve", "reject", "edit", "", "role_dispute"]))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=5)
                      | st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), inner,
                                        max_size=5), max_leaves=12)
payloads = (st.dictionaries(st.sampled_from(FIELDS), values, max_size=8)
            | values | st.lists(values, max_size=3))


@pytest.fixture(scope="module")
def stage(tmp_path_factory):
    """A real server with a live session, and a facilitator's and a participant's socket."""
    server = LiveServer(tmp_path_factory.mktemp("hostile"))
    server.prepare()
    server.env["EVENT_RATE_PER_SECOND"] = "100000"
    server.env["EVENT_RATE_BURST"] = "100000"
    server.start()
    base, group = server.base_url, server.group(0)
    login = group["facilitator"]
    fac = connect(base, facilitator_cookies(base, login["email"], login["password"]))
    person = connect(base, participant_cookies(base, group["participants"][0]["join_path"]))
    join(fac, group["session_id"])
    call(fac, "session:start", {"session_id": group["session_id"]})
    yield server, {"facilitator": fac, "participant": person}
    fac.disconnect()
    person.disconnect()
    server.stop()


def well_formed(ack) -> bool:
    """Tell whether an acknowledgement has the protocol's envelope."""
    if not isinstance(ack, dict) or not isinstance(ack.get("ok"), bool):
        return False
    if ack["ok"]:
        return True
    error = ack.get("error", {})
    return error.get("code") in CODES and isinstance(error.get("message"), str)


@settings(max_examples=3000, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(event=st.sampled_from(sorted(EVENTS)), who=st.sampled_from(["facilitator", "participant"]),
       payload=payloads)
def test_every_reply_is_a_well_formed_ack(stage, event, who, payload):
    server, socks = stage
    ack = call(socks[who], event, payload)
    assert well_formed(ack), (event, payload, ack)


def test_the_server_is_up_and_quiet_afterwards(stage):
    server, socks = stage
    for sock in socks.values():
        assert sock.connected
    assert call(socks["participant"], "hand:lower",
                {"session_id": server.group(0)["session_id"]})["ok"]
    log = server.log()
    assert MARK not in log
    assert "Traceback" not in log, log[-3000:]
    assert json.dumps({"ok": True})
