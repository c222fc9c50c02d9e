"""The pre-group meeting: the whole flow, the status it moves, and the group page."""

import re

from helpers import accept_notice, csrf_token
from helpers.meeting import (
    GOOD,
    invite,
    meeting_path,
    member,
    page_text,
    post_step,
    run_meeting,
    signed_in,
)

from facilitator.extensions import db
from facilitator.models import AuditEvent, PreGroupMeeting
from facilitator.services import plans


def test_a_whole_meeting_enrols_the_member_and_keeps_each_step(app, world):
    member_id, _ = invite(app, world)
    client = signed_in(app, world)
    page = client.get(meeting_path(world, member_id))
    assert page.status_code == 200 and "Pre-group meeting" in page_text(page)
    run_meeting(client, world, member_id)
    with app.app_context():
        person = member(app, member_id)
        meeting = person.meeting
        assert person.status == "enrolled"
        assert person.problem_area == "role_transition"
        assert person.shared_summary == "Since I moved here I have been lonely."
        assert [g.text for g in person.goals] == ["Call my old friend Ana once a week"]
        assert meeting.mode == "in_person" and meeting.consent_at is not None
        assert meeting.consent_by_id == world.facilitator_id
        assert meeting.baseline_total == 8 and meeting.baseline_source == "facilitator"
        assert meeting.eligibility["suicide_plan"] == {"answer": False, "note": ""}
        assert meeting.psychoeducation == ["common", "treatable", "not_your_fault", "do_less"]
        assert meeting.private_summary.startswith("Low since")
        assert set(meeting.steps_done) == set(GOOD)
        assert meeting.completed_at is not None
        actions = [e.action for e in db.session.query(AuditEvent).filter(
            AuditEvent.subject == f"participant {member_id}")]
    for action in ("meeting.open", "meeting.consent", "meeting.baseline", "meeting.fit",
                   "meeting.explained", "meeting.timeline.add", "meeting.inventory.add",
                   "meeting.plan", "meeting.goals", "meeting.end"):
        assert action in actions


def test_the_page_resumes_with_what_was_saved(app, world):
    member_id, _ = invite(app, world)
    client = signed_in(app, world)
    post_step(client, world, member_id, "start", GOOD["start"])
    post_step(client, world, member_id, "inventory", GOOD["inventory"])
    text = page_text(client.get(meeting_path(world, member_id)))
    assert "my sister" in text and "We argue about money" in text
    html = client.get(meeting_path(world, member_id)).get_data(as_text=True)
    assert re.search(r'<input checked[^>]*value="in_person"', html)
    assert re.search(r'<input checked[^>]*name="consent"', html)


def test_meeting_done_then_enrol_later(app, world):
    member_id, _ = invite(app, world)
    client = signed_in(app, world)
    run_meeting(client, world, member_id, outcome="done")
    with app.app_context():
        assert member(app, member_id).status == "meeting_done"
    post_step(client, world, member_id, "end", {"outcome": "enrol"})
    with app.app_context():
        assert member(app, member_id).status == "enrolled"


def test_any_yes_on_fit_means_referred_with_where_to(app, world):
    member_id, _ = invite(app, world)
    client = signed_in(app, world)
    fit = {**GOOD["fit"], "substance_use": "yes", "substance_use_note": "drinks daily"}
    response = post_step(client, world, member_id, "fit", fit)
    assert "Where to refer" in page_text(response)
    post_step(client, world, member_id, "fit", {**fit, "referred_to": "The alcohol service"})
    for step in ("start", "plan", "goals"):
        post_step(client, world, member_id, step, GOOD[step])
    refused = post_step(client, world, member_id, "end", {"outcome": "enrol"})
    assert "referred" in page_text(refused)
    with app.app_context():
        assert member(app, member_id).status == "invited"
    post_step(client, world, member_id, "end", {"outcome": "referred"})
    with app.app_context():
        person = member(app, member_id)
        assert person.status == "referred"
        assert person.meeting.referred_to == "The alcohol service"


def test_enrol_needs_consent_fit_problem_area_and_a_goal(app, world):
    member_id, _ = invite(app, world)
    client = signed_in(app, world)
    response = post_step(client, world, member_id, "end", {"outcome": "enrol"})
    text = page_text(response)
    for missing in ("consent", "Does the group fit", "a problem area", "at least one goal"):
        assert missing in text
    with app.app_context():
        assert member(app, member_id).status == "invited"


