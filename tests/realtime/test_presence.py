"""Presence: who is online, and raised hands."""

import time

from helpers import NAMESPACE, emit, joined, make_group, participant_socket
from helpers.scenes import inbox, ok, refused, scene

from facilitator.extensions import db
from facilitator.models import GroupSession
from facilitator.services.reporting import session_summary


def person(presence: dict, kind: str, person_id: int) -> dict:
    """One person's entry in a ``presence`` payload."""
    (entry,) = [p for p in presence["people"] if p["kind"] == kind and p["id"] == person_id]
    return entry


def hands(presence: dict) -> set[int]:
    """The participants whose hand is up."""
    return {p["id"] for p in presence["people"] if p["hand_raised"]}


def test_joining_shows_the_newcomer_online_to_everyone(app, world):
    stage = scene(app, world, people=2)
    third = world.participant_ids[2]
    late = participant_socket(app, world, 2)
    joined(late, stage.sid)
    for sock in (*stage.everyone(), late):
        presence = inbox(sock)["presence"][-1]
        assert presence["session_id"] == stage.sid
        assert person(presence, "participant", third)["online"] is True
        assert person(presence, "participant", third)["display_name"] == "Person 3"


def test_disconnecting_shows_the_person_offline(app, world):
    stage = scene(app, world)
    leaving = world.participant_ids[1]
    stage.people[1].disconnect(NAMESPACE)
    for sock in (stage.fac, stage.people[0], stage.people[2]):
        presence = inbox(sock)["presence"][-1]
        assert person(presence, "participant", leaving)["online"] is False
        assert person(presence, "participant", world.participant_ids[0])["online"] is True
    presence = joined(stage.fac, stage.sid)["presence"]
    assert person(presence, "participant", leaving)["online"] is False


def test_facilitator_going_offline_is_shown_too(app, world):
    stage = scene(app, world, people=1)
    stage.fac.disconnect(NAMESPACE)
    presence = inbox(stage.people[0])["presence"][-1]
    assert person(presence, "facilitator", world.facilitator_id)["online"] is False


def test_a_second_device_keeps_the_person_online(app, world):
    stage = scene(app, world, people=1)
    phone = participant_socket(app, world, 0)
    joined(phone, stage.sid)
    stage.drain()
    phone.disconnect(NAMESPACE)
    presence = inbox(stage.fac)["presence"][-1]
    assert person(presence, "participant", world.participant_ids[0])["online"] is True


def test_raising_a_hand_shows_to_everyone(app, world):
    stage = scene(app, world)
    p2 = world.participant_ids[1]
    ok(emit(stage.people[1], "hand:raise", {"session_id": stage.sid}))
    for sock in stage.everyone():
        presence = inbox(sock)["presence"][-1]
        assert hands(presence) == {p2}
        assert person(presence, "participant", p2)["hand_raised_at"]
    assert hands(joined(stage.people[0], stage.sid)["presence"]) == {p2}
    ok(emit(stage.people[1], "hand:lower", {"session_id": stage.sid}))
    for sock in stage.everyone():
        assert hands(inbox(sock)["presence"][-1]) == set()


def test_raising_twice_keeps_the_first_place_in_the_queue(app, world):
    stage = scene(app, world, people=1)
    ok(emit(stage.people[0], "hand:raise", {"session_id": stage.sid}))
    first = person(inbox(stage.fac)["presence"][-1], "participant", world.participant_ids[0])
    ok(emit(stage.people[0], "hand:raise", {"session_id": stage.sid}))
    again = person(inbox(stage.fac)["presence"][-1], "participant", world.participant_ids[0])
    assert again["hand_raised_at"] == first["hand_raised_at"]


def test_facilitator_lowers_anyones_hand(app, world):
    stage = scene(app, world)
    p1, p2, _ = world.participant_ids
    for sock in stage.people[:2]:
        ok(emit(sock, "hand:raise", {"session_id": stage.sid}))
    stage.drain()
    ok(emit(stage.fac, "hand:lower", {"session_id": stage.sid, "participant_id": p2}))
    for sock in stage.everyone():
        assert hands(inbox(sock)["presence"][-1]) == {p1}


