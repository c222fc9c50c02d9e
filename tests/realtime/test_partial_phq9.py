"""A partly answered PHQ-9: every answer kept, no total, and item 9 always alerts."""

import threading

import pytest
from helpers import emit, joined, participant_socket
from helpers.scenes import CRISIS, checkin, client_id, inbox, ok, refused, rows, scene
from sqlalchemy import select

from facilitator.extensions import db
from facilitator.models import Alert, CheckIn, Group
from facilitator.services import checkins
from facilitator.services.helptexts import DEFAULT_SUPPORT_REPLY, for_participants
from realtime.handlers import CHECKIN_LANE

ONLY_ITEM9 = [None] * 8 + [3]
SIX_OF_NINE = [2, None, 1, 3, None, 0, None, 1, 2]  # item 9: "more than half the days"
REPLY = "We will talk with you privately after the group today."


def stored(app) -> list[CheckIn]:
    """Every stored check-in, oldest first (detached, fully loaded)."""
    with app.app_context():
        found = list(db.session.scalars(select(CheckIn).order_by(CheckIn.id)))
        db.session.expunge_all()
        return found


def set_support_reply(app, world, text: str) -> None:
    """Give the world's group its reply to a support request."""
    with app.app_context():
        db.session.get(Group, world.group_id).support_reply = text
        db.session.commit()


@pytest.mark.parametrize(("phq9", "answered", "item9", "grade"), [
    (ONLY_ITEM9, 1, 3, "nearly every day"),
    (SIX_OF_NINE, 6, 2, "more than half the days"),
    ([None] * 8 + [1], 1, 1, "several days"),
])
def test_item9_on_a_partial_list_is_stored_and_alerts_at_once(app, world, phq9, answered,
                                                               item9, grade):
    stage = scene(app, world, people=2)
    ordinary = checkins.COMMITS.batches
    ack = ok(emit(stage.people[0], "checkin:submit", checkin(stage.sid, 4, phq9=phq9)))
    assert (ack["phq9_total"], ack["severity"], ack["support"]) == (None, None, CRISIS)
    assert "support_reply" not in ack, "no support asked for, no reply"
    (row,) = stored(app)
    assert (row.phq9, row.phq9_total, row.severity, row.flagged) == (phq9, None, None, True)
    got = inbox(stage.fac)
    (alert,) = got["alert:raised"]
    assert (alert["reason"], alert["item9"], alert["item9_grade"]) == ("phq9_item9", item9, grade)
    (seen,) = got["checkin:received"]
    assert (seen["phq9"], seen["answered"], seen["item9"], seen["item9_grade"]) == (
        phq9, answered, item9, grade)
    assert (seen["phq9_total"], seen["severity"], seen["flagged"]) == (None, None, True)
    assert checkins.COMMITS.batches == ordinary + 1, "an alert goes the ordinary way"
    assert inbox(stage.people[1]) == {}, "another participant hears nothing of it"


def test_a_partial_list_without_item9_is_stored_without_a_total_or_an_alert(app, world):
    stage = scene(app, world, people=1)
    partial = [1, 2, 3, None, None, 0, 1, 2, None]
    ack = ok(emit(stage.people[0], "checkin:submit", checkin(stage.sid, 6, phq9=partial)))
    assert (ack["phq9_total"], ack["severity"], ack.get("support")) == (None, None, None)
    (row,) = stored(app)
    assert (row.phq9, row.phq9_total, row.flagged) == (partial, None, False)
    got = inbox(stage.fac)
    assert "alert:raised" not in got
    (seen,) = got["checkin:received"]
    assert (seen["answered"], seen["item9"], seen["item9_grade"]) == (6, None, None)


def test_item9_answered_not_at_all_is_shown_but_does_not_alert(app, world):
    stage = scene(app, world, people=1)
    ok(emit(stage.people[0], "checkin:submit", checkin(stage.sid, 6, phq9=[None] * 8 + [0])))
    got = inbox(stage.fac)
    assert "alert:raised" not in got
    (seen,) = got["checkin:received"]
    assert (seen["answered"], seen["item9"], seen["item9_grade"]) == (1, 0, "not at all")


