"""One transaction per event: an action, its audit row and its events stand or fall together.

A commit that fails (here: the database refuses it, as a full disk or a lost connection
would) must leave no trace: nothing stored, no audit row, and nobody told of the change.
"""

from contextlib import contextmanager

from helpers import emit
from helpers.scenes import answers_for, checkin, inbox, ok, rows, scene
from test_board import moderate, submit

from facilitator.extensions import db
from facilitator.models import Alert, AuditEvent, Card


@contextmanager
def failing_commits(app):
    """Make every commit of the app's database sessions fail while the block runs."""

    def refuse(_session):
        raise RuntimeError("the database refused the commit")

    from sqlalchemy import event

    event.listen(db.session, "before_commit", refuse)
    try:
        yield
    finally:
        event.remove(db.session, "before_commit", refuse)


def test_an_approval_commits_the_card_its_audit_row_and_its_events_together(app, world):
    stage = scene(app, world, people=2)
    card_id = submit(stage, 0)["card_id"]
    inbox(stage.fac), [inbox(sock) for sock in stage.people]
    ok(moderate(stage, card_id, "approve"))
    assert rows(app, Card, id=card_id, status="published") == 1
    assert rows(app, AuditEvent, action="card.approve", subject=f"card {card_id}") == 1
    assert [c["id"] for c in inbox(stage.people[1])["card:published"]] == [card_id]


def test_a_rolled_back_approval_publishes_nothing_and_writes_no_audit_row(app, world):
    stage = scene(app, world, people=2)
    card_id = submit(stage, 0)["card_id"]
    inbox(stage.fac), [inbox(sock) for sock in stage.people]
    with failing_commits(app):
        ack = moderate(stage, card_id, "approve")
    assert ack["ok"] is False and ack["error"]["code"] == "unavailable"
    assert rows(app, Card, id=card_id, status="pending") == 1
    assert rows(app, AuditEvent, action="card.approve") == 0
    assert dict(inbox(stage.fac)) == {}
    for sock in stage.people:
        assert dict(inbox(sock)) == {}, "nobody hears of a change that was not kept"
    ok(moderate(stage, card_id, "approve"))  # the same action, once the database is back
    assert [c["id"] for c in inbox(stage.people[1])["card:published"]] == [card_id]


def test_a_rolled_back_acknowledgement_leaves_the_alert_open_and_unannounced(app, world):
    stage = scene(app, world, people=1)
    ok(emit(stage.people[0], "checkin:submit", checkin(stage.sid, phq9=answers_for(12, item9=2))))
    (alert,) = inbox(stage.fac)["alert:raised"]
    with failing_commits(app):
        ack = emit(stage.fac, "alert:ack", {"alert_id": alert["id"]})
    assert ack["error"]["code"] == "unavailable"
    assert rows(app, Alert, id=alert["id"], acknowledged_at=None) == 1
    assert rows(app, AuditEvent, action="alert.acknowledge") == 0
    assert "alert:acknowledged" not in inbox(stage.fac)
    ok(emit(stage.fac, "alert:ack", {"alert_id": alert["id"]}))
    assert rows(app, AuditEvent, action="alert.acknowledge") == 1
    assert [a["id"] for a in inbox(stage.fac)["alert:acknowledged"]] == [alert["id"]]
