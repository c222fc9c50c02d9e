"""The risk protocol over the live connection: the record, its follow-up, and what carries on.

Real database, real Socket.IO test clients: a participant's item-9 answer raises an alert,
the facilitator acknowledges it, records it (``risk:record``), and later records the
follow-up done (``risk:follow_up``); until then the alert is open in every later session.
"""

from datetime import UTC, datetime, timedelta

import pytest
from helpers import emit, facilitator_socket, joined, make_group, participant_socket
from helpers.scenes import answers_for, checkin, cofacilitator, inbox, ok, refused, rows, scene

from facilitator.extensions import db
from facilitator.models import Alert, AuditEvent, RiskRecord, utcnow
from facilitator.services import risk


def due_in(hours: float = 48) -> str:
    """A follow-up time ``hours`` from now, as a browser sends it (ISO 8601, UTC)."""
    moment = datetime.now(UTC) + timedelta(hours=hours)
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def full_record(alert_id: int, **change) -> dict:
    """A complete ``risk:record`` payload."""
    return {"alert_id": alert_id, "asked_directly": True, "thoughts": "passive",
            "plan": False, "means": False, "past_attempt": True,
            "protective_factors": "Her sister; the dog", "risk_level": "medium",
            "actions": ["safety_plan", "supervisor_told"], "follow_up_due": due_in(),
            **change}


def raise_alert(stage, person: int = 0, item9: int = 3) -> int:
    """Send a check-in with item 9 answered; return the alert's id (facilitator's view)."""
    ok(emit(stage.people[person], "checkin:submit",
            checkin(stage.sid, 3, phq9=answers_for(12, item9=item9))))
    raised = inbox(stage.fac)["alert:raised"]
    assert raised, "no alert reached the facilitator"
    return raised[-1]["alert_id"]


def acknowledged_alert(stage, person: int = 0) -> int:
    """An alert raised and acknowledged; return its id."""
    alert_id = raise_alert(stage, person)
    ok(emit(stage.fac, "alert:ack", {"alert_id": alert_id}))
    stage.drain()
    return alert_id


def actions_of(app) -> list[str]:
    """The audit trail's actions, oldest first."""
    with app.app_context():
        return list(db.session.scalars(db.select(AuditEvent.action).order_by(AuditEvent.id)))


@pytest.mark.parametrize("missing", risk.REQUIRED)
def test_each_required_field_missing_is_named_and_nothing_is_saved(app, world, missing):
    stage = scene(app, world)
    alert_id = acknowledged_alert(stage)
    payload = full_record(alert_id)
    del payload[missing]
    error = refused(emit(stage.fac, "risk:record", payload), "invalid")
    assert error["message"].startswith(risk.LABELS[missing] + ":"), error
    payload[missing] = None  # an explicit null is as missing as an absent field
    refused(emit(stage.fac, "risk:record", payload), "invalid")
    assert rows(app, RiskRecord) == 0
    assert "risk.record" not in actions_of(app)
    assert "risk:updated" not in inbox(stage.fac)


@pytest.mark.parametrize(("change", "words"), [
    ({"thoughts": "maybe"}, "thoughts"),
    ({"risk_level": "severe"}, "risk_level"),
    ({"actions": ["hug"]}, "actions"),
    ({"asked_directly": "yes"}, "asked_directly"),
    ({"follow_up_due": "next Tuesday"}, "Follow-up due"),
    ({"follow_up_due": "2030-01-01T10:00:00"}, "time zone"),
    ({"follow_up_due": "2001-01-01T10:00:00Z"}, "in the future"),
])
def test_a_wrong_answer_is_refused_clearly(app, world, change, words):
    stage = scene(app, world)
    alert_id = acknowledged_alert(stage)
    error = refused(emit(stage.fac, "risk:record", full_record(alert_id, **change)), "invalid")
    assert words in error["message"]
    assert rows(app, RiskRecord) == 0