def test_facilitator_must_say_whose_hand(app, world):
    stage = scene(app, world)
    ok(emit(stage.people[0], "hand:raise", {"session_id": stage.sid}))
    stage.drain()
    refused(emit(stage.fac, "hand:lower", {"session_id": stage.sid}), "invalid")
    other = make_group(app, 1, name="Thursday group")
    refused(emit(stage.fac, "hand:lower", {"session_id": stage.sid,
                                           "participant_id": other.participant_ids[0]}),
            "not_found")
    assert hands(joined(stage.fac, stage.sid)["presence"]) == {world.participant_ids[0]}


def test_a_participant_cannot_lower_someone_elses_hand(app, world):
    stage = scene(app, world)
    p1 = world.participant_ids[0]
    ok(emit(stage.people[0], "hand:raise", {"session_id": stage.sid}))
    refused(emit(stage.people[1], "hand:lower", {"session_id": stage.sid, "participant_id": p1}),
            "forbidden")
    assert p1 in hands(joined(stage.fac, stage.sid)["presence"])


def test_facilitator_has_no_hand_to_raise(app, world):
    stage = scene(app, world)
    refused(emit(stage.fac, "hand:raise", {"session_id": stage.sid}), "forbidden")
    assert "presence" not in inbox(stage.people[0])


def test_a_hand_waits_for_the_session_to_start(app, world):
    stage = scene(app, world, live=False, people=1)
    refused(emit(stage.people[0], "hand:raise", {"session_id": stage.sid}), "conflict")
    assert "presence" not in inbox(stage.fac)
    stage.start()
    ok(emit(stage.people[0], "hand:raise", {"session_id": stage.sid}))
    assert hands(inbox(stage.fac)["presence"][-1]) == {world.participant_ids[0]}


def test_lowering_a_hand_does_not_mark_anyone_present(app, world):
    stage = scene(app, world, live=False, people=1)
    ok(emit(stage.people[0], "hand:lower", {"session_id": stage.sid}))
    ok(emit(stage.fac, "hand:lower", {"session_id": stage.sid,
                                      "participant_id": world.participant_ids[1]}))
    with app.app_context():
        session = db.session.get(GroupSession, stage.sid)
        assert session_summary(session).present == []


def test_a_member_who_does_not_take_part_is_not_in_who_is_here(app, world):
    from facilitator.models import Group
    from facilitator.services import groups as rules

    with app.app_context():
        group = db.session.get(Group, world.group_id)
        waiting = rules.add_participant(group, "Still to meet").id  # invited
        referred = rules.add_participant(group, "Referred on", status="referred").id
    stage = scene(app, world, people=1)
    seen = joined(stage.people[0], stage.sid)["presence"]["people"]
    ids = {p["id"] for p in seen if p["kind"] == "participant"}
    assert ids == set(world.participant_ids)
    assert not {waiting, referred} & ids
    console = joined(stage.fac, stage.sid)
    assert {p["id"] for p in console["participants"]} == set(world.participant_ids)


def wait_for_presence(sock, seconds: float = 20.0) -> list[dict]:
    """Every ``presence`` the socket received, once at least one has (bounded wait)."""
    seen: list[dict] = []
    deadline = time.monotonic() + seconds
    while not seen and time.monotonic() < deadline:
        seen += inbox(sock).get("presence", [])
        time.sleep(0.05)
    return seen


def test_a_burst_of_joins_sends_one_presence_that_shows_everyone(app, world):
    """After a restart a whole room joins at once: one ``presence`` for the burst (it goes
    out ``PRESENCE_COALESCE_SECONDS`` after the first join), true for every join in it."""
    stage = scene(app, world, people=0)
    app.config["PRESENCE_COALESCE_SECONDS"] = 2.0
    socks = []
    for index in range(3):
        sock = participant_socket(app, world, index)
        state = joined(sock, stage.sid)  # the snapshot is current at once
        assert person(state["presence"], "participant", world.participant_ids[index])["online"]
        socks.append(sock)
    assert "presence" not in inbox(stage.fac)  # not one per join
    (burst,) = wait_for_presence(stage.fac)
    assert {p["id"] for p in burst["people"] if p["online"] and p["kind"] == "participant"} \
        == set(world.participant_ids[:3])
    socks[0].disconnect(NAMESPACE)  # a leave after the burst sends again
    (after,) = wait_for_presence(stage.fac)
    assert person(after, "participant", world.participant_ids[0])["online"] is False
    assert person(after, "participant", world.participant_ids[1])["online"] is True
