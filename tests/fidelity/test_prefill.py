"""The fidelity record's pre-fill rules on hand-made sessions (services.fidelity)."""

from datetime import timedelta

from facilitator.extensions import db
from facilitator.models import (
    Alert,
    Assignment,
    Attendance,
    CheckIn,
    Goal,
    RiskRecord,
    RoundEntry,
    utcnow,
)
from facilitator.services import fidelity
from facilitator.services.fidelity import Prefill


def attend(world, count: int | None = None) -> list[int]:
    """Mark the first ``count`` members (all by default) present in the first session."""
    ids = world.participant_ids[:count]
    for pid in ids:
        db.session.add(Attendance(session_id=world.session_id, participant_id=pid))
    db.session.flush()
    return ids


def test_share_scores_all_some_none_and_nothing():
    assert [fidelity.share(3, 3), fidelity.share(1, 3), fidelity.share(0, 3),
            fidelity.share(0, 0)] == [2, 1, 0, None]


def test_every_member_reached_is_done_two_missed_is_partly(app, world):
    with app.app_context():
        ids = attend(world)
        db.session.add(RoundEntry(session_id=world.session_id, participant_id=ids[0],
                                  reached_at=utcnow(), techniques=["mood_event"]))
        db.session.flush()
        assert fidelity.everyone_turn(world.session_id) == Prefill(1, "1 of 3 members")
        for pid in ids[1:]:
            db.session.add(RoundEntry(session_id=world.session_id, participant_id=pid,
                                      reached_at=utcnow(), techniques=[]))
        db.session.flush()
        assert fidelity.everyone_turn(world.session_id).score == 2
        assert fidelity.mood_event_link(world.session_id).score == 1


def test_nobody_present_leaves_member_items_unfilled(app, world):
    with app.app_context():
        assert fidelity.everyone_turn(world.session_id) is None
        assert fidelity.measures_everyone(world.session_id) is None
        assert "everyone_turn" not in fidelity.prefill(world.session_id)


def test_measures_count_check_ins_of_members_present_only(app, world):
    with app.app_context():
        ids = attend(world, 2)
        db.session.add(CheckIn(session_id=world.session_id, participant_id=ids[0], mood=5))
        db.session.flush()
        assert fidelity.measures_everyone(world.session_id) == Prefill(1, "1 of 2 members")
        db.session.add(CheckIn(session_id=world.session_id, participant_id=ids[1], mood=4))
        db.session.flush()
        assert fidelity.measures_everyone(world.session_id).score == 2


def test_tasks_with_and_without_a_goal(app, world):
    with app.app_context():
        ids = attend(world, 2)
        goals = [Goal(participant_id=pid, position=1, text="Call my sister") for pid in ids]
        db.session.add_all(goals)
        db.session.flush()
        db.session.add(Assignment(group_id=world.group_id, session_id=world.session_id,
                                  participant_id=ids[0], text="Call her", goal_id=goals[0].id))
        db.session.add(Assignment(group_id=world.group_id, session_id=world.session_id,
                                  participant_id=ids[1], text="Walk"))
        db.session.flush()
        assert fidelity.task_per_member(world.session_id).score == 1
        db.session.add(Assignment(group_id=world.group_id, session_id=world.session_id,
                                  participant_id=ids[1], text="Ask", goal_id=goals[1].id))
        db.session.flush()
        assert fidelity.task_per_member(world.session_id).score == 2


def make_alert(world, pid: int) -> Alert:
    """An alert of the first session for member ``pid``."""
    alert = Alert(group_id=world.group_id, session_id=world.session_id, participant_id=pid,
                  reason="item9")
    db.session.add(alert)
    db.session.flush()
    return alert


def record(world, alert: Alert) -> None:
    """A risk record for ``alert``."""
    db.session.add(RiskRecord(
        alert_id=alert.id, group_id=world.group_id, participant_id=alert.participant_id,
        recorded_by_id=world.facilitator_id, asked_directly=True, thoughts="none", plan=False,
        means=False, past_attempt=False, risk_level="low", actions=[],
        follow_up_due=utcnow() + timedelta(days=1)))
    db.session.flush()


def test_an_alert_with_and_without_a_risk_record(app, world):
    with app.app_context():
        assert fidelity.alerts_handled(world.session_id).score is None
        first = make_alert(world, world.participant_ids[0])
        assert fidelity.alerts_handled(world.session_id) == Prefill(
            0, "0 of 1 alerts with a risk record")
        record(world, first)
        assert fidelity.alerts_handled(world.session_id).score == 2
        make_alert(world, world.participant_ids[1])
        assert fidelity.alerts_handled(world.session_id).score == 1


def test_no_debrief_is_not_pre_filled(app, world):
    with app.app_context():
        assert fidelity.roleplay_debriefed(world.session_id) is None