def test_the_record_waits_for_the_acknowledgement(app, world):
    stage = scene(app, world)
    alert_id = raise_alert(stage)
    error = refused(emit(stage.fac, "risk:record", full_record(alert_id)), "conflict")
    assert "Acknowledge" in error["message"]
    assert rows(app, RiskRecord) == 0


def test_record_change_and_follow_up_close_the_alert(app, world):
    stage = scene(app, world)
    co = facilitator_socket(app, cofacilitator(app, world))
    joined(co, world.session_id)
    alert_id = acknowledged_alert(stage)
    co.get_received("/live")

    saved = ok(emit(stage.fac, "risk:record", full_record(alert_id)))["risk_record"]
    assert saved["risk_level"] == "medium" and saved["follow_up_done_at"] is None
    assert saved["actions"] == ["safety_plan", "supervisor_told"]
    update = inbox(co)["risk:updated"][-1]
    assert update["alert_id"] == alert_id and update["open"] is True
    assert update["risk_record"]["thoughts"] == "passive" and update["overdue"] is False

    changed = ok(emit(co, "risk:record", full_record(alert_id, risk_level="high",
                                                     actions=["emergency_services"])))
    assert changed["risk_record"]["risk_level"] == "high"
    assert changed["risk_record"]["recorded_by"] == "Kim Co"
    assert rows(app, RiskRecord) == 1

    refused(emit(stage.fac, "risk:follow_up", {"alert_id": alert_id}), "invalid")
    refused(emit(stage.fac, "risk:follow_up", {"alert_id": alert_id, "outcome": "  "}),
            "invalid")
    done = ok(emit(stage.fac, "risk:follow_up", {"alert_id": alert_id,
                                                 "outcome": "Called her; she is safer"}))
    assert done["risk_record"]["follow_up_done_at"] is not None
    assert inbox(co)["risk:updated"][-1]["open"] is False
    refused(emit(stage.fac, "risk:record", full_record(alert_id)), "conflict")
    refused(emit(stage.fac, "risk:follow_up", {"alert_id": alert_id, "outcome": "again"}),
            "conflict")
    assert joined(stage.fac, stage.sid)["follow_ups"] == []
    trail = actions_of(app)
    for action in ("alert.acknowledge", "risk.record", "risk.change", "risk.follow_up"):
        assert trail.count(action) == 1, (action, trail)
    for person in stage.people:
        assert "risk:updated" not in inbox(person)


def test_the_follow_up_needs_a_record_first(app, world):
    stage = scene(app, world)
    alert_id = acknowledged_alert(stage)
    error = refused(emit(stage.fac, "risk:follow_up", {"alert_id": alert_id,
                                                       "outcome": "Called"}), "conflict")
    assert "record" in error["message"]


def test_open_follow_ups_carry_into_the_next_session(app, world):
    stage = scene(app, world)
    recorded = acknowledged_alert(stage, 0)
    ok(emit(stage.fac, "risk:record", full_record(recorded)))
    unrecorded = acknowledged_alert(stage, 1)
    stage.end()
    fac = facilitator_socket(app, world)
    state = joined(fac, world.session_ids[1])
    ups = {f["alert_id"]: f for f in state["follow_ups"]}
    assert set(ups) == {recorded, unrecorded}
    assert ups[recorded]["risk_record"]["risk_level"] == "medium"
    assert ups[unrecorded]["risk_record"] is None and ups[unrecorded]["due"]
    assert ups[recorded]["display_name"] == "Person 1" and ups[recorded]["item9"] == 3
    assert not any(f["overdue"] for f in ups.values())
    phone = participant_socket(app, world, 0)
    mine = joined(phone, world.session_ids[1])
    assert "follow_ups" not in mine and "risk_history" not in mine


