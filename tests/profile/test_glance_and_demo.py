"""The group at a glance on the group page, and the demo's members with finished meetings."""

import json
import re

from helpers import login_as, make_group

from facilitator.extensions import db
from facilitator.models import Goal, GoalChange, Participant, PreGroupMeeting
from facilitator.services.vocabulary import PROBLEM_AREAS, PSYCHOEDUCATION_POINTS

# (status, main area, second area) of each hand-made member.
MEMBERS = [
    ("enrolled", "grief", None),
    ("enrolled", "grief", "role_transition"),
    ("meeting_done", "role_dispute", "grief"),
    ("enrolled", "interpersonal_deficits", None),
    ("invited", None, None),
    ("invited", None, None),
    ("referred", "grief", None),  # referred elsewhere: not counted
]


def glance_rows(html: str) -> dict[str, tuple[str, str]]:
    """The glance table: area key -> (main count, second-area count or "—")."""
    rows = {}
    for key, body in re.findall(r'<tr data-area="(\w+)">(.*?)</tr>', html, re.S):
        main = re.search(r'class="glance-count">(\d+)<', body).group(1)
        second = re.search(r'class="glance-count glance-second">\+(\d+)<', body)
        rows[key] = (main, second.group(1) if second else "—")
    return rows


def test_the_group_page_counts_members_per_problem_area(app, client):
    world = make_group(app, participants=len(MEMBERS))
    with app.app_context():
        for pid, (status, main, second) in zip(world.participant_ids, MEMBERS, strict=True):
            member = db.session.get(Participant, pid)
            member.status, member.problem_area, member.second_problem_area = status, main, second
        db.session.commit()
    login_as(client, world.email)
    html = client.get(f"/groups/{world.group_id}").get_data(as_text=True)
    assert glance_rows(html) == {"grief": ("2", "1"), "role_dispute": ("1", "—"),
                                 "role_transition": ("0", "1"),
                                 "interpersonal_deficits": ("1", "—")}
    not_met = re.search(r'<ul id="glance-not-met".*?</ul>', html, re.S).group(0)
    assert "Person 5" in not_met and "Person 6" in not_met and "Person 1" not in not_met
    assert f'/groups/{world.group_id}/members/{world.participant_ids[4]}/meeting' in not_met
    assert re.search(r"referred elsewhere or declined\): <a [^>]+>Person 7</a>", html)


def test_when_everyone_has_met_the_page_says_so(app, client, world):
    login_as(client, world.email)
    html = client.get(f"/groups/{world.group_id}").get_data(as_text=True)
    assert "Everyone has had their pre-group meeting." in html
    assert "No problem area chosen yet:" in html


def test_demo_members_have_finished_meetings_and_print_their_plan(app, runner):
    result = runner.invoke(args=["demo", "--json", "--participants", "17"])
    assert result.exit_code == 0, result.output
    group = json.loads(result.output.strip().splitlines()[-1])["groups"][0]
    people = group["participants"]
    assert {p["problem_area"] for p in people} == set(PROBLEM_AREAS)
    for person in people:
        assert {"participant_id", "display_name", "join_path", "problem_area",
                "goals"} <= set(person)
        assert 1 <= len(person["goals"]) <= 3
    with app.app_context():
        for person in people:
            member = db.session.get(Participant, person["participant_id"])
            meeting = db.session.scalar(db.select(PreGroupMeeting).where(
                PreGroupMeeting.participant_id == member.id))
            assert member.status == "enrolled" and member.shared_summary
            assert [g.text for g in member.goals] == person["goals"]
            assert member.problem_area == person["problem_area"]
            assert meeting.completed_at and meeting.consent_at and meeting.consent_by_id
            assert meeting.mode in ("in_person", "phone", "video")
            assert len(meeting.baseline_phq9) == 9 and meeting.baseline_phq9[8] == 0
            assert 10 <= meeting.baseline_total <= 19
            assert meeting.baseline_total == sum(meeting.baseline_phq9)
            assert all(answer["answer"] is False for answer in meeting.eligibility.values())
            assert set(meeting.psychoeducation) == {k for k, _, _ in PSYCHOEDUCATION_POINTS}
            assert meeting.private_summary
        totals = {m.baseline_total for m in db.session.scalars(db.select(PreGroupMeeting))}
        assert len(totals) >= 5  # varied, moderate to moderately severe
        assert db.session.query(GoalChange).count() == db.session.query(Goal).count()


def test_a_demo_members_profile_shows_the_whole_method(app, runner, client):
    result = runner.invoke(args=["demo", "--json", "--participants", "2"])
    group = json.loads(result.output.strip().splitlines()[-1])["groups"][0]
    login_as(client, group["facilitator"]["email"], group["facilitator"]["password"])
    person = group["participants"][0]
    html = client.get(f"/groups/{group['group_id']}/members/{person['participant_id']}")
    page = html.get_data(as_text=True)
    assert html.status_code == 200
    for words in ("Finished", "Important people", "My sister", "Grief and loss",
                  *person["goals"]):
        assert words.replace("'", "&#39;") in page
