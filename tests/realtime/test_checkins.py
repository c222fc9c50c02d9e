"""Check-ins: scoring in the ack, who sees them, idempotency, and the alerts they raise."""

import threading

import pytest
from helpers import emit, facilitator_socket, joined, make_group, participant_socket
from helpers.scenes import (
    CRISIS,
    answers_for,
    checkin,
    client_id,
    cofacilitator,
    inbox,
    ok,
    refused,
    rows,
    scene,
)

from facilitator.extensions import db
from facilitator.models import Alert, CheckIn, Participant
from facilitator.services import checkins
from facilitator.services import groups as rules
from realtime.handlers import CHECKIN_LANE

BANDS = [
    (0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"),
    (14, "moderate"), (15, "moderately_severe"), (19, "moderately_severe"),
    (20, "severe"), (24, "severe"),
]


@pytest.mark.parametrize(("total", "band"), BANDS)
def test_ack_scores_the_phq9_at_every_band_boundary(app, world, total, band):
    stage = scene(app, world, people=1)
    phq9 = answers_for(total)
    ack = ok(emit(stage.people[0], "checkin:submit", checkin(stage.sid, 6, phq9=phq9)))
    assert ack["phq9_total"] == total
    assert ack["severity"] == band
    assert isinstance(ack["checkin_id"], int | str)
    assert ack.get("support") is None, "no risk signal, no crisis text"
    seen = inbox(stage.fac)["checkin:received"]
    assert [(c["phq9_total"], c["severity"], c["flagged"]) for c in seen] == [
        (total, band, False)]


def test_the_highest_total_is_severe_and_alerts(app, world):
    stage = scene(app, world, people=1)
    ack = ok(emit(stage.people[0], "checkin:submit", checkin(stage.sid, 0, phq9=[3] * 9)))
    assert (ack["phq9_total"], ack["severity"], ack["support"]) == (27, "severe", CRISIS)


@pytest.mark.parametrize("extra", [{}, {"phq9": None}, {"phq9": None, "note": None,
                                                        "needs_support": None}])
def test_without_phq9_total_and_severity_are_null(app, world, extra):
    stage = scene(app, world, people=1)
    ack = ok(emit(stage.people[0], "checkin:submit", checkin(stage.sid, 7, **extra)))
    assert ack["phq9_total"] is None and ack["severity"] is None
    assert ack.get("support") is None
    (seen,) = inbox(stage.fac)["checkin:received"]
    assert (seen["mood"], seen["phq9_total"], seen["severity"]) == (7, None, None)


def test_checkin_received_goes_to_facilitators_only(app, world):
    stage = scene(app, world)
    co = facilitator_socket(app, cofacilitator(app, world))
    joined(co, stage.sid)
    stage.drain()
    inbox(co)
    author = stage.people[0]
    ack = ok(emit(author, "checkin:submit", checkin(stage.sid, 4, phq9=answers_for(11),
                                                    note="Slept badly")))
    for fac in (stage.fac, co):
        (seen,) = inbox(fac)["checkin:received"]
        assert seen["participant_id"] == world.participant_ids[0]
        assert seen["display_name"] == "Person 1"
        assert (seen["mood"], seen["phq9_total"], seen["severity"]) == (4, 11, "moderate")
        assert seen["note"] == "Slept badly" and seen["flagged"] is False
        assert seen["checkin_id"] == ack["checkin_id"]
    for sock in stage.people:
        assert dict(inbox(sock)) == {}, "participants, the author included, get nothing"


@pytest.mark.parametrize("when", ["scheduled", "ended"])
def test_checkin_is_a_conflict_unless_the_session_is_live(app, world, when):
    stage = scene(app, world, live=False)
    if when == "ended":
        stage.start()
        stage.end()
    refused(emit(stage.people[0], "checkin:submit", checkin(stage.sid, 5, phq9=[1] * 9)),
            "conflict")
    assert dict(inbox(stage.fac)) == {}
    assert rows(app, CheckIn, session_id=stage.sid) == 0
    assert rows(app, Alert, group_id=world.group_id) == 0
    assert joined(stage.fac, stage.sid)["checkins"] == []


def test_same_client_id_twice_gives_the_first_answer_and_stores_once(app, world):
    stage = scene(app, world, people=2)
    payload = checkin(stage.sid, 3, phq9=answers_for(12, item9=1), needs_support=True)
    first = ok(emit(stage.people[0], "checkin:submit", payload))
    again = ok(emit(stage.people[0], "checkin:submit", payload))
    changed = ok(emit(stage.people[0], "checkin:submit", {**payload, "mood": 9}))
    assert first == again == changed
    got = inbox(stage.fac)
    assert len(got["checkin:received"]) == 1
    assert len(got["alert:raised"]) == 2
    assert rows(app, CheckIn, session_id=stage.sid) == 1
    assert rows(app, Alert, group_id=world.group_id) == 2
    assert len(joined(stage.fac, stage.sid)["checkins"]) == 1


def test_a_new_client_id_is_a_new_checkin(app, world):
    stage = scene(app, world, people=1)
    one = ok(emit(stage.people[0], "checkin:submit", checkin(stage.sid, 3)))
    two = ok(emit(stage.people[0], "checkin:submit", checkin(stage.sid, 6)))
    assert one["checkin_id"] != two["checkin_id"]
    assert len(inbox(stage.fac)["checkin:received"]) == 2
    assert joined(stage.people[0], stage.sid)["my_checkin"]["mood"] == 6


def test_resending_after_the_session_ended_still_gets_the_first_answer(app, world):
    """Nothing lost: a retry whose first ack was lost must not be told it failed."""
    stage = scene(app, world, people=1)
    payload = checkin(stage.sid, 2, phq9=answers_for(6))
    first = ok(emit(stage.people[0], "checkin:submit", payload))
    stage.end()
    assert emit(stage.people[0], "checkin:submit", payload) == first
    assert rows(app, CheckIn, session_id=world.session_id) == 1
    assert dict(inbox(stage.fac)) == {}


def test_my_checkin_comes_back_in_the_snapshot(app, world):
    stage = scene(app, world, people=2)
    ack = ok(emit(stage.people[0], "checkin:submit",
                  checkin(stage.sid, 8, phq9=answers_for(3), note="Better week")))
    mine = joined(stage.people[0], stage.sid)["my_checkin"]
    assert mine["checkin_id"] == ack["checkin_id"]
    assert (mine["mood"], mine["phq9_total"], mine["severity"]) == (8, 3, "minimal")
    assert mine["note"] == "Better week"
    assert joined(stage.people[1], stage.sid)["my_checkin"] is None


@pytest.mark.parametrize(("phq9", "needs_support", "reasons"), [
    (answers_for(1, item9=1), False, ["phq9_item9"]),
    (answers_for(8, item9=2), False, ["phq9_item9"]),
    (answers_for(3, item9=3), None, ["phq9_item9"]),
    (None, True, ["needs_support"]),
    (answers_for(2), True, ["needs_support"]),
    (answers_for(5, item9=1), True, ["phq9_item9", "needs_support"]),
])
def test_risk_signal_alerts_the_groups_facilitators_only(app, world, phq9, needs_support,
                                                          reasons):
    stage = scene(app, world)
    co_world = cofacilitator(app, world)
    elsewhere = facilitator_socket(app, co_world)
    joined(elsewhere, world.session_ids[3])  # same group, another session
    other = make_group(app, 2, name="Thursday group")
    stranger = facilitator_socket(app, other)
    joined(stranger, other.session_id)
    stranger_p = participant_socket(app, other, 0)
    joined(stranger_p, other.session_id)
    for sock in (elsewhere, stranger, stranger_p):
        inbox(sock)
    stage.drain()
    payload = checkin(stage.sid, 1, phq9=phq9, needs_support=needs_support)
    ack = ok(emit(stage.people[1], "checkin:submit", payload))
    assert ack["support"] == CRISIS
    for fac in (stage.fac, elsewhere):
        alerts = inbox(fac)["alert:raised"]
        assert sorted(a["reason"] for a in alerts) == sorted(reasons)
        for alert in alerts:
            assert alert["participant_id"] == world.participant_ids[1]
            assert alert["display_name"] == "Person 2"
            assert alert["alert_id"] and alert["created_at"]
    for sock in (*stage.people, stranger, stranger_p):
        assert "alert:raised" not in inbox(sock)
    flagged = joined(stage.people[1], stage.sid)["my_checkin"]
    assert flagged["support"] == CRISIS


def test_no_risk_signal_no_alert_even_when_severe(app, world):
    stage = scene(app, world, people=1)
    ack = ok(emit(stage.people[0], "checkin:submit",
                  checkin(stage.sid, 0, phq9=answers_for(24), needs_support=False)))
    assert ack["severity"] == "severe" and ack.get("support") is None
    got = inbox(stage.fac)
    assert "alert:raised" not in got
    assert got["checkin:received"][0]["flagged"] is False
    assert joined(stage.fac, stage.sid)["alerts"] == []


def test_acknowledging_an_alert_tells_facilitators_and_closes_it(app, world):
    stage = scene(app, world)
    co = facilitator_socket(app, cofacilitator(app, world))
    joined(co, stage.sid)
    ok(emit(stage.people[0], "checkin:submit", checkin(stage.sid, 2, needs_support=True)))
    (raised,) = inbox(stage.fac)["alert:raised"]
    inbox(co)
    state = joined(stage.fac, stage.sid)
    assert [a["alert_id"] for a in state["alerts"]] == [raised["alert_id"]]
    stage.drain()
    assert ok(emit(stage.fac, "alert:ack", {"alert_id": raised["alert_id"],
                                            "note": "Called after the session"}))
    for fac in (stage.fac, co):
        (done,) = inbox(fac)["alert:acknowledged"]
        assert done["alert_id"] == raised["alert_id"]
        assert done["participant_id"] == world.participant_ids[0]
        assert done["reason"] == "needs_support" and done["created_at"]
    for sock in stage.people:
        assert "alert:acknowledged" not in inbox(sock)
    assert joined(stage.fac, stage.sid)["alerts"] == []
    assert joined(co, stage.sid)["alerts"] == []


def test_acknowledging_twice_is_harmless(app, world):
    stage = scene(app, world, people=1)
    ok(emit(stage.people[0], "checkin:submit", checkin(stage.sid, 2, phq9=answers_for(3, 1))))
    (raised,) = inbox(stage.fac)["alert:raised"]
    ok(emit(stage.fac, "alert:ack", {"alert_id": raised["alert_id"]}))
    ok(emit(stage.fac, "alert:ack", {"alert_id": raised["alert_id"], "note": "again"}))
    assert joined(stage.fac, stage.sid)["alerts"] == []


def test_alert_ack_refusals(app, world):
    stage = scene(app, world, people=1)
    ok(emit(stage.people[0], "checkin:submit", checkin(stage.sid, 2, needs_support=True)))
    (raised,) = inbox(stage.fac)["alert:raised"]
    refused(emit(stage.people[0], "alert:ack", {"alert_id": raised["alert_id"]}), "forbidden")
    refused(emit(stage.fac, "alert:ack", {"alert_id": raised["alert_id"] + 1000}), "not_found")
    other = make_group(app, 1, name="Thursday group")
    stranger = facilitator_socket(app, other)
    refused(emit(stranger, "alert:ack", {"alert_id": raised["alert_id"]}), "forbidden")
    assert len(joined(stage.fac, stage.sid)["alerts"]) == 1, "still open"


def test_facilitator_cannot_check_in(app, world):
    stage = scene(app, world, people=0)
    refused(emit(stage.fac, "checkin:submit", checkin(stage.sid, 5)), "forbidden")
    assert rows(app, CheckIn, session_id=world.session_id) == 0


def test_client_id_is_per_person(app, world):
    """Two participants who happen to send the same client_id each get their own check-in."""
    stage = scene(app, world, people=2)
    shared = client_id()
    one = ok(emit(stage.people[0], "checkin:submit", checkin(stage.sid, 1, cid=shared)))
    two = ok(emit(stage.people[1], "checkin:submit", checkin(stage.sid, 9, cid=shared)))
    assert one["checkin_id"] != two["checkin_id"]
    assert joined(stage.people[1], stage.sid)["my_checkin"]["mood"] == 9


def test_a_client_id_reused_for_another_event_is_not_swallowed(app, world):
    """A card sent with a check-in's client_id must not be 'answered' with the check-in."""
    stage = scene(app, world, people=1)
    shared = client_id()
    first = ok(emit(stage.people[0], "checkin:submit", checkin(stage.sid, 5, cid=shared)))
    ack = emit(stage.people[0], "card:submit", {"session_id": stage.sid, "client_id": shared,
                                                "text": "Hello", "problem_area": "grief"})
    refused(ack, "conflict")
    assert "card:pending" not in inbox(stage.fac)
    assert emit(stage.people[0], "checkin:submit", checkin(stage.sid, 5, cid=shared)) == first


def test_a_checkin_without_risk_is_signed_in_with_its_batch_and_an_alert_never_is(app, world):
    stage = scene(app, world, people=2)
    batched, ordinary = checkins.UNSIGNED_COMMITS.batches, checkins.COMMITS.batches
    calm = ok(emit(stage.people[0], "checkin:submit",
                   checkin(stage.sid, 6, phq9=[2] * 4 + [1] + [0] * 4)))
    (seen,) = inbox(stage.fac)["checkin:received"]
    assert seen["checkin_id"] == calm["checkin_id"] and seen["display_name"] == "Person 1"
    assert seen["phq9_total"] == 9 and seen["severity"] == "mild" and not seen["flagged"]
    assert checkins.UNSIGNED_COMMITS.batches == batched + 1
    assert checkins.COMMITS.batches == ordinary
    risky = ok(emit(stage.people[1], "checkin:submit",
                    checkin(stage.sid, 2, phq9=[0] * 8 + [1])))
    assert risky["support"] == CRISIS and len(inbox(stage.fac)["alert:raised"]) == 1
    assert checkins.COMMITS.batches == ordinary + 1, "a risk signal goes the ordinary way"


def test_a_checkin_the_batch_cannot_sign_in_gets_the_ordinary_refusal(app, world):
    stage = scene(app, world, people=2)
    other = make_group(app, 1, "Thursday group")
    refused(emit(stage.people[0], "checkin:submit", checkin(other.session_id)), "forbidden")
    refused(emit(stage.people[0], "checkin:submit", checkin(10**9)), "not_found")
    with app.app_context():  # revoked while connected: the disconnect is on its way
        rules.revoke_link(db.session.get(Participant, world.participant_ids[1]))
    refused(emit(stage.people[1], "checkin:submit", checkin(stage.sid)), "unauthorized")
    stage.end()
    refused(emit(stage.people[0], "checkin:submit", checkin(stage.sid)), "conflict")
    assert rows(app, CheckIn) == 0 and "checkin:received" not in inbox(stage.fac)


def take_every_turn(app) -> list:
    """Take every turn of the check-in lane, as a round in full flow does; return them."""
    with app.app_context():
        slots = CHECKIN_LANE.slots()
    taken = []
    while slots.acquire(blocking=False):
        taken.append(slots)
    return taken


def test_in_a_round_that_takes_every_turn_a_risk_signal_goes_ahead(app, world):
    stage = scene(app, world, people=2)
    taken = take_every_turn(app)
    acks = []
    try:
        waiting = threading.Thread(target=lambda: acks.append(emit(
            stage.people[0], "checkin:submit", checkin(stage.sid, 6))))
        waiting.start()
        waiting.join(timeout=0.5)
        assert waiting.is_alive() and rows(app, CheckIn) == 0, "it waits for its turn"
        risky = []
        urgent = threading.Thread(target=lambda: risky.append(emit(
            stage.people[1], "checkin:submit",
            checkin(stage.sid, 1, phq9=answers_for(12, item9=2)))))
        urgent.start()
        urgent.join(timeout=10)
        assert not urgent.is_alive(), "a risk signal does not wait for a turn"
        assert ok(risky[0])["support"] == CRISIS
        (alert,) = inbox(stage.fac)["alert:raised"]
        assert alert["reason"] == "phq9_item9" and not acks, "the alert did not wait"
    finally:
        for slots in taken:
            slots.release()
    waiting.join(timeout=10)
    (ack,) = acks
    assert ok(ack)["phq9_total"] is None and rows(app, CheckIn) == 2
    assert [c["checkin_id"] for c in inbox(stage.fac)["checkin:received"]] == [
        ack["checkin_id"]]
