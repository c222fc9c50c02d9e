"""Goals on the profile: add, reword, drop, progress notes; every change kept with its date,
audited in the same transaction; each bad or missing field named, nothing saved."""

import re
from html import unescape

import pytest
from helpers import csrf_token, login_as, make_group
from helpers.profile import GOALS, page_text, run_session, seed_plan
from sqlalchemy import func, select, text

from facilitator.extensions import db
from facilitator.models import Goal, GoalChange, GoalProgress


def base(world, member_id: int) -> str:
    """The member's profile page."""
    return f"/groups/{world.group_id}/members/{member_id}"


def goal_ids(app, member_id: int) -> list[int]:
    """The member's goals, current and dropped, in order."""
    with app.app_context():
        return list(db.session.scalars(select(Goal.id).where(Goal.participant_id == member_id)
                                       .order_by(Goal.position)))


def counts(app) -> tuple[int, int, int]:
    """How many goals, goal changes and progress notes are stored."""
    with app.app_context():
        return tuple(db.session.scalar(select(func.count()).select_from(model))
                     for model in (Goal, GoalChange, GoalProgress))


def audit_actions(app, group_id: int) -> list[str]:
    """The group's audit actions on goals, oldest first."""
    with app.app_context():
        return [row[0] for row in db.session.execute(text(
            "SELECT action FROM audit_events WHERE group_id = :g AND action LIKE 'goal.%' "
            "ORDER BY id"), {"g": group_id})]


@pytest.fixture
def member(app, client, world):
    """A member with two goals, session 1 held; the lead signed in."""
    member_id = seed_plan(app, world)
    run_session(app, world, 1, {0: (5, None)})
    login_as(client, world.email)
    return member_id


def post(client, path: str, data: dict):
    """POST a profile form with a fresh CSRF token."""
    token = csrf_token(client, path.split("/goals")[0])
    return client.post(path, data={"csrf_token": token, **data})


def test_goal_changes_are_kept_with_their_dates(app, client, world, member):
    first, second = goal_ids(app, member)
    path = base(world, member)
    answer = post(client, f"{path}/goals/{first}",
                  {f"goal-{first}-text": "Ask my brother to take Dad one weekend a month"})
    assert answer.status_code == 302 and answer.headers["Location"].endswith(f"#goal-{first}")
    assert post(client, f"{path}/goals/{second}/drop", {}).status_code == 302
    assert post(client, f"{path}/goals",
                {"new-goal-text": "Tell my partner when I need a break"}).status_code == 302

    page = page_text(client.get(path).get_data(as_text=True))
    day = r"\d\d \w{3} \d{4}"
    assert re.search(rf"{day} : set as “{GOALS[0]}” \(Sam Lead\) {day} : changed from "
                     rf"“{GOALS[0]}” to “Ask my brother to take Dad one weekend a month”", page)
    assert re.search(rf"Dropped goals {GOALS[1]} dropped {day}", page), page
    assert re.search(rf"{day} : set as “Tell my partner when I need a break”", page)
    assert audit_actions(app, world.group_id) == ["goal.edit", "goal.drop", "goal.add"]
    with app.app_context():
        history = [(c.old_text, c.new_text) for c in db.session.scalars(
            select(GoalChange).where(GoalChange.goal_id == first).order_by(GoalChange.id))]
    assert history == [(None, GOALS[0]),
                       (GOALS[0], "Ask my brother to take Dad one weekend a month")]


def test_a_progress_note_is_kept_per_goal_and_session(app, client, world, member):
    first, _ = goal_ids(app, member)
    path = f"{base(world, member)}/goals/{first}/progress"
    session = str(world.session_ids[0])
    assert post(client, path, {f"progress-{first}-session_id": session,
                               f"progress-{first}-note": "Phoned him; talk planned"}
                ).status_code == 302
    assert post(client, path, {f"progress-{first}-session_id": session,
                               f"progress-{first}-note": "Talked; he will take Dad in May"}
                ).status_code == 302
    page = page_text(client.get(base(world, member)).get_data(as_text=True))
    assert "Session 1 : Talked; he will take Dad in May (Sam Lead" in page
    assert "Phoned him" not in page  # the second note of the session replaced the first
    assert counts(app)[2] == 1
    assert audit_actions(app, world.group_id) == ["goal.progress", "goal.progress"]


