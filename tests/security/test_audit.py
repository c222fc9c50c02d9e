"""The audit trail: facilitator actions on participant data, recorded and append-only."""

import pytest
from helpers import csrf_token, emit, facilitator_socket, joined, login_as, participant_socket
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from facilitator.extensions import db


def actions(app, group_id):
    with app.app_context():
        return [row[0] for row in db.session.execute(text(
            "SELECT action FROM audit_events WHERE group_id = :g ORDER BY id"), {"g": group_id})]


def test_actions_on_participant_data_are_recorded_and_shown(app, client, world):
    fac = facilitator_socket(app, world)
    joined(fac, world.session_id)
    emit(fac, "session:start", {"session_id": world.session_id})
    person = participant_socket(app, world)
    emit(person, "checkin:submit", {"session_id": world.session_id, "client_id": "audit-ci-1",
                                    "mood": 1, "needs_support": True})
    card = emit(person, "card:submit", {"session_id": world.session_id, "client_id": "audit-c1",
                                        "text": "Hard", "problem_area": "grief"})
    alert = joined(fac, world.session_id)["alerts"][0]
    emit(fac, "alert:ack", {"alert_id": alert["alert_id"], "note": "phoned"})
    emit(fac, "card:moderate", {"card_id": card["card_id"], "action": "reject"})
    login_as(client, world.email)
    token = csrf_token(client, f"/groups/{world.group_id}")
    client.post(f"/groups/{world.group_id}/participants/{world.participant_ids[1]}/revoke",
                data={"csrf_token": token})
    recorded = actions(app, world.group_id)
    for action in ("checkins.open", "alert.acknowledge", "card.reject", "link.revoke"):
        assert action in recorded
    page = client.get(f"/groups/{world.group_id}/audit").get_data(as_text=True)
    assert "alert.acknowledge" in page and "Sam Lead" in page
    assert "phoned" not in page  # the trail says what was done, not the health data


@pytest.mark.parametrize("statement", [
    "UPDATE audit_events SET action = 'nothing'",
    "DELETE FROM audit_events",
])
def test_the_trail_cannot_be_changed(app, world, statement):
    joined(facilitator_socket(app, world), world.session_id)
    with app.app_context():
        assert actions(app, world.group_id)
        with pytest.raises(DatabaseError):
            db.session.execute(text(statement))
            db.session.commit()
        db.session.rollback()
    assert actions(app, world.group_id) == ["checkins.open"]