def test_overdue_follow_ups_are_counted_per_group(app, world):
    other = make_group(app, 1, name="Thursday group")
    stage = scene(app, world)
    recorded = acknowledged_alert(stage, 0)
    ok(emit(stage.fac, "risk:record", full_record(recorded, follow_up_due=due_in(2))))
    acknowledged_alert(stage, 1)  # no record yet: due a day after the acknowledgement
    with app.app_context():
        ids = [world.group_id, other.group_id]
        assert risk.overdue_follow_ups(ids) == {world.group_id: 0, other.group_id: 0}
        assert risk.overdue_follow_ups(ids, utcnow() + timedelta(hours=3)) == {
            world.group_id: 1, other.group_id: 0}
        assert risk.overdue_follow_ups(ids, utcnow() + timedelta(hours=25))[
            world.group_id] == 2
    with app.app_context():
        record = db.session.scalar(db.select(RiskRecord))
        record.follow_up_due = utcnow() - timedelta(minutes=5)
        db.session.commit()
    ups = joined(stage.fac, stage.sid)["follow_ups"]
    assert [f["overdue"] for f in ups] == [True, False]


def test_history_marks_members_who_had_an_alert(app, world):
    stage = scene(app, world)
    raise_alert(stage, 0, item9=1)
    raise_alert(stage, 0, item9=3)
    ok(emit(stage.people[1], "checkin:submit", checkin(stage.sid, 4, needs_support=True)))
    stage.end()
    state = joined(facilitator_socket(app, world), world.session_ids[1])
    history = {h["participant_id"]: h for h in state["risk_history"]}
    first, second = world.participant_ids[:2]
    assert set(history) == {first, second}
    assert history[first]["alerts"] == 2
    assert history[first]["last_item9"] == 3
    assert history[first]["last_item9_grade"] == "nearly every day"
    assert history[second]["last_item9"] is None and history[second]["last_alert_at"]


def test_only_the_groups_facilitators_may_record(app, world):
    stage = scene(app, world)
    alert_id = acknowledged_alert(stage)
    other = make_group(app, 1, name="Thursday group")
    outsider = facilitator_socket(app, other)
    for sock in (stage.people[0], outsider):
        refused(emit(sock, "risk:record", full_record(alert_id)), "forbidden")
        refused(emit(sock, "risk:follow_up", {"alert_id": alert_id, "outcome": "x"}),
                "forbidden")
    refused(emit(stage.fac, "risk:record", full_record(99999)), "not_found")
    assert rows(app, RiskRecord) == 0
    with app.app_context():
        assert db.session.get(Alert, alert_id).risk_record is None


JUNK = ["record", 42, None, [], [{"alert_id": 1}]]
BAD_FIELDS = [("alert_id", "1"), ("alert_id", 0), ("alert_id", 2**60), ("plan", 1),
              ("means", "no"), ("thoughts", ["active"]), ("risk_level", "HIGH"),
              ("actions", "referral"), ("actions", ["referral"] * 11),
              ("protective_factors", "x" * 2001), ("protective_factors", "NUL \x00"),
              ("follow_up_due", 20991231), ("follow_up_due", "2099-01-01T09:00:00Z" * 3)]


def test_malformed_risk_payloads_are_invalid_and_change_nothing(app, world):
    app.config["EVENT_RATE_BURST"] = 10_000
    stage = scene(app, world)
    alert_id = acknowledged_alert(stage)
    for event in ("risk:record", "risk:follow_up"):
        for junk in JUNK:
            refused(emit(stage.fac, event, junk), "invalid")
    for name, value in BAD_FIELDS:
        refused(emit(stage.fac, "risk:record", {**full_record(alert_id), name: value}),
                "invalid")
    for outcome in (5, "y" * 2001, "\x00", ["done"]):
        refused(emit(stage.fac, "risk:follow_up", {"alert_id": alert_id, "outcome": outcome}),
                "invalid")
    assert rows(app, RiskRecord) == 0
    ok(emit(stage.fac, "risk:record", full_record(alert_id)))  # the connection still works