@pytest.mark.parametrize(("fields", "message"), [
    ({"note": "Went well"}, "Session: choose the session this note is about."),
    ({"session_id": "{scheduled}", "note": "Went well"},
     "Session: choose one of this group's sessions held so far."),
    ({"session_id": "{other}", "note": "Went well"},
     "Session: choose one of this group's sessions held so far."),
    ({"session_id": "nine", "note": "Went well"},
     "Session: choose one of this group's sessions held so far."),
    ({"session_id": "{held}"}, "Progress note: write how the member got on with this goal."),
    ({"session_id": "{held}", "note": "   "},
     "Progress note: write how the member got on with this goal."),
    ({"session_id": "{held}", "note": "x" * 2001}, "Progress note: at most 2000 characters."),
])
def test_a_bad_progress_note_names_the_field_and_saves_nothing(app, client, world, member,
                                                                fields, message):
    other = make_group(app, participants=1, name="Other", email="other@example.org")
    ids = {"{held}": world.session_ids[0], "{scheduled}": world.session_ids[1],
           "{other}": other.session_ids[0]}
    first, _ = goal_ids(app, member)
    before = counts(app)
    data = {f"progress-{first}-{k}": str(ids.get(v, v)) for k, v in fields.items()}
    answer = post(client, f"{base(world, member)}/goals/{first}/progress", data)
    assert answer.status_code == 200
    assert message in unescape(answer.get_data(as_text=True))
    assert counts(app) == before
    assert audit_actions(app, world.group_id) == []


@pytest.mark.parametrize(("text", "message"), [
    ("", "Goal: write the goal in the member's own words."),
    ("   ", "Goal: write the goal in the member's own words."),
    ("x" * 301, "Goal: at most 300 characters."),
])
def test_a_bad_goal_names_the_field_and_saves_nothing(app, client, world, member, text,
                                                      message):
    first, _ = goal_ids(app, member)
    before = counts(app)
    for path, field in ((f"{base(world, member)}/goals", "new-goal-text"),
                        (f"{base(world, member)}/goals/{first}", f"goal-{first}-text")):
        answer = post(client, path, {field: text})
        assert answer.status_code == 200
        assert message in unescape(answer.get_data(as_text=True))
    assert counts(app) == before
    assert audit_actions(app, world.group_id) == []


def test_a_fourth_goal_is_refused_with_a_message(app, client, world, member):
    path = f"{base(world, member)}/goals"
    assert post(client, path, {"new-goal-text": "A third goal"}).status_code == 302
    before = counts(app)
    answer = post(client, path, {"new-goal-text": "A fourth goal"})  # from a stale page
    assert answer.status_code == 200
    assert "A member has at most 3 goals." in answer.get_data(as_text=True)
    assert counts(app) == before


def test_a_dropped_goal_takes_no_more_changes(app, client, world, member):
    first, _ = goal_ids(app, member)
    assert post(client, f"{base(world, member)}/goals/{first}/drop", {}).status_code == 302
    answer = post(client, f"{base(world, member)}/goals/{first}",
                  {f"goal-{first}-text": "New words"})
    assert answer.status_code == 409


def test_no_progress_form_before_the_first_session(app, client):
    world = make_group(app, participants=1)
    member_id = seed_plan(app, world)
    login_as(client, world.email)
    page = page_text(client.get(base(world, member_id)).get_data(as_text=True))
    assert "Progress notes can be kept once the first session has started." in page


def test_a_goal_change_reaches_the_member_s_phone_and_no_one_else(app, client, world, member):
    from helpers import joined, participant_socket, received

    phone = participant_socket(app, world, 0)
    other = participant_socket(app, world, 1)
    for sock in (phone, other):
        joined(sock, world.session_id)
        received(sock)
    first, _second = goal_ids(app, member)
    path = base(world, member)
    post(client, f"{path}/goals/{first}", {f"goal-{first}-text": "Sing with the choir again"})
    (mine,) = received(phone, "plan:updated")
    assert [goal["text"] for goal in mine["goals"]] == ["Sing with the choir again", GOALS[1]]
    assert set(mine) == {"goals", "shared_summary"}
    assert received(other, "plan:updated") == [], "another member hears nothing of this plan"
    post(client, f"{path}/goals/{first}/drop", {})
    (after,) = received(phone, "plan:updated")
    assert [goal["text"] for goal in after["goals"]] == [GOALS[1]]
