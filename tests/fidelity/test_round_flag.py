"""Flag for supervision in the weekly round (``round:flag``): a member getting worse since last
week is marked on the console; the group's facilitators flag them; the flag reaches the
supervisor's queue. Nobody else may flag, and a participant never hears of it."""

from dataclasses import replace

from helpers import client_of, emit, joined, live
from helpers.profile import run_session
from helpers.scenes import answers_for, inbox, ok, refused, rows, scene
from helpers.supervision import make_supervisor

from facilitator.extensions import db
from facilitator.models import AuditEvent, Facilitator, GroupSession, RoundEntry
from facilitator.services import supervision

SUP = "sup-flag@example.org"


def second_week(app, world):
    """Session 1 held (member 0 mood 6, member 1 PHQ-9 8); session 2 live, member 0's mood
    down to 4 (getting worse), member 1's PHQ-9 9 (not)."""
    run_session(app, world, 1, {0: (6, None), 1: (5, answers_for(8))})
    stage = scene(app, replace(world, session_id=world.session_ids[1]))
    ok(emit(stage.people[0], "checkin:submit", {"session_id": stage.sid,
                                                "client_id": "flag-ci-0", "mood": 4}))
    ok(emit(stage.people[1], "checkin:submit", {"session_id": stage.sid,
                                                "client_id": "flag-ci-1", "mood": 5,
                                                "phq9": answers_for(9)}))
    stage.drain()
    return stage


def test_a_member_getting_worse_is_marked_flagged_and_queued(app, world):
    stage = second_week(app, world)
    member = world.participant_ids[0]
    turns = {t["participant_id"]: t for t in joined(stage.fac, stage.sid)["round"]}
    assert turns[member]["worsening"] is True
    assert turns[world.participant_ids[1]]["worsening"] is False
    assert turns[member]["flagged_for_supervision"] is False

    ack = ok(emit(stage.fac, "round:flag", {"session_id": stage.sid, "participant_id": member,
                                            "on": True}))
    assert ack["member"]["flagged_for_supervision"] is True
    for sock in stage.people:
        assert "round:member" not in inbox(sock)
    assert rows(app, AuditEvent, action="round.flag") == 1

    sup_id = make_supervisor(app, world.group_id, SUP)
    page = client_of(app, SUP).get("/supervision").get_data(True)
    assert f'<li data-participant="{member}">' in page.split('id="queue-round-flags"')[1]
    assert "Person 1</a> · Tuesday group · session 2" in page
    with app.app_context():
        sup = db.session.get(Facilitator, sup_id)
        assert [(s.number, p.id) for s, p in supervision.queue(sup).round_flags] == [(2, member)]
        supervision.write_note(sup, db.session.get(GroupSession, stage.sid).group, "Seen",
                               db.session.get(GroupSession, stage.sid))
        db.session.commit()
        assert supervision.queue(sup).round_flags == []

    ok(emit(stage.fac, "round:flag", {"session_id": stage.sid, "participant_id": member,
                                      "on": False}))
    with app.app_context():
        assert db.session.scalar(db.select(RoundEntry.flagged_at)) is None


def test_only_the_groups_facilitators_flag_and_bad_input_is_invalid(app, world):
    stage = second_week(app, world)
    ref = {"session_id": stage.sid, "participant_id": world.participant_ids[0]}
    make_supervisor(app, world.group_id, SUP)
    watcher = live(app, client_of(app, SUP))
    joined(watcher, stage.sid)  # the supervisor reads the console
    refused(emit(watcher, "round:flag", {**ref, "on": True}), "forbidden")
    refused(emit(stage.people[0], "round:flag", {**ref, "on": True}), "forbidden")
    for bad in ({**ref, "on": "yes"}, ref, {**ref, "on": True, "participant_id": 10**6},
                {**ref, "on": True, "participant_id": "1"}):
        refused(emit(stage.fac, "round:flag", bad), "invalid")
    assert rows(app, RoundEntry) == 0
