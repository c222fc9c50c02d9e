"""Who may do what: sign-in at connect, other groups, roles, and unknown things."""

from dataclasses import dataclass

import pytest
from helpers import (
    NAMESPACE,
    emit,
    facilitator_socket,
    joined,
    live,
    login_as,
    make_group,
    participant_socket,
)
from helpers.scenes import (
    card,
    checkin,
    client_id,
    inbox,
    ok,
    refused,
    scene,
    statements_during,
)

from facilitator.extensions import db
from facilitator.models import Connection, Facilitator, Participant
from facilitator.services import groups as rules


@dataclass
class Target:
    """Ids of things in a running session of the group under attack."""

    session_id: int
    item_id: int
    participant_id: int
    card_id: int
    alert_id: int
    assignment_id: int


PAYLOADS = {
    "session:join": lambda t: {"session_id": t.session_id},
    "session:start": lambda t: {"session_id": t.session_id},
    "session:end": lambda t: {"session_id": t.session_id},
    "agenda:activate": lambda t: {"session_id": t.session_id, "item_id": t.item_id},
    "prompt:push": lambda t: {"session_id": t.session_id, "text": "Role-play",
                              "roles": [{"participant_id": t.participant_id, "role": "Boss"}]},
    "prompt:clear": lambda t: {"session_id": t.session_id},
    "timer:start": lambda t: {"session_id": t.session_id, "seconds": 60, "label": "Go"},
    "timer:stop": lambda t: {"session_id": t.session_id},
    "checkin:submit": lambda t: checkin(t.session_id, 5, phq9=[1] * 9),
    "homework:assign": lambda t: {"session_id": t.session_id, "text": "Walk",
                                  "participant_id": t.participant_id},
    "reflection:submit": lambda t: {"client_id": client_id(),
                                    "assignment_id": t.assignment_id, "text": "Did it"},
    "card:submit": lambda t: card(t.session_id),
    "card:moderate": lambda t: {"card_id": t.card_id, "action": "approve"},
    "theme:create": lambda t: {"session_id": t.session_id, "title": "Hello",
                               "problem_area": "grief"},
    "alert:ack": lambda t: {"alert_id": t.alert_id},
    "hand:raise": lambda t: {"session_id": t.session_id},
    "hand:lower": lambda t: {"session_id": t.session_id, "participant_id": t.participant_id},
}
FACILITATOR_ONLY = ["session:start", "session:end", "agenda:activate", "prompt:push",
                    "prompt:clear", "timer:start", "timer:stop", "homework:assign",
                    "card:moderate", "theme:create", "alert:ack"]
PARTICIPANT_ONLY = ["checkin:submit", "reflection:submit", "hand:raise"]
EVERY_EVENT = sorted(PAYLOADS)


def target(app, world):
    """A live session with a pending card, an open alert and homework; everyone drained."""
    stage = scene(app, world)
    p = world.participant_ids
    item_id = joined(stage.fac, stage.sid)["agenda"][0]["id"]
    ok(emit(stage.people[0], "checkin:submit", checkin(stage.sid, 1, needs_support=True)))
    card_id = ok(emit(stage.people[1], "card:submit", card(stage.sid)))["card_id"]
    assignment_id = ok(emit(stage.fac, "homework:assign", {"session_id": stage.sid,
                                                           "text": "Practise"}))["assignment_id"]
    alert_id = joined(stage.fac, stage.sid)["alerts"][0]["alert_id"]
    ok(emit(stage.people[2], "hand:raise", {"session_id": stage.sid}))
    stage.drain()
    return stage, Target(stage.sid, item_id, p[2], card_id, alert_id, assignment_id)


def nothing_changed(stage, t: Target) -> None:
    """Assert that nobody in the group heard of anything and the session is as it was."""
    for sock in stage.everyone():
        assert dict(inbox(sock)) == {}
    state = joined(stage.fac, t.session_id)
    assert state["session"]["status"] == "live"
    assert state["current_item_id"] is None and state["prompt"] is None
    assert state["timer"]["ends_at"] is None
    assert [c["id"] for c in state["pending_cards"]] == [t.card_id]
    assert [a["alert_id"] for a in state["alerts"]] == [t.alert_id]
    assert len(state["checkins"]) == 1 and state["reflections"] == []
    assert [h["assignment_id"] for h in state["homework"]] == [t.assignment_id]
    assert state["board"] == {"themes": [], "cards": []}
    raised = [p["id"] for p in state["presence"]["people"] if p["hand_raised"]]
    assert raised == [t.participant_id]


def test_a_connection_without_sign_in_is_refused(app, world):
    sock = live(app, app.test_client())
    assert not sock.is_connected(NAMESPACE)


def test_a_wrong_password_gives_no_connection(app, world):
    http = app.test_client()
    login_as(http, world.email, "not the password at all")
    assert not live(app, http).is_connected(NAMESPACE)


FAST_WAYS = pytest.mark.parametrize("fast", [True, False], ids=["fast-ways-on", "fast-ways-off"])


@FAST_WAYS
def test_a_revoked_join_link_can_no_longer_connect(app, world, fast):
    app.config["FAST_WAYS"] = fast
    http = app.test_client()
    http.get(world.join_paths[0])
    assert live(app, http).is_connected(NAMESPACE)
    with app.app_context():
        rules.revoke_link(db.session.get(Participant, world.participant_ids[0]))
    before = connections(app)
    assert not live(app, http).is_connected(NAMESPACE)
    assert connections(app) == before  # the refused connection left no row


