"""The risk-record page of an alert, and the open follow-ups on the group page (HTTP forms)."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from helpers import csrf_token, emit, facilitator_socket, joined, login_as, make_group
from helpers import participant_socket as phone_of

from facilitator.extensions import db
from facilitator.models import Alert, AuditEvent, RiskRecord, utcnow
from facilitator.services import risk

ITEM9 = [1, 1, 1, 1, 0, 0, 0, 0, 2]


def acknowledged_alert(app, world) -> int:
    """A live session where participant 0's item 9 raised an alert, acknowledged."""
    fac = facilitator_socket(app, world)
    joined(fac, world.session_id)
    assert emit(fac, "session:start", {"session_id": world.session_id})["ok"]
    phone = phone_of(app, world, 0)
    assert emit(phone, "checkin:submit", {"session_id": world.session_id, "mood": 3,
                                          "client_id": "page-ci-0", "phq9": ITEM9})["ok"]
    alert_id = joined(fac, world.session_id)["alerts"][0]["alert_id"]
    assert emit(fac, "alert:ack", {"alert_id": alert_id})["ok"]
    return alert_id


def form(**change) -> dict:
    """A complete risk-record form as a browser posts it (local time, offset 0 = UTC)."""
    due = (datetime.now(UTC) + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    return {"asked_directly": "yes", "thoughts": "active", "plan": "no", "means": "yes",
            "past_attempt": "no", "protective_factors": "Her children", "risk_level": "high",
            "actions": ["stayed_with_person", "referral"], "follow_up_due": due,
            "utc_offset": "0", **change}


def text_of(response) -> str:
    """The page's text without tags."""
    return re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))


@pytest.fixture
def signed_in(app, client, world):
    """The world's facilitator signed in, with an acknowledged alert; returns its page path."""
    alert_id = acknowledged_alert(app, world)
    login_as(client, world.email)
    return f"/alerts/{alert_id}/risk"


@pytest.mark.parametrize("missing", risk.REQUIRED)
def test_a_missing_answer_is_named_on_the_form_and_nothing_saved(app, client, signed_in,
                                                                 missing):
    data = form(csrf_token=csrf_token(client, signed_in))
    data.pop(missing)
    response = client.post(signed_in, data=data)
    assert response.status_code == 200
    page = text_of(response)
    assert risk.LABELS[missing] + ":" in page
    assert "nothing was saved" in page
    with app.app_context():
        assert db.session.query(RiskRecord).count() == 0


def test_the_record_is_saved_changed_and_closed_by_its_follow_up(app, client, world, signed_in):
    token = csrf_token(client, signed_in)
    response = client.post(signed_in, data=form(csrf_token=token, utc_offset="-60"))
    assert response.status_code == 302
    page = text_of(client.get(signed_in))
    assert "The risk record is saved." in page and "Save the changes" in page
    with app.app_context():
        record = db.session.scalar(db.select(RiskRecord))
        assert record.risk_level == "high" and record.actions == ["stayed_with_person",
                                                                   "referral"]
        assert record.means is True and record.thoughts == "active"
        assert timedelta(hours=46) < record.follow_up_due - utcnow() < timedelta(hours=48)
    group_page = text_of(client.get(f"/groups/{world.group_id}"))
    assert "Open follow-ups (1)" in group_page and "Person 1" in group_page
    assert "Overdue" not in group_page

    client.post(signed_in, data=form(csrf_token=token, risk_level="medium"))
    empty = client.post(f"{signed_in}/follow-up", data={"csrf_token": token})
    assert empty.status_code == 200 and "Outcome of the follow-up:" in text_of(empty)
    done = client.post(f"{signed_in}/follow-up", data={"csrf_token": token,
                                                      "outcome": "Saw her GP with her"})
    assert done.status_code == 302
    group_page = text_of(client.get(f"/groups/{world.group_id}", follow_redirects=True))
    assert "Open follow-ups" not in group_page
    assert "Closed: the follow-up is done." in text_of(client.get(signed_in))
    with app.app_context():
        trail = list(db.session.scalars(db.select(AuditEvent.action)))
    for action in ("risk.open", "risk.record", "risk.change", "risk.follow_up"):
        assert action in trail, trail


def test_an_overdue_follow_up_is_marked_on_the_group_page(app, client, world, signed_in):
    client.post(signed_in, data=form(csrf_token=csrf_token(client, signed_in)))
    with app.app_context():
        db.session.scalar(db.select(RiskRecord)).follow_up_due = utcnow() - timedelta(hours=1)
        db.session.commit()
    page = text_of(client.get(f"/groups/{world.group_id}"))
    assert "Overdue" in page


def test_a_past_time_is_refused_on_the_form(app, client, signed_in):
    past = (datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    data = form(csrf_token=csrf_token(client, signed_in), follow_up_due=past)
    assert "choose a time in the future" in text_of(client.post(signed_in, data=data))
    bad = form(csrf_token=csrf_token(client, signed_in), follow_up_due="soon")
    assert "give a date and time" in text_of(client.post(signed_in, data=bad))
    with app.app_context():
        assert db.session.query(RiskRecord).count() == 0


def test_others_get_403_and_a_missing_alert_404(app, world, signed_in):
    other = make_group(app, 1, name="Thursday group")
    outsider = app.test_client()
    login_as(outsider, other.email)
    assert outsider.get(signed_in).status_code == 403
    person = app.test_client()
    person.get(world.join_paths[0])
    assert person.get(signed_in).status_code == 403
    lead = app.test_client()
    login_as(lead, world.email)
    assert lead.get("/alerts/99999/risk").status_code == 404
    with app.app_context():
        assert db.session.query(Alert).count() == 1
