"""The baseline PHQ-9 of the meeting: item 9 raises an alert that holds the meeting until it
has a risk record; the member's phone sends the baseline, and it reaches the meeting page."""

import re
from datetime import UTC, datetime, timedelta

from helpers import accept_notice, csrf_token, emit, live, login_as, received
from helpers.meeting import GOOD, invite, meeting_path, member, page_text, post_step, signed_in

from facilitator.extensions import db
from facilitator.models import Alert

ITEM9 = {f"phq{n}": "2" for n in range(1, 9)} | {"phq9": "1"}


def risk_form(client, alert_id: int) -> dict:
    """A complete risk record, as the risk page posts it."""
    due = (datetime.now(UTC) + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    return {"csrf_token": csrf_token(client, f"/alerts/{alert_id}/risk"),
            "asked_directly": "yes", "thoughts": "passive", "plan": "no", "means": "no",
            "past_attempt": "no", "protective_factors": "Her children", "risk_level": "low",
            "actions": ["safety_plan"], "follow_up_due": due, "utc_offset": "0"}


def test_item9_raises_an_alert_and_holds_the_later_steps_until_a_risk_record(app, world):
    member_id, _ = invite(app, world)
    client = signed_in(app, world)
    watcher = live(app, client)
    assert emit(watcher, "meeting:watch", {"participant_id": member_id})["ok"]
    received(watcher)
    post_step(client, world, member_id, "baseline", ITEM9)
    with app.app_context():
        alert = db.session.query(Alert).one()
        assert (alert.session_id, alert.reason, alert.group_id) == (None, "phq9_item9",
                                                                     world.group_id)
        assert member(app, member_id).meeting.baseline_alert_id == alert.id
        alert_id = alert.id
    (raised,) = received(watcher, "alert:raised")
    assert raised["alert_id"] == alert_id
    assert raised["item9"] > 0 and raised["item9_grade"], "the alert carries the baseline's item 9"
    page = page_text(client.get(meeting_path(world, member_id)))
    assert "Record the risk assessment now" in page
    for step in ("fit", "explained", "timeline", "inventory", "plan", "goals"):
        held = post_step(client, world, member_id, step, GOOD[step])
        assert "Record the risk assessment first" in page_text(held), step
    held = post_step(client, world, member_id, "end", {"outcome": "declined"})
    assert "Record the risk assessment first" in page_text(held)
    with app.app_context():
        person = member(app, member_id)
        assert person.status == "invited" and person.problem_area is None
        assert person.meeting.steps_done == ["baseline"]
    # "Record the risk assessment now" acknowledges the alert and opens its risk page.
    token = csrf_token(client, meeting_path(world, member_id))
    opened = client.post(f"{meeting_path(world, member_id)}/risk", data={"csrf_token": token})
    assert opened.headers["Location"].endswith(f"/alerts/{alert_id}/risk")
    risk_page = client.get(f"/alerts/{alert_id}/risk")
    assert risk_page.status_code == 200
    assert "above 0: “several days” (the baseline of the pre-group meeting)" in \
        page_text(risk_page)
    assert "Back to the pre-group meeting" in page_text(risk_page)
    saved = client.post(f"/alerts/{alert_id}/risk", data=risk_form(client, alert_id))
    assert saved.status_code == 302
    assert post_step(client, world, member_id, "fit", GOOD["fit"]).status_code == 302
    # A second baseline with item 9 above 0 raises no second alert.
    post_step(client, world, member_id, "baseline", ITEM9)
    with app.app_context():
        assert db.session.query(Alert).count() == 1


def test_partial_baseline_keeps_answers_and_no_total(app, world):
    member_id, _ = invite(app, world)
    client = signed_in(app, world)
    post_step(client, world, member_id, "baseline", {"phq1": "2", "phq2": "3"})
    with app.app_context():
        meeting = member(app, member_id).meeting
        assert meeting.baseline_phq9 == [2, 3, None, None, None, None, None, None, None]
        assert meeting.baseline_total is None
        assert db.session.query(Alert).count() == 0


def phone_of(app, join_path: str):
    """The member's phone: their join link opened, the notice accepted."""
    phone = app.test_client()
    phone.get(join_path)
    accept_notice(phone)
    return phone


def test_the_phone_sends_the_baseline_and_the_meeting_page_hears_it(app, world):
    member_id, join_path = invite(app, world)
    client = signed_in(app, world)
    watcher = live(app, client)
    assert emit(watcher, "meeting:watch", {"participant_id": member_id})["ok"]
    phone = phone_of(app, join_path)
    page = phone.get("/before-the-group")
    assert page.status_code == 200 and "Send my answers" in page_text(page)
    answers = {f"phq{n}": "1" for n in range(1, 8)}
    sent = phone.post("/before-the-group/baseline",
                      data={"csrf_token": csrf_token(phone, "/before-the-group"), **answers})
    assert sent.status_code == 302
    [frame] = received(watcher, "meeting:baseline")
    assert frame["participant_id"] == member_id and frame["answered"] == 7
    assert frame["total"] is None and frame["source"] == "phone"
    assert frame["answers"][:7] == [1] * 7 and frame["answers"][7:] == [None, None]
    again = phone.get("/before-the-group")
    assert "You sent your answers" in page_text(again)
    assert len(re.findall(r'<input checked[^>]*value="1"', again.get_data(as_text=True))) == 7
    meeting_page = page_text(client.get(meeting_path(world, member_id)))
    assert "7 of 9 answered" in meeting_page and "sent from their phone" in meeting_page


def test_item9_from_the_phone_shows_urgent_help_and_alerts(app, world):
    member_id, join_path = invite(app, world)
    client = signed_in(app, world)
    watcher = live(app, client)
    assert emit(watcher, "meeting:watch", {"participant_id": member_id})["ok"]
    phone = phone_of(app, join_path)
    phone.post("/before-the-group/baseline",
               data={"csrf_token": csrf_token(phone, "/before-the-group"), "phq9": "3"})
    page = page_text(phone.get("/before-the-group"))
    assert "Support is here for you" in page and "Call 988 or talk to us." in page
    assert received(watcher, "alert:raised")
    assert "Record the risk assessment now" in page_text(
        client.get(meeting_path(world, member_id)))


def test_a_bad_phone_answer_saves_nothing(app, world):
    member_id, join_path = invite(app, world)
    phone = phone_of(app, join_path)
    token = csrf_token(phone, "/before-the-group")
    empty = phone.post("/before-the-group/baseline", data={"csrf_token": token})
    assert "Please answer at least one question" in page_text(empty)
    wrong = phone.post("/before-the-group/baseline", data={"csrf_token": token, "phq2": "7"})
    assert "four choices" in page_text(wrong)
    with app.app_context():
        assert member(app, member_id).meeting is None  # not even an empty meeting row


def test_meeting_watch_is_for_the_groups_facilitators_only(app, world):
    member_id, join_path = invite(app, world)
    phone = app.test_client()
    phone.get(join_path)
    assert emit(live(app, phone), "meeting:watch",
                {"participant_id": member_id})["error"]["code"] == "forbidden"
    from helpers import make_group
    other = make_group(app, 1, "Other group")
    stranger = app.test_client()
    login_as(stranger, other.email)
    sock = live(app, stranger)
    assert emit(sock, "meeting:watch", {"participant_id": member_id})["error"]["code"] == \
        "forbidden"
    assert emit(sock, "meeting:watch", {"participant_id": 99999})["error"]["code"] == \
        "not_found"
