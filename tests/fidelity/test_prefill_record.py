"""The rest of the record's pre-fill (issue 23 item 2), on hand-made sessions: the script's
ticks, problem-area techniques, worsening members flagged, and the mid-course review's item."""

from helpers.scenes import answers_for

from facilitator.extensions import db
from facilitator.models import (
    Attendance,
    CheckIn,
    Facilitator,
    GroupSession,
    Participant,
    RoundEntry,
)
from facilitator.services import fidelity, plans, worsening
from facilitator.services import round as rounds
from facilitator.services.fidelity import Prefill
from facilitator.services.worsening import Measure


def session_of(world, number: int) -> GroupSession:
    """The world's session ``number`` (who8: 1 initial, 2-7 middle, 8 termination)."""
    return db.session.get(GroupSession, world.session_ids[number - 1])


def attend(world, number: int, count: int | None = None) -> list[int]:
    """Mark the first ``count`` members (all by default) present in session ``number``."""
    ids = world.participant_ids[:count]
    for pid in ids:
        db.session.add(Attendance(session_id=world.session_ids[number - 1], participant_id=pid))
    db.session.flush()
    return ids


def item_of(session: GroupSession, kind: str):
    """The session's agenda item of ``kind``."""
    return next(item for item in session.agenda if item.kind == kind)


def tick_all(session: GroupSession, kind: str, lead, count: int | None = None) -> None:
    """Tick the first ``count`` steps (all by default) of the item of ``kind``."""
    item = item_of(session, kind)
    steps = {"welcome": 6, "psychoeducation": 6, "close": 5}[kind]
    for step in range(steps if count is None else count):
        rounds.tick(session, item.id, step, True, lead)


# --- The script's ticks ----------------------------------------------------------------------

def test_no_ticks_at_all_gives_no_pre_fill_from_them(app, world):
    with app.app_context():
        session = session_of(world, 1)
        assert fidelity.from_ticks(session) == {}
        found = fidelity.prefill(session.id)
        assert "rules_agreed" not in found and "depression_explained" not in found


def test_all_some_and_none_of_a_keys_steps_ticked(app, world):
    with app.app_context():
        session = session_of(world, 1)
        lead = db.session.get(Facilitator, world.facilitator_id)
        tick_all(session, "welcome", lead)  # 6 steps: rules_agreed, sessions_left_announced
        found = fidelity.prefill(session.id)
        assert found["rules_agreed"] == Prefill(2, "6 of 6 script steps ticked")
        # The close serves "sessions left announced" too (5 steps), none ticked yet.
        assert found["sessions_left_announced"] == Prefill(1, "6 of 11 script steps ticked")
        assert found["depression_explained"] == Prefill(0, "0 of 6 script steps ticked")
        tick_all(session, "psychoeducation", lead, count=2)
        assert fidelity.prefill(session.id)["sick_role_given"].score == 1
        tick_all(session, "close", lead)
        assert fidelity.prefill(session.id)["sessions_left_announced"].score == 2


def test_a_rule_of_the_record_goes_before_the_ticks(app, world):
    with app.app_context():
        session = session_of(world, 1)
        lead = db.session.get(Facilitator, world.facilitator_id)
        rounds.tick(session, item_of(session, "checkin").id, 0, True, lead)
        assert fidelity.from_ticks(session)["alerts_handled"].basis == \
            "1 of 4 script steps ticked"
        assert fidelity.prefill(session.id)["alerts_handled"] == Prefill(
            None, "0 of 0 alerts with a risk record")


# --- Problem-area techniques ------------------------------------------------------------------

def test_problem_area_techniques_for_some_then_all_members(app, world):
    with app.app_context():
        ids = attend(world, 2)
        sid = world.session_ids[1]
        marks = [["mood_event", "communication"], ["mood_event"], []]
        for pid, techniques in zip(ids, marks, strict=True):
            db.session.add(RoundEntry(session_id=sid, participant_id=pid, techniques=techniques))
        db.session.flush()
        assert fidelity.area_technique(sid) == Prefill(1, "1 of 3 members")
        for entry in rounds.entries(sid).values():
            entry.techniques = [*entry.techniques, "options"]
        db.session.flush()
        assert fidelity.prefill(sid)["area_technique"] == Prefill(2, "3 of 3 members")


# --- Worsening members flagged ----------------------------------------------------------------

