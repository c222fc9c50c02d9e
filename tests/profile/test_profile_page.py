"""A member's profile: each section shows what was recorded, and reading it is audited."""

import re

from helpers import emit, joined, login_as, make_group
from helpers.profile import BASELINE, GOALS, page_text, run_session, seed_plan
from sqlalchemy import text

from facilitator.extensions import db
from facilitator.models import Participant, PreGroupMeeting
from facilitator.services import plans


def profile_path(world, member_id: int) -> str:
    """The member's profile page."""
    return f"/groups/{world.group_id}/members/{member_id}"


def record_risk(lead, session_id: int) -> int:
    """Acknowledge the session's open alert and keep its risk record; return its id."""
    alert_id = joined(lead, session_id)["alerts"][0]["alert_id"]
    assert emit(lead, "alert:ack", {"alert_id": alert_id})["ok"]
    assert emit(lead, "risk:record", {
        "alert_id": alert_id, "asked_directly": True, "thoughts": "passive", "plan": False,
        "means": False, "past_attempt": False, "risk_level": "medium",
        "follow_up_due": "2099-01-01T09:00:00Z"})["ok"]
    return alert_id


def test_each_section_shows_what_was_recorded(app, client, world):
    member_id = seed_plan(app, world)
    item9_once = [1, 1, 2, 2, 2, 2, 2, 1, 1]  # 14, item 9 "several days"
    lead = run_session(app, world, 1, {0: (4, item9_once), 1: (6, None)}, end=False)
    alert_id = record_risk(lead, world.session_ids[0])
    assert emit(lead, "session:end", {"session_id": world.session_ids[0]})["ok"]
    login_as(client, world.email)

    html = client.get(profile_path(world, member_id)).get_data(as_text=True)
    page = page_text(html)

    assert "Person 1" in page and "enrolled" in page
    assert "How by phone" in page and "with Sam Lead" in page
    assert f"Baseline PHQ-9 {sum(BASELINE)} (moderately severe)" in page
    assert "item 9: not at all" in page
    assert "Does the person have an active plan to end their life? No" in page
    assert "It is not your fault" in page and "It is fine to do less for a while" in page
    assert "Last winter : Dad moved in after his fall (mood 3 of 10)" in page
    assert "My brother" in page and "brother · not close" in page
    assert "He leaves the caring to me" in page
    assert "Problem area Disagreements; second: Life changes" in page
    assert "Worn out by caring for her father alone." in page
    assert "Caring for my dad and sharing it fairly." in page
    for goal in GOALS:
        assert goal in page
    assert re.search(r"Baseline \(pre-group meeting\) \S+ \S+ 16 moderately severe "
                     r"not at all —", page), page
    assert re.search(r"Session 1 \S+ \S+ 14 moderate several days 4", page), page
    assert "Came to 1 of 1 session held so far." in page
    assert "Risk level medium" in page and "follow-up due" in page
    assert f'href="/alerts/{alert_id}/risk"' in html


def test_a_member_without_a_meeting_has_a_link_to_start_it(app, client):
    world = make_group(app, participants=1)
    with app.app_context():
        member = db.session.get(Participant, world.participant_ids[0])
        member.status = "invited"
        db.session.commit()
    login_as(client, world.email)
    html = client.get(profile_path(world, world.participant_ids[0])).get_data(as_text=True)
    assert "No meeting yet." in page_text(html) and "invited" in page_text(html)
    meeting = f"/groups/{world.group_id}/members/{world.participant_ids[0]}/meeting"
    assert f'href="{meeting}"' in html
    assert "No goals yet." in page_text(html) and "No measures yet." in page_text(html)


def test_a_meeting_recorded_elsewhere_says_so(app, client, world):
    member_id = seed_plan(app, world, recorded_elsewhere=True)
    login_as(client, world.email)
    page = page_text(client.get(profile_path(world, member_id)).get_data(as_text=True))
    assert "Meeting recorded elsewhere" in page


def test_the_baseline_item9_above_zero_is_shown_in_words(app, client, world):
    member_id = seed_plan(app, world)
    with app.app_context():
        meeting = db.session.scalar(db.select(PreGroupMeeting))
        meeting.baseline_phq9 = [*BASELINE[:8], 3]
        meeting.baseline_total = sum(BASELINE) + 3
        db.session.commit()
    login_as(client, world.email)
    html = client.get(profile_path(world, member_id)).get_data(as_text=True)
    assert "item 9: nearly every day" in page_text(html)
    assert 'class="item9-flag">nearly every day' in html


def test_opening_a_profile_is_audited_and_shows_no_one_else(app, client, world):
    member_id = seed_plan(app, world)
    other_id = seed_plan(app, world, index=1)
    with app.app_context():
        other = db.session.get(Participant, other_id)
        plans.set_shared_summary(other, "Someone else's line")
        db.session.commit()
    login_as(client, world.email)
    page = client.get(profile_path(world, member_id)).get_data(as_text=True)
    assert "Someone else's line" not in page
    with app.app_context():
        rows = db.session.execute(text(
            "SELECT action, subject, facilitator_id FROM audit_events WHERE group_id = :g"),
            {"g": world.group_id}).all()
    assert [tuple(r) for r in rows] == [
        ("read.profile", f"participant {member_id}", world.facilitator_id)]


def test_the_group_page_links_each_name_to_the_profile(app, client, world):
    login_as(client, world.email)
    html = client.get(f"/groups/{world.group_id}").get_data(as_text=True)
    for member_id in world.participant_ids:
        assert f'href="/groups/{world.group_id}/members/{member_id}"' in html


def statements_to_gather(app, member_id: int) -> int:
    """How many SQL statements gathering the member's profile takes."""
    from sqlalchemy import event

    from facilitator.services import profile

    with app.app_context():
        member = db.session.get(Participant, member_id)
        member.group  # noqa: B018 - loaded before counting, as the view's access check does
        seen = []
        listener = lambda *args, **kwargs: seen.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            profile.gather(member)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)


def test_gathering_a_profile_takes_the_same_few_queries_however_long_the_course(app, world):
    member_id = seed_plan(app, world)
    short = statements_to_gather(app, member_id)
    for number in (1, 2, 3):
        run_session(app, world, number, {0: (5, BASELINE)})
    with app.app_context():
        member = db.session.get(Participant, member_id)
        goal = member.goals[0]
        for number in (1, 2, 3):
            plans.note_progress(goal, world.session_ids[number - 1], f"Note {number}")
        plans.edit_goal(goal, "New words")
        plans.add_goal(member, "A third goal")
        db.session.commit()
    assert statements_to_gather(app, member_id) == short <= 14  # the round and role-plays added two
