"""The script's ticks and the weekly round: kept, shown to the session's facilitators only."""

from dataclasses import replace
from html import unescape

import pytest
from helpers import (
    emit,
    facilitator_socket,
    joined,
    login_as,
    make_group,
    participant_socket,
)
from helpers.profile import GOALS, run_session, seed_plan
from helpers.scenes import answers_for, cofacilitator, inbox, ok, refused, rows, scene

from facilitator.extensions import db
from facilitator.models import (
    AgendaItem,
    AuditEvent,
    Goal,
    GoalProgress,
    Participant,
    RoundEntry,
    ScriptTick,
)
from facilitator.services import groups, plans
from facilitator.services import round as rounds
from facilitator.services.vocabulary import ROUND_TECHNIQUES


def middle(app, world):
    """Session 1 held (check-ins, a task for member 0), then session 2 live with everyone."""
    lead = run_session(app, world, 1, {0: (3, answers_for(18)), 1: (4, None)}, end=False)
    ok(emit(lead, "homework:assign", {"session_id": world.session_ids[0],
                                      "text": "Ask my brother for one evening",
                                      "participant_id": world.participant_ids[0]}))
    reflector = participant_socket(app, world, 0)
    joined(reflector, world.session_ids[0])
    task = joined(reflector, world.session_ids[0])["homework"][0]
    ok(emit(reflector, "reflection:submit", {"client_id": "reflect-0001",
                                             "assignment_id": task["assignment_id"],
                                             "text": "He said yes to Thursdays"}))
    ok(emit(lead, "session:end", {"session_id": world.session_ids[0]}))
    return scene(app, replace(world, session_id=world.session_ids[1]))


def goal_ids(app, participant_id):
    """The member's goal ids, in order."""
    with app.app_context():
        return list(db.session.scalars(db.select(Goal.id).where(
            Goal.participant_id == participant_id).order_by(Goal.position)))


def first_item(stage):
    """The session's first agenda item, as the facilitator's snapshot has it."""
    return joined(stage.fac, stage.sid)["agenda"][0]


@pytest.fixture
def planned(app, world):
    """The world with member 0's plan (two goals, disputes and life changes)."""
    seed_plan(app, world, 0)
    return world


def test_a_tick_is_kept_and_reaches_every_facilitator_only(app, planned):
    co_world = cofacilitator(app, planned)
    stage = scene(app, planned)
    co = facilitator_socket(app, co_world)
    joined(co, stage.sid)
    stage.drain()
    co.get_received("/live")
    item = first_item(stage)
    assert len(item["script"]) >= 2
    ok(emit(stage.fac, "script:tick", {"session_id": stage.sid, "item_id": item["id"],
                                       "step": 1, "done": True}))
    (got,) = inbox(co)["script:ticked"]
    assert got == {"session_id": stage.sid, "item_id": item["id"], "step": 1, "done": True}
    for sock in stage.people:
        assert "script:ticked" not in inbox(sock)
    assert joined(co, stage.sid)["script_ticks"] == [{"item_id": item["id"], "step": 1}]
    ok(emit(co, "script:tick", {"session_id": stage.sid, "item_id": item["id"], "step": 1,
                                "done": False}))
    assert joined(stage.fac, stage.sid)["script_ticks"] == []
    assert rows(app, ScriptTick) == 0
    assert rows(app, AuditEvent, action="script.untick") == 1


def test_ticks_refuse_bad_steps_and_other_sessions_items(app, world):
    stage = scene(app, world)
    item = first_item(stage)
    bad = [{"item_id": item["id"], "step": len(item["script"]), "done": True},
           {"item_id": item["id"], "step": -1, "done": True},
           {"item_id": item["id"], "step": 0, "done": "yes"}]
    other = make_group(app, participants=1, name="Other", email="o@example.org")
    other_fac = facilitator_socket(app, other)
    other_item = joined(other_fac, other.session_id)["agenda"][0]
    bad.append({"item_id": other_item["id"], "step": 0, "done": True})
    for payload in bad:
        refused(emit(stage.fac, "script:tick", {"session_id": stage.sid, **payload}),
                "invalid")
    refused(emit(other_fac, "script:tick", {"session_id": stage.sid, "item_id": item["id"],
                                            "step": 0, "done": True}), "forbidden")
    refused(emit(stage.people[0], "script:tick", {"session_id": stage.sid,
                                                  "item_id": item["id"], "step": 0,
                                                  "done": True}), "forbidden")
    assert rows(app, ScriptTick) == 0


