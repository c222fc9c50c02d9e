"""Homework for the group or for one participant, and reflections on it."""

import pytest
from helpers import emit, facilitator_socket, joined, make_group, participant_socket
from helpers.scenes import client_id, inbox, ok, refused, rows, scene

from facilitator.models import Assignment, Reflection, Theme


def assign(stage, text: str, participant_id: int | None = None) -> dict:
    """Assign homework as the scene's facilitator; return the ack."""
    payload = {"session_id": stage.sid, "text": text}
    if participant_id is not None:
        payload["participant_id"] = participant_id
    return ok(emit(stage.fac, "homework:assign", payload))


def reflect(sock, assignment_id, text="I called my brother twice", cid=None, **extra) -> dict:
    """Send a reflection; return the ack."""
    return emit(sock, "reflection:submit", {"client_id": cid or client_id(),
                                            "assignment_id": assignment_id, "text": text,
                                            **extra})


def test_homework_for_everyone_reaches_every_participant(app, world):
    stage = scene(app, world)
    ack = assign(stage, "Fifteen minutes a day of something pleasant")
    for sock in stage.people:
        (got,) = inbox(sock)["homework:assigned"]
        assert got["assignment_id"] == ack["assignment_id"]
        assert got["text"] == "Fifteen minutes a day of something pleasant"
    for sock in stage.people:
        (entry,) = joined(sock, stage.sid)["homework"]
        assert entry["assignment_id"] == ack["assignment_id"] and entry["reflection"] is None


@pytest.mark.parametrize("index", [0, 2])
def test_personal_homework_reaches_only_that_participant(app, world, index):
    stage = scene(app, world)
    target = world.participant_ids[index]
    ack = assign(stage, "Tell your partner what you need", target)
    for position, sock in enumerate(stage.people):
        got = inbox(sock)["homework:assigned"]
        if position == index:
            assert [h["assignment_id"] for h in got] == [ack["assignment_id"]]
            assert got[0]["text"] == "Tell your partner what you need"
        else:
            assert got == []
    for position, sock in enumerate(stage.people):
        homework = joined(sock, stage.sid)["homework"]
        ids = [h["assignment_id"] for h in homework]
        assert ids == ([ack["assignment_id"]] if position == index else [])


def test_facilitators_see_all_homework(app, world):
    stage = scene(app, world)
    one = assign(stage, "For all")
    two = assign(stage, "For Person 2", world.participant_ids[1])
    ids = [h["assignment_id"] for h in joined(stage.fac, stage.sid)["homework"]]
    assert ids == [one["assignment_id"], two["assignment_id"]]


def test_homework_for_someone_outside_the_group_is_not_found(app, world):
    stage = scene(app, world)
    other = make_group(app, 1, name="Thursday group")
    refused(emit(stage.fac, "homework:assign", {"session_id": stage.sid, "text": "Walk",
                                                "participant_id": other.participant_ids[0]}),
            "not_found")
    for sock in stage.everyone():
        assert "homework:assigned" not in inbox(sock)


def test_homework_reaches_participants_in_another_session_of_the_group(app, world):
    stage = scene(app, world, people=1)
    elsewhere = participant_socket(app, world, 1)
    joined(elsewhere, world.session_ids[1])
    inbox(elsewhere)
    ack = assign(stage, "Carry on")
    assert [h["assignment_id"] for h in inbox(elsewhere)["homework:assigned"]] == [
        ack["assignment_id"]]


@pytest.mark.parametrize("when", ["scheduled", "live", "ended"])
def test_reflection_is_accepted_at_any_time(app, world, when):
    stage = scene(app, world, live=False)
    if when != "scheduled":
        stage.start()
    assignment = assign(stage, "Write down one good moment a day")["assignment_id"]
    if when == "ended":
        stage.end()
    stage.drain()
    ack = ok(reflect(stage.people[0], assignment, times_practised=4))
    assert ack["reflection_id"]
    (seen,) = inbox(stage.fac)["reflection:received"]
    assert seen["reflection_id"] == ack["reflection_id"]
    assert seen["participant_id"] == world.participant_ids[0]
    assert seen["display_name"] == "Person 1"
    assert (seen["text"], seen["times_practised"]) == ("I called my brother twice", 4)
    for sock in stage.people:
        assert dict(inbox(sock)) == {}
    (entry,) = joined(stage.people[0], stage.sid)["homework"]
    assert entry["reflection"]["reflection_id"] == ack["reflection_id"]
    assert joined(stage.people[1], stage.sid)["homework"][0]["reflection"] is None
    assert [r["reflection_id"] for r in joined(stage.fac, stage.sid)["reflections"]] == [
        ack["reflection_id"]]