def test_nine_unanswered_questions_are_no_questionnaire(app, world):
    stage = scene(app, world, people=1)
    ack = ok(emit(stage.people[0], "checkin:submit", checkin(stage.sid, 5, phq9=[None] * 9)))
    assert ack["phq9_total"] is None and ack.get("support") is None
    (row,) = stored(app)
    assert row.phq9 is None
    (seen,) = inbox(stage.fac)["checkin:received"]
    assert (seen["phq9"], seen["answered"], seen["item9"]) == (None, 0, None)


@pytest.mark.parametrize("phq9", [
    [None] * 8, [None] * 10, [], [None] * 8 + [4], [4] + [None] * 8, [None] * 8 + [-1],
    [None] * 8 + ["3"], [None] * 8 + [True], [None] * 8 + [2.0], [None] * 8 + [[3]],
])
def test_a_wrong_shape_is_invalid_and_stores_nothing(app, world, phq9):
    stage = scene(app, world, people=1)
    refused(emit(stage.people[0], "checkin:submit", checkin(stage.sid, 5, phq9=phq9)), "invalid")
    assert rows(app, CheckIn) == 0 and rows(app, Alert) == 0
    assert inbox(stage.fac) == {}


def test_a_resubmitted_partial_checkin_stores_and_alerts_nothing_new(app, world):
    stage = scene(app, world, people=1)
    payload = checkin(stage.sid, 3, cid=client_id(), phq9=ONLY_ITEM9, needs_support=True)
    first = ok(emit(stage.people[0], "checkin:submit", payload))
    assert len(inbox(stage.fac)["alert:raised"]) == 2
    again = emit(stage.people[0], "checkin:submit", payload)
    assert again == first
    assert rows(app, CheckIn) == 1 and rows(app, Alert) == 2
    assert inbox(stage.fac) == {}, "nothing announced twice"


def test_a_support_request_gets_the_urgent_help_and_the_groups_reply(app, world):
    set_support_reply(app, world, REPLY)
    stage = scene(app, world, people=1)
    ack = ok(emit(stage.people[0], "checkin:submit",
                  checkin(stage.sid, 2, phq9=SIX_OF_NINE, needs_support=True)))
    assert (ack["support"], ack["support_reply"]) == (CRISIS, REPLY)
    again = participant_socket(app, world, 0)  # a reload: the snapshot shows them again
    mine = joined(again, stage.sid)["my_checkin"]
    assert (mine["support"], mine["support_reply"], mine["phq9"]) == (CRISIS, REPLY, SIX_OF_NINE)
    assert mine["phq9_total"] is None


def test_without_a_reply_text_the_support_reply_is_the_default(app, world):
    set_support_reply(app, world, "")
    stage = scene(app, world, people=1)
    ack = ok(emit(stage.people[0], "checkin:submit",
                  checkin(stage.sid, 2, needs_support=True)))
    assert ack["support"] == CRISIS
    assert ack["support_reply"] == for_participants(DEFAULT_SUPPORT_REPLY)
    assert "[For facilitators" not in ack["support_reply"]


def test_an_item9_signal_alone_shows_the_urgent_help_only_after_a_reload(app, world):
    set_support_reply(app, world, REPLY)
    stage = scene(app, world, people=1)
    ok(emit(stage.people[0], "checkin:submit", checkin(stage.sid, 2, phq9=ONLY_ITEM9)))
    mine = joined(participant_socket(app, world, 0), stage.sid)["my_checkin"]
    assert (mine["support"], mine["support_reply"]) == (CRISIS, None)


def test_a_lone_item9_answer_does_not_wait_behind_a_round(app, world):
    stage = scene(app, world, people=1)
    with app.app_context():
        slots = CHECKIN_LANE.slots()
    taken = []
    while slots.acquire(blocking=False):
        taken.append(slots)
    try:
        acks = []
        urgent = threading.Thread(target=lambda: acks.append(emit(
            stage.people[0], "checkin:submit", checkin(stage.sid, 1, phq9=ONLY_ITEM9))))
        urgent.start()
        urgent.join(timeout=10)
        assert not urgent.is_alive(), "a lone item-9 answer does not wait for a turn"
        assert ok(acks[0])["support"] == CRISIS
        (alert,) = inbox(stage.fac)["alert:raised"]
        assert alert["item9_grade"] == "nearly every day"
    finally:
        for held in taken:
            held.release()