def test_declined_and_goals_keep_history(app, world):
    member_id, _ = invite(app, world)
    client = signed_in(app, world)
    post_step(client, world, member_id, "goals", {"goal_1": "First words", "goal_2": "Two"})
    post_step(client, world, member_id, "goals", {"goal_1": "Better words"})
    with app.app_context():
        person = member(app, member_id)
        assert [g.text for g in person.goals] == ["Better words"]
        changes = [(c.old_text, c.new_text) for goal in person.meeting.participant.goals
                   for c in plans.goal_history(goal)]
        assert ("First words", "Better words") in changes
    post_step(client, world, member_id, "end", {"outcome": "declined"})
    with app.app_context():
        assert member(app, member_id).status == "declined"


def test_timeline_and_inventory_add_change_remove(app, world):
    member_id, _ = invite(app, world)
    client = signed_in(app, world)
    post_step(client, world, member_id, "timeline", GOOD["timeline"])
    post_step(client, world, member_id, "inventory", GOOD["inventory"])
    with app.app_context():
        meeting = db.session.query(PreGroupMeeting).one()
        from facilitator.services import lifemap
        entry_id = lifemap.timeline(meeting.participant)[0].id
        person_id = lifemap.people(meeting.participant)[0].id
    path = meeting_path(world, member_id)
    token = csrf_token(client, path)
    changed = client.post(f"{path}/inventory/{person_id}", data={
        "csrf_token": token, **{f"p{person_id}-{k}": v for k, v in GOOD["inventory"].items()},
        f"p{person_id}-closeness": "2"})
    assert changed.status_code == 302
    bad = client.post(f"{path}/inventory/{person_id}", data={
        "csrf_token": token, **{f"p{person_id}-{k}": v for k, v in GOOD["inventory"].items()},
        f"p{person_id}-label": ""})
    assert "Name or label" in page_text(bad)
    with app.app_context():
        assert lifemap.people(member(app, member_id))[0].closeness == 2
    assert client.post(f"{path}/timeline/{entry_id}/remove",
                       data={"csrf_token": token}).status_code == 302
    assert client.post(f"{path}/inventory/{person_id}/remove",
                       data={"csrf_token": token}).status_code == 302
    assert client.post(f"{path}/inventory/{person_id}/remove",
                       data={"csrf_token": token}).status_code == 404
    with app.app_context():
        person = member(app, member_id)
        assert lifemap.timeline(person) == [] and lifemap.people(person) == []


def test_group_page_shows_status_and_enrols_a_meeting_recorded_elsewhere(app, world):
    member_id, join_path = invite(app, world, "Paper Person")
    client = signed_in(app, world)
    page = client.get(f"/groups/{world.group_id}")
    text = page_text(page)
    assert "invited" in text and "Pre-group meeting" in text
    token = csrf_token(client, f"/groups/{world.group_id}")
    response = client.post(f"/groups/{world.group_id}/members/{member_id}/enrol-elsewhere",
                           data={"csrf_token": token})
    assert response.status_code == 302
    text = page_text(client.get(f"/groups/{world.group_id}"))
    assert "meeting recorded elsewhere" in text
    with app.app_context():
        person = member(app, member_id)
        assert person.status == "enrolled" and person.meeting.recorded_elsewhere
        assert db.session.query(AuditEvent).filter_by(
            action="meeting.recorded_elsewhere").count() == 1
    phone = app.test_client()
    phone.get(join_path)
    accept_notice(phone)
    assert "/sessions/" in phone.get(join_path).headers["Location"]


def test_adding_on_the_page_creates_an_invited_member(app, world):
    client = signed_in(app, world)
    token = csrf_token(client, f"/groups/{world.group_id}")
    client.post(f"/groups/{world.group_id}/participants",
                data={"csrf_token": token, "display_name": "Dana"})
    with app.app_context():
        from facilitator.models import Participant
        assert db.session.query(Participant).filter_by(display_name="Dana").one().status == \
            "invited"


def test_someone_who_declined_can_come_back_and_be_enrolled(app, world):
    member_id, _ = invite(app, world)
    client = signed_in(app, world)
    post_step(client, world, member_id, "end", {"outcome": "declined"})
    run_meeting(client, world, member_id)
    with app.app_context():
        assert member(app, member_id).status == "enrolled"
    refused = post_step(client, world, member_id, "end", {"outcome": "done"})
    assert "already enrolled" in page_text(refused)
