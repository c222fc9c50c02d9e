"""The snapshot's IPT method keys: ``course``, each item's ``now`` line, facilitators'
``script``, and a participant's own plan in ``me`` (docs/protocol.md)."""

import uuid

import pytest
from helpers import (
    World,
    emit,
    facilitator_socket,
    joined,
    make_group,
    participant_socket,
)
from helpers.scenes import (
    add_agenda_item,
    dump,
    frames,
    give_plan,
    inbox,
    ok,
    scene,
    statements_during,
)

from facilitator.course import AGENDA_KINDS, TEMPLATES
from facilitator.extensions import db
from facilitator.models import Goal, GroupSession
from facilitator.services import live, plans


def make_course(app, template: str, participants: int = 2) -> World:
    """A group on one of the shipped course plans, with enrolled members."""
    return make_group(app, participants, name=f"{template} group",
                      email=f"lead-{uuid.uuid4().hex[:8]}@example.org", template=template)


def assert_facilitator_item(item: dict) -> None:
    """A facilitator's agenda item: a ``now`` line and a script of plain steps."""
    assert isinstance(item["now"], str) and item["now"].strip(), item
    assert isinstance(item["script"], list) and item["script"], item
    for step in item["script"]:
        assert set(step) == {"text", "minutes"}, step
        assert isinstance(step["text"], str) and step["text"].strip(), step
        assert step["minutes"] is None or (isinstance(step["minutes"], int)
                                           and step["minutes"] > 0), step


def counters(state: dict) -> dict:
    """The snapshot's course counters (``course`` also carries the ending's keys)."""
    return {key: state["course"][key] for key in ("number", "total", "left")}


def assert_participant_item(item: dict) -> None:
    """A participant's agenda item: the ``now`` line, and no script at all."""
    assert isinstance(item["now"], str) and item["now"].strip(), item
    assert "script" not in item, item


@pytest.mark.parametrize("index, expected", [(0, (1, 8, 7)), (3, (4, 8, 4)), (7, (8, 8, 0))])
def test_course_counters_on_the_first_a_middle_and_the_last_session(app, world, index,
                                                                     expected):
    session_id = world.session_ids[index]
    number, total, left = expected
    for sock in (facilitator_socket(app, world), participant_socket(app, world, 0)):
        state = joined(sock, session_id)
        assert counters(state) == {"number": number, "total": total, "left": left}
        assert state["session"]["number"] == number


@pytest.mark.parametrize("template", sorted(TEMPLATES))
def test_every_item_of_every_session_of_every_shipped_plan_has_its_texts(app, template):
    course = make_course(app, template)
    fac = facilitator_socket(app, course)
    member = participant_socket(app, course, 0)
    total = TEMPLATES[template].sessions
    assert len(course.session_ids) == total
    for number, session_id in enumerate(course.session_ids, start=1):
        mine, theirs = joined(fac, session_id), joined(member, session_id)
        for state in (mine, theirs):
            assert counters(state) == {"number": number, "total": total,
                                       "left": total - number}
        assert len(mine["agenda"]) >= 4
        assert mine["session"]["purpose"] == TEMPLATES[template].spec(number).purpose
        assert "purpose" not in theirs["session"]
        for item in mine["agenda"]:
            assert_facilitator_item(item)
        for item in theirs["agenda"]:
            assert_participant_item(item)
        assert [i["now"] for i in mine["agenda"]] == [i["now"] for i in theirs["agenda"]]


def test_items_a_facilitator_adds_have_a_script_and_reach_participants_without_it(app, world):
    stage = scene(app, world, live=False)
    middle = world.session_ids[3]
    for sock in stage.everyone():
        joined(sock, middle)
    stage.drain()
    for kind in AGENDA_KINDS:
        add_agenda_item(app, world, f"Added {kind}", kind, session_id=middle)
    updates = inbox(stage.fac)["agenda:updated"]
    assert len(updates) == len(AGENDA_KINDS)
    for item in updates[-1]["agenda"]:
        assert_facilitator_item(item)
    added = [i for i in updates[-1]["agenda"] if i["title"].startswith("Added ")]
    assert {i["kind"] for i in added} == set(AGENDA_KINDS)
    for sock in stage.people:
        got = inbox(sock)["agenda:updated"]
        assert len(got) == len(AGENDA_KINDS)
        for update in got:
            for item in update["agenda"]:
                assert_participant_item(item)
    for item in joined(stage.fac, middle)["agenda"]:
        assert_facilitator_item(item)