def test_the_worsening_rule_on_plain_numbers():
    def now(mood=5, total=None, item9=None):
        return Measure(2, mood, total, item9)

    last = Measure(1, 6, 8, 0)
    assert worsening.is_worsening(now(mood=4), last, last)  # mood down 2
    assert not worsening.is_worsening(now(mood=5), last, last)  # down 1
    assert worsening.is_worsening(now(mood=6, total=13, item9=0), last, last)  # PHQ-9 +5
    assert not worsening.is_worsening(now(mood=6, total=12, item9=0), last, last)  # +4
    assert worsening.is_worsening(now(mood=6, total=9, item9=1), last, last)  # item 9 up
    assert not worsening.is_worsening(now(mood=6, total=9, item9=1), last,
                                      Measure(1, 6, 8, 1))  # item 9 was above 0 already
    assert not worsening.is_worsening(now(mood=2), None, None)  # nothing to compare


def check_in(world, number: int, index: int, mood: int, total: int | None = None,
             item9: int = 0) -> None:
    """Member ``index``'s check-in in session ``number`` (with a PHQ-9 when ``total``)."""
    answers = answers_for(total, item9) if total is not None else None
    db.session.add(CheckIn(session_id=world.session_ids[number - 1],
                           participant_id=world.participant_ids[index], mood=mood,
                           phq9=answers, phq9_total=total))
    db.session.flush()


def two_weeks(world) -> None:
    """Members 0 (mood down 2) and 1 (PHQ-9 up 5) get worse in session 2; member 2 does not."""
    check_in(world, 1, 0, 6)
    check_in(world, 1, 1, 5, 8)
    check_in(world, 1, 2, 5, 10)
    check_in(world, 2, 0, 4)
    check_in(world, 2, 1, 5, 13)
    check_in(world, 2, 2, 4, 14)


def test_worsening_members_flagged_not_flagged_and_nobody_worsening(app, world):
    with app.app_context():
        two_weeks(world)
        ids = attend(world, 2)
        session = session_of(world, 2)
        assert worsening.worsening_ids(session) == set(ids[:2])
        assert fidelity.worsening_flagged(session.id) == Prefill(
            0, "0 of 2 members getting worse flagged")
        rounds.flag(session, db.session.get(Participant, ids[0]), True)
        assert fidelity.prefill(session.id)["worsening_flagged"] == Prefill(
            1, "1 of 2 members getting worse flagged")
        rounds.flag(session, db.session.get(Participant, ids[1]), True)
        assert fidelity.worsening_flagged(session.id).score == 2
        rounds.flag(session, db.session.get(Participant, ids[1]), False)
        assert fidelity.worsening_flagged(session.id).score == 1
        attend(world, 1)
        assert fidelity.worsening_flagged(world.session_ids[0]) == Prefill(
            None, "Nobody got worse since last week")


def test_a_member_absent_from_the_session_is_not_counted(app, world):
    with app.app_context():
        two_weeks(world)
        attend(world, 2, 1)  # only member 0 came (the check-in alone is not attendance)
        assert fidelity.worsening_flagged(world.session_ids[1]) == Prefill(
            0, "0 of 1 members getting worse flagged")


# --- The middle phase's own item -------------------------------------------------------------

def test_the_mid_course_reviews_item_only_at_its_session_with_its_pre_fill(app, world):
    with app.app_context():
        numbers = {n: [key for _, keys in fidelity.items_for(session_of(world, n))
                       for key in keys] for n in range(1, 9)}
        assert [n for n, keys in numbers.items() if "goals_reviewed" in keys] == [4]
        assert "rules_agreed" in numbers[1] and "ending_feelings" in numbers[8]
        review = session_of(world, 4)
        ids = attend(world, 4, 2)
        lead = db.session.get(Facilitator, world.facilitator_id)
        goals = [plans.add_goal(db.session.get(Participant, pid), "Call my sister")
                 for pid in ids]
        assert fidelity.prefill(review.id)["goals_reviewed"] == Prefill(0, "0 of 2 members")
        plans.note_progress(goals[0], review.id, "Called her twice", by=lead)
        assert fidelity.prefill(review.id)["goals_reviewed"] == Prefill(1, "1 of 2 members")
        plans.note_progress(goals[1], review.id, "Not yet", by=lead)
        assert fidelity.goals_reviewed(review.id).score == 2
