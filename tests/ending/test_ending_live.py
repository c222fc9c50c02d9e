"""The ending, live: the countdown in the snapshot, and a member's own staying-well plan
(``wellplan:save``): theirs only, to their facilitators only, bad input answered ``invalid``."""

import json

from helpers import emit, facilitator_socket, joined, login_as, participant_socket, received

from facilitator.extensions import db
from facilitator.models import GroupSession, StayingWellPlan

PLAN = {"warning_signs": "Sleeping badly, not answering my sister's calls",
        "what_helps": "A walk at lunchtime, the allotment",
        "who_to_contact": "My sister Ana, the GP surgery"}


def test_the_countdown_is_in_the_snapshot_from_the_termination_phase(app, world):
    person = participant_socket(app, world)
    first = joined(person, world.session_ids[0])["course"]
    assert first["phase"] == "initial" and first["ending"] is None
    last = joined(person, world.session_ids[-1])["course"]  # WHO 8: session 8 ends the course
    assert last["phase"] == "termination" and last["left"] == 0
    assert last["ending"].startswith("This is our last session")
    lead = facilitator_socket(app, world)
    assert joined(lead, world.session_ids[-1])["course"]["ending"] == last["ending"]


def test_the_countdown_of_a_longer_course(app):
    from helpers import make_group
    world = make_group(app, participants=1, template="ipt12")
    person = participant_socket(app, world)
    with app.app_context():
        phases = {s.number: s.phase for s in db.session.scalars(db.select(GroupSession).where(
            GroupSession.group_id == world.group_id))}
    first_ending = min(n for n, phase in phases.items() if phase == "termination")
    course = joined(person, world.session_ids[first_ending - 1])["course"]
    left = 12 - first_ending
    assert course["left"] == left and course["ending"].startswith(f"{left} session")
    before = joined(person, world.session_ids[first_ending - 2])["course"]
    assert before["ending"] is None


def test_a_member_writes_their_own_plan_and_only_their_facilitators_read_it(app, world):
    lead = facilitator_socket(app, world)
    joined(lead, world.session_id)
    writer = participant_socket(app, world, 0)
    joined(writer, world.session_id)
    other = participant_socket(app, world, 1)
    joined(other, world.session_id)
    for sock in (lead, writer, other):
        received(sock)

    ack = emit(writer, "wellplan:save", PLAN)
    assert ack["ok"], ack
    assert ack["plan"]["what_helps"] == PLAN["what_helps"]
    assert received(lead, "wellplan:updated")[0]["who_to_contact"] == PLAN["who_to_contact"]
    assert received(writer, "wellplan:mine")[0]["warning_signs"] == PLAN["warning_signs"]
    assert "allotment" not in json.dumps(received(other))

    # A reload: the member's snapshot carries their plan, the console's every plan, and the
    # other member's neither.
    assert joined(writer, world.session_id)["my_wellplan"]["what_helps"] == PLAN["what_helps"]
    plans = joined(lead, world.session_id)["wellplans"]
    assert [p["participant_id"] for p in plans] == [world.participant_ids[0]]
    theirs = joined(other, world.session_id)
    assert theirs["my_wellplan"] is None and "allotment" not in json.dumps(theirs)

    # A second save replaces the texts (one plan a member).
    assert emit(writer, "wellplan:save", {**PLAN, "what_helps": "Swimming"})["ok"]
    with app.app_context():
        stored = db.session.scalars(db.select(StayingWellPlan)).all()
        assert [(p.participant_id, p.what_helps) for p in stored] == [
            (world.participant_ids[0], "Swimming")]


def test_bad_plans_are_invalid_and_nothing_is_kept(app, world):
    writer = participant_socket(app, world)
    for bad in ({**PLAN, "what_helps": "x" * 1001}, {**PLAN, "warning_signs": 7},
                {**PLAN, "who_to_contact": "Ana\x00"}, ["not", "an", "object"]):
        ack = emit(writer, "wellplan:save", bad)
        assert not ack["ok"] and ack["error"]["code"] == "invalid", ack
        assert ack["error"]["message"]
    with app.app_context():
        assert db.session.scalars(db.select(StayingWellPlan)).all() == []


def test_a_facilitator_cannot_write_a_members_plan(app, world):
    lead = facilitator_socket(app, world)
    ack = emit(lead, "wellplan:save", PLAN)
    assert not ack["ok"] and ack["error"]["code"] == "forbidden"


def test_a_member_keeps_their_own_plan_as_a_text_file(app, world):
    writer = participant_socket(app, world, 0)
    assert emit(writer, "wellplan:save", PLAN)["ok"]
    mine = app.test_client()
    mine.get(world.join_paths[0])
    response = mine.get("/my-staying-well-plan.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert "My warning signs" in text and PLAN["what_helps"] in text
    # Another member gets their own (empty) plan, never this one; a facilitator none.
    theirs = app.test_client()
    theirs.get(world.join_paths[1])
    other_text = theirs.get("/my-staying-well-plan.txt").get_data(as_text=True)
    assert "allotment" not in other_text and "not written yet" in other_text
    lead = app.test_client()
    login_as(lead, world.email)
    assert lead.get("/my-staying-well-plan.txt").status_code == 403