@FAST_WAYS
def test_a_facilitator_signed_out_elsewhere_can_no_longer_connect(app, world, fast):
    app.config["FAST_WAYS"] = fast
    http = app.test_client()
    login_as(http, world.email)
    assert live(app, http).is_connected(NAMESPACE)
    with app.app_context():  # what POST /logout does on another device
        db.session.get(Facilitator, world.facilitator_id).session_version += 1
        db.session.commit()
    assert not live(app, http).is_connected(NAMESPACE)
    assert connections(app) == [("facilitator", world.facilitator_id, None)]  # the first


@FAST_WAYS
def test_a_connection_is_remembered_as_its_person(app, world, fast):
    """Who is connected (sign-out and revocation close these) is the same either way."""
    app.config["FAST_WAYS"] = fast
    facilitator_socket(app, world)
    participant_socket(app, world, 1)
    assert connections(app) == [("facilitator", world.facilitator_id, None),
                                ("participant", world.participant_ids[1], None)]


def test_a_connect_signs_in_inside_the_write_of_its_row(app, world):
    """The fast way: one statement, no sign-in query of its own."""
    http = app.test_client()
    http.get(world.join_paths[0])
    sock = []
    assert statements_during(app, lambda: sock.append(live(app, http))) == ["INSERT"]
    assert sock[0].is_connected(NAMESPACE)


def connections(app) -> list[tuple]:
    """Every remembered connection: its kind, person and session."""
    with app.app_context():
        return [tuple(row) for row in db.session.execute(db.select(
            Connection.kind, Connection.person_id, Connection.session_id)
            .order_by(Connection.kind, Connection.person_id))]


@pytest.mark.parametrize("event", EVERY_EVENT)
def test_facilitator_of_another_group_is_forbidden(app, world, event):
    stage, t = target(app, world)
    other = make_group(app, 1, name="Thursday group")
    stranger = facilitator_socket(app, other)
    joined(stranger, other.session_id)
    ok(emit(stranger, "session:start", {"session_id": other.session_id}))
    refused(emit(stranger, event, PAYLOADS[event](t)), "forbidden")
    nothing_changed(stage, t)


@pytest.mark.parametrize("event", EVERY_EVENT)
def test_participant_of_another_group_is_forbidden(app, world, event):
    stage, t = target(app, world)
    other = make_group(app, 1, name="Thursday group")
    stranger = participant_socket(app, other, 0)
    joined(stranger, other.session_id)
    refused(emit(stranger, event, PAYLOADS[event](t)), "forbidden")
    nothing_changed(stage, t)


@pytest.mark.parametrize("event", FACILITATOR_ONLY)
def test_participant_cannot_use_facilitator_events(app, world, event):
    stage, t = target(app, world)
    refused(emit(stage.people[0], event, PAYLOADS[event](t)), "forbidden")
    nothing_changed(stage, t)


@pytest.mark.parametrize("event", PARTICIPANT_ONLY)
def test_facilitator_cannot_use_participant_events(app, world, event):
    stage, t = target(app, world)
    refused(emit(stage.fac, event, PAYLOADS[event](t)), "forbidden")
    nothing_changed(stage, t)


def unknown(t: Target) -> Target:
    """The same ids, none of which exists."""
    return Target(*(987_654 for _ in range(6)))


FACILITATOR_NOT_FOUND = [e for e in EVERY_EVENT if e not in PARTICIPANT_ONLY]
PARTICIPANT_NOT_FOUND = ["session:join", "card:submit", "hand:lower", *PARTICIPANT_ONLY]


@pytest.mark.parametrize("event", FACILITATOR_NOT_FOUND)
def test_facilitator_naming_something_unknown_gets_not_found(app, world, event):
    stage, t = target(app, world)
    payload = PAYLOADS[event](unknown(t))
    if event in ("agenda:activate", "hand:lower"):
        payload["session_id"] = t.session_id  # the session exists, the item or person not
    if event == "prompt:push":
        payload["roles"] = []
    refused(emit(stage.fac, event, payload), "not_found")
    nothing_changed(stage, t)


@pytest.mark.parametrize("event", PARTICIPANT_NOT_FOUND)
def test_participant_naming_something_unknown_gets_not_found(app, world, event):
    stage, t = target(app, world)
    refused(emit(stage.people[1], event, PAYLOADS[event](unknown(t))), "not_found")
    nothing_changed(stage, t)


def test_a_refusal_leaves_the_connection_usable(app, world):
    stage, t = target(app, world)
    refused(emit(stage.people[0], "session:end", {"session_id": t.session_id}), "forbidden")
    assert joined(stage.people[0], t.session_id)["session"]["status"] == "live"
    ok(emit(stage.people[0], "hand:raise", {"session_id": t.session_id}))


def test_a_flood_is_rate_limited_and_the_connection_stays(app, world):
    """A burst of 20 is always served; past it, with no refill, the answer is rate_limited."""
    app.config["EVENT_RATE_PER_SECOND"] = 0  # no refill: the test cannot depend on the clock
    stage = scene(app, world, live=False, people=1)  # the join spent one token each
    flooder = participant_socket(app, world, 1)
    for _ in range(app.config["EVENT_RATE_BURST"]):
        ok(emit(flooder, "hand:lower", {"session_id": stage.sid}))
    refused(emit(flooder, "hand:lower", {"session_id": stage.sid}), "rate_limited")
    refused(emit(flooder, "session:join", {"session_id": stage.sid}), "rate_limited")
    assert flooder.is_connected(NAMESPACE)
    ok(emit(stage.people[0], "hand:lower", {"session_id": stage.sid}))
    fresh = participant_socket(app, world, 1)
    ok(emit(fresh, "hand:lower", {"session_id": stage.sid}))