def test_reflection_reaches_facilitators_in_any_session_of_the_group(app, world):
    stage = scene(app, world, people=1)
    assignment = assign(stage, "Practise")["assignment_id"]
    later = facilitator_socket(app, world)
    joined(later, world.session_ids[2])
    inbox(later)
    ack = ok(reflect(stage.people[0], assignment))
    assert [r["reflection_id"] for r in inbox(later)["reflection:received"]] == [
        ack["reflection_id"]]


def test_same_reflection_twice_is_stored_once(app, world):
    stage = scene(app, world, people=1)
    assignment = assign(stage, "Practise")["assignment_id"]
    cid = client_id()
    first = ok(reflect(stage.people[0], assignment, cid=cid))
    again = ok(reflect(stage.people[0], assignment, text="A different text", cid=cid))
    assert first == again
    assert len(inbox(stage.fac)["reflection:received"]) == 1
    assert rows(app, Reflection, participant_id=world.participant_ids[0]) == 1
    assert len(joined(stage.fac, stage.sid)["reflections"]) == 1


def test_reflection_on_someone_elses_personal_homework_is_not_found(app, world):
    stage = scene(app, world)
    theirs = assign(stage, "Only for Person 1", world.participant_ids[0])["assignment_id"]
    stage.drain()
    refused(reflect(stage.people[1], theirs), "not_found")
    refused(reflect(stage.people[1], 987654), "not_found")
    assert "reflection:received" not in inbox(stage.fac)
    ok(reflect(stage.people[0], theirs))


def test_reflection_from_another_group_is_forbidden(app, world):
    stage = scene(app, world)
    assignment = assign(stage, "For all of this group")["assignment_id"]
    other = make_group(app, 1, name="Thursday group")
    stranger = participant_socket(app, other, 0)
    refused(reflect(stranger, assignment), "forbidden")
    assert "reflection:received" not in inbox(stage.fac)


def test_facilitator_cannot_reflect(app, world):
    stage = scene(app, world)
    assignment = assign(stage, "Practise")["assignment_id"]
    refused(reflect(stage.fac, assignment), "forbidden")


def test_a_later_reflection_replaces_mine_in_the_snapshot(app, world):
    stage = scene(app, world, people=1)
    assignment = assign(stage, "Practise")["assignment_id"]
    ok(reflect(stage.people[0], assignment, text="First try"))
    second = ok(reflect(stage.people[0], assignment, text="Second try"))
    (entry,) = joined(stage.people[0], stage.sid)["homework"]
    assert entry["reflection"]["reflection_id"] == second["reflection_id"]
    assert entry["reflection"]["text"] == "Second try"


def test_homework_retried_with_its_client_id_is_given_once(app, world):
    """A facilitator's retry after a lost answer must not give the homework twice."""
    stage = scene(app, world)
    payload = {"session_id": stage.sid, "text": "Call an old friend", "client_id": client_id()}
    first = ok(emit(stage.fac, "homework:assign", payload))
    again = ok(emit(stage.fac, "homework:assign", payload))
    assert first == again
    for sock in stage.people:
        assert len(inbox(sock)["homework:assigned"]) == 1
        assert len(joined(sock, stage.sid)["homework"]) == 1
    assert rows(app, Assignment, group_id=world.group_id) == 1
    used = {**payload, "text": "Something else"}
    assert ok(emit(stage.fac, "homework:assign", used)) == first  # the first answer stands
    refused(emit(stage.fac, "theme:create", {"session_id": stage.sid, "title": "Loss",
                                            "problem_area": "grief",
                                            "client_id": payload["client_id"]}), "conflict")


def test_theme_retried_with_its_client_id_is_created_once(app, world):
    stage = scene(app, world)
    payload = {"session_id": stage.sid, "title": "Saying goodbye", "problem_area": "grief",
               "client_id": client_id()}
    first = ok(emit(stage.fac, "theme:create", payload))
    assert first["theme"]["title"] == "Saying goodbye"
    assert ok(emit(stage.fac, "theme:create", payload)) == first
    for sock in stage.people:
        assert len(inbox(sock)["theme:updated"]) == 1
    assert rows(app, Theme, group_id=world.group_id) == 1
    without = {k: v for k, v in payload.items() if k != "client_id"}
    ok(emit(stage.fac, "theme:create", without))
    ok(emit(stage.fac, "theme:create", without))
    assert rows(app, Theme, group_id=world.group_id) == 3  # no client_id: each is new