def test_the_round_shows_last_week_and_this_weeks_change(app, planned):
    stage = middle(app, planned)
    member = planned.participant_ids[0]
    ok(emit(stage.people[0], "checkin:submit", {"session_id": stage.sid,
                                                "client_id": "round-ci-01", "mood": 6,
                                                "phq9": answers_for(12, item9=1)}))
    state = joined(stage.fac, stage.sid)
    assert state["areas_present"] == ["role_dispute", "role_transition"]
    turn = next(m for m in state["round"] if m["participant_id"] == member)
    assert [g["text"] for g in turn["goals"]] == GOALS
    (task,) = turn["last_tasks"]
    assert task["text"] == "Ask my brother for one evening"
    assert task["reflection"]["text"] == "He said yes to Thursdays"
    assert turn["checkin"] == {"mood": 6, "phq9_total": 12, "item9": 1, "item9_marked": True,
                               "severity": "moderate", "mood_change": 3, "phq9_change": -6}
    assert turn["reached"] is False and turn["techniques"] == [] and turn["note"] is None
    assert [m["participant_id"] for m in state["round"]] == planned.participant_ids


def test_a_members_turn_is_recorded_and_published_to_facilitators(app, planned):
    stage = middle(app, planned)
    member = planned.participant_ids[0]
    goal = goal_ids(app, member)[0]
    ref = {"session_id": stage.sid, "participant_id": member}
    ok(emit(stage.fac, "round:reach", ref))
    ok(emit(stage.fac, "round:technique", {**ref, "technique": "mood_event", "on": True}))
    ok(emit(stage.fac, "round:technique", {**ref, "technique": "role_play", "on": True}))
    ok(emit(stage.fac, "round:technique", {**ref, "technique": "role_play", "on": False}))
    ok(emit(stage.fac, "round:note", {**ref, "note": "Brother agreed; still tired"}))
    ack = ok(emit(stage.fac, "round:progress", {**ref, "goal_id": goal,
                                                "note": "Asked him; he said yes"}))
    assert ack["member"]["goals"][0]["progress"] == "Asked him; he said yes"
    got = inbox(stage.fac)["round:member"]
    assert len(got) == 6 and got[-1] == ack["member"]
    final = got[-1]
    assert final["reached"] and final["techniques"] == ["mood_event"]
    assert final["note"] == "Brother agreed; still tired"
    for sock in stage.people:
        assert "round:member" not in inbox(sock)
    turn = next(m for m in joined(stage.fac, stage.sid)["round"]
                if m["participant_id"] == member)
    assert turn == final
    assert rows(app, GoalProgress, goal_id=goal) == 1
    with app.app_context():
        assert rounds.counts(stage.sid) == rounds.Counts(0, 1, 1, 0)
        subjects = db.session.scalars(db.select(AuditEvent.subject).where(
            AuditEvent.action.like("round.%"))).all()
    assert len(subjects) == 5 and not any("Brother" in (s or "") for s in subjects)


def test_bad_input_to_the_round_is_invalid(app, planned):
    stage = middle(app, planned)
    member = planned.participant_ids[0]
    other = make_group(app, participants=1, name="Other", email="o@example.org")
    seed_plan(app, other, 0)
    foreign_goal = goal_ids(app, other.participant_ids[0])[0]
    with app.app_context():
        plans.set_status(db.session.get(Participant, planned.participant_ids[2]),
                         "declined")
        db.session.commit()
    ref = {"session_id": stage.sid, "participant_id": member}
    cases = [
        ("round:technique", {**ref, "technique": "hypnosis", "on": True}),
        ("round:note", {**ref, "note": "x" * 501}),
        ("round:progress", {**ref, "goal_id": foreign_goal, "note": "Went well"}),
        ("round:progress", {**ref, "goal_id": goal_ids(app, member)[0], "note": ""}),
        ("round:reach", {**ref, "participant_id": other.participant_ids[0]}),
        ("round:reach", {**ref, "participant_id": planned.participant_ids[2]}),
        ("homework:assign", {"session_id": stage.sid, "text": "Call", "goal_id": foreign_goal,
                             "participant_id": member}),
        ("homework:assign", {"session_id": stage.sid, "text": "Call",
                             "goal_id": goal_ids(app, member)[0]}),
    ]
    for name, payload in cases:
        refused(emit(stage.fac, name, payload), "invalid")
    assert rows(app, RoundEntry) == 0 and rows(app, GoalProgress) == 0