def test_the_current_item_reaches_facilitators_with_its_script_and_participants_without(
        app, world):
    stage = scene(app, world)
    checkin = next(i for i in joined(stage.fac, stage.sid)["agenda"] if i["kind"] == "checkin")
    stage.drain()
    ok(emit(stage.fac, "agenda:activate", {"session_id": stage.sid, "item_id": checkin["id"]}))
    facing = inbox(stage.fac)["agenda:changed"]
    assert len(facing) == 1 and facing[0]["current_item_id"] == checkin["id"]
    assert_facilitator_item(facing[0]["item"])
    assert facing[0]["item"]["script"] == checkin["script"]
    for sock in stage.people:
        changed = inbox(sock)["agenda:changed"]
        assert len(changed) == 1, "each participant hears of the push once"
        assert_participant_item(changed[0]["item"])
        assert changed[0]["item"]["now"] == checkin["now"]
        assert "checking in" in changed[0]["item"]["now"]


def test_a_push_the_ordinary_way_knows_its_session_s_phase(app, world):
    with app.app_context():
        session = db.session.get(GroupSession, world.session_ids[3])
        live.start_session(session)
        shown = live.activate_item(session, session.agenda[1].id)
        assert (shown.kind, shown.phase) == ("checkin", "middle")


def test_a_member_sees_their_own_goals_and_summary_and_nobody_else_s(app, world):
    marks = {i: f"{uuid.uuid4().hex[:8]}" for i in range(2)}
    give_plan(app, world.participant_ids[0],
              [f"Call my sister on Sundays {marks[0]}", f"Say no to extra shifts {marks[0]}"],
              f"I want to feel closer to my family {marks[0]}")
    give_plan(app, world.participant_ids[1], [f"Join the walking club {marks[1]}"])
    stage = scene(app, world)
    first = joined(stage.fac, stage.sid)["agenda"][0]["id"]
    ok(emit(stage.fac, "agenda:activate", {"session_id": stage.sid, "item_id": first}))
    states = [joined(sock, stage.sid) for sock in stage.people]
    assert [g["text"] for g in states[0]["me"]["goals"]] == [
        f"Call my sister on Sundays {marks[0]}", f"Say no to extra shifts {marks[0]}"]
    assert states[0]["me"]["shared_summary"] == f"I want to feel closer to my family {marks[0]}"
    assert [g["text"] for g in states[1]["me"]["goals"]] == [f"Join the walking club {marks[1]}"]
    assert states[1]["me"]["shared_summary"] is None
    assert states[2]["me"]["goals"] == [] and states[2]["me"]["shared_summary"] is None
    for state in states:
        assert all(set(goal) == {"id", "text"} for goal in state["me"]["goals"])
    for i, sock in enumerate(stage.people):
        seen = dump(frames(sock)) + dump(states[i])
        for j, mark in marks.items():
            assert (mark in seen) is (i == j), f"member {i} and the plan of member {j}"
    facilitator = joined(stage.fac, stage.sid)["me"]
    assert "goals" not in facilitator and "shared_summary" not in facilitator


def test_a_dropped_goal_leaves_the_member_s_phone(app, world):
    give_plan(app, world.participant_ids[0], ["Keep", "Drop"])
    with app.app_context():
        dropped = db.session.query(Goal).filter_by(text="Drop").one()
        plans.retire_goal(dropped)
        db.session.commit()
    state = joined(participant_socket(app, world, 0), world.session_id)
    assert [g["text"] for g in state["me"]["goals"]] == ["Keep"]


def test_a_member_s_goals_cost_one_small_query_however_many(app, world):
    sock = participant_socket(app, world, 0)
    joined(sock, world.session_id)  # warm: the first join records attendance and presence
    before = sql_during(app, lambda: joined(sock, world.session_id))
    give_plan(app, world.participant_ids[0], ["One", "Two", "Three"], "A line")
    after = sql_during(app, lambda: joined(sock, world.session_id))
    assert len(after) == len(before), "goals add no statement when there are some"
    assert len([sql for sql in after if "FROM goals" in sql]) == 1


def sql_during(app, action) -> list[str]:
    """Run ``action()``; return every SQL statement it sent, whole (every pool)."""
    return statements_during(app, action, whole=True)


def test_a_participant_of_another_group_gets_nothing_of_this_plan(app, world):
    give_plan(app, world.participant_ids[0], ["Private goal xyzzy"], "Private line xyzzy")
    other = make_group(app, 1, name="Thursday group")
    outsider = participant_socket(app, other, 0)
    joined(outsider, other.session_id)
    stage = scene(app, world)
    joined(stage.people[0], stage.sid)
    assert "xyzzy" not in dump(frames(outsider))