@pytest.mark.parametrize("name,extra", [
    ("round:reach", {}), ("round:technique", {"technique": "options", "on": True}),
    ("round:note", {"note": "fine"}), ("round:progress", {"goal_id": 1, "note": "fine"})])
def test_the_round_is_forbidden_to_participants_and_other_facilitators(app, planned, name,
                                                                        extra):
    stage = scene(app, planned)
    other = make_group(app, participants=1, name="Other", email="o@example.org")
    outsider = facilitator_socket(app, other)
    payload = {"session_id": stage.sid, "participant_id": planned.participant_ids[0], **extra}
    refused(emit(stage.people[0], name, payload), "forbidden")
    refused(emit(outsider, name, payload), "forbidden")
    assert rows(app, RoundEntry) == 0


def test_a_task_tied_to_a_goal_reaches_only_that_member_with_its_goal(app, planned):
    stage = middle(app, planned)
    member = planned.participant_ids[0]
    goal = goal_ids(app, member)[1]
    ack = ok(emit(stage.fac, "homework:assign", {
        "session_id": stage.sid, "text": "Go to the allotment once", "participant_id": member,
        "goal_id": goal}))
    (mine,) = inbox(stage.people[0])["homework:assigned"]
    assert mine["goal_id"] == goal and mine["goal"] == GOALS[1]
    for sock in stage.people[1:]:
        assert "homework:assigned" not in inbox(sock)
    (turn,) = [m for m in joined(stage.fac, stage.sid)["round"]
               if m["participant_id"] == member]
    assert turn["tasks"] == [{"assignment_id": ack["assignment_id"], "for_everyone": False,
                              "text": "Go to the allotment once", "goal_id": goal,
                              "goal": GOALS[1]}]
    phone = joined(stage.people[0], stage.sid)["homework"]
    assert [(h["text"], h["goal"]) for h in phone][-1] == ("Go to the allotment once",
                                                          GOALS[1])
    assert all(h["goal"] is None for h in joined(stage.people[1], stage.sid)["homework"])
    with app.app_context():
        assert rounds.counts(stage.sid).tasks_tied_to_goals == 1


def test_techniques_are_words_once():
    assert set(ROUND_TECHNIQUES) == {"mood_event", "communication", "options", "role_play",
                                     "feelings", "contacts"}


def test_the_round_feeds_the_session_summary_and_the_members_profile(app, planned):
    stage = middle(app, planned)
    member = planned.participant_ids[0]
    ref = {"session_id": stage.sid, "participant_id": member}
    ok(emit(stage.fac, "round:reach", ref))
    ok(emit(stage.fac, "round:technique", {**ref, "technique": "options", "on": True}))
    ok(emit(stage.fac, "round:note", {**ref, "note": "Chose to ask on Sunday"}))
    ok(emit(stage.fac, "round:progress", {**ref, "goal_id": goal_ids(app, member)[0],
                                          "note": "Asked once"}))
    ok(emit(stage.fac, "homework:assign", {"session_id": stage.sid, "text": "Ask again",
                                           "participant_id": member,
                                           "goal_id": goal_ids(app, member)[0]}))
    http = app.test_client()
    login_as(http, planned.email)
    summary = unescape(http.get(f"/sessions/{stage.sid}/summary").get_data(as_text=True))
    assert ("Members reached: 1 · techniques marked: 1 · tasks tied to goals: 1"
            in summary)
    for text in ("Options and a decision", "Chose to ask on Sunday", "Asked once",
                 f"goal: {GOALS[0]}"):
        assert text in summary, text
    profile = http.get(f"/groups/{planned.group_id}/members/{member}").get_data(as_text=True)
    assert "Session 2" in profile and "Options and a decision" in profile
    assert "Chose to ask on Sunday" in profile


def test_removing_an_agenda_item_drops_its_ticks(app, world):
    stage = scene(app, world, live=False)
    item = joined(stage.fac, stage.sid)["agenda"][-1]
    ok(emit(stage.fac, "script:tick", {"session_id": stage.sid, "item_id": item["id"],
                                       "step": 0, "done": True}))
    with app.app_context():
        groups.remove_agenda_item(db.session.get(AgendaItem, item["id"]))
    assert rows(app, ScriptTick) == 0
    assert joined(stage.fac, stage.sid)["script_ticks"] == []
