"""Attendance: the grid of who came to each session, and who missed two in a row."""

import pytest
from flask import render_template_string
from helpers import login_as, make_group
from helpers.reports import row_of, run_session, tables

from facilitator.extensions import db
from facilitator.models import Group, GroupSession, Participant, ParticipantLogin
from facilitator.services import groups as rules
from facilitator.services import live
from facilitator.services.reporting import attendance_flags, attendance_rows


def hold_session(app, world, number: int, present: list[int], end: bool = True) -> None:
    """Start session ``number``, record who joined it, and end it (through the services)."""
    with app.app_context():
        session = db.session.get(GroupSession, world.session_ids[number - 1])
        live.start_session(session)
        for index in present:
            live.enter_session(f"sid-{number}-{index}", "test", participant(world, index), session)
        if end:
            live.end_session(session)


def participant(world, index: int):
    """A stand-in for the signed-in participant ``index`` (what the live handlers pass)."""
    person = db.session.get(Participant, world.participant_ids[index])
    return ParticipantLogin(person, person.active_link.id)


@pytest.fixture
def course(app, world):
    """Four ended sessions and a fifth live one.

    Person 1 comes to all; Person 2 misses 2 and 3 and comes back; Person 3 misses 2, 3 and 4.
    """
    hold_session(app, world, 1, [0, 1, 2])
    hold_session(app, world, 2, [0])
    hold_session(app, world, 3, [0])
    hold_session(app, world, 4, [0, 1])
    hold_session(app, world, 5, [0], end=False)
    return world


@pytest.fixture
def lead(client, world):
    """The HTTP client signed in as the group's facilitator."""
    login_as(client, world.email)
    return client


def grid(client, world) -> list[list[str]]:
    """The attendance grid of the page, as rows of cell texts."""
    response = client.get(f"/groups/{world.group_id}/attendance")
    assert response.status_code == 200
    return tables(response.get_data(as_text=True))["attendance-grid"]


def test_grid_shows_who_came_to_each_session(lead, course):
    rows = grid(lead, course)
    assert rows[0] == ["Participant", *[f"SSession {n}" for n in range(1, 9)], "Came"]
    later = ["To come"] * 3
    assert row_of(rows, "Person 1") == ["Person 1", *["Came"] * 5, *later, "5 of 5"]
    assert row_of(rows, "Person 2") == [
        "Person 2", "Came", "Missed", "Missed", "Came", "Not seen yet", *later, "2 of 4"]
    assert row_of(rows, "Person 3") == [
        "Person 3", "Came", "Missed", "Missed", "Missed", "Not seen yet", *later, "1 of 4"]
    assert row_of(rows, "Present") == ["Present", "3", "1", "1", "2", "1", "", "", "", ""]


def test_flags_list_those_who_missed_two_in_a_row(lead, course):
    html = lead.get(f"/groups/{course.group_id}/attendance").get_data(as_text=True)
    flags = html[html.index('class="report-list attendance-flag-list"'):]
    flags = flags[:flags.index("</ul>")]
    assert "Person 1" not in flags
    assert "<strong>Person 2</strong>:\nmissed sessions 2 and 3 (came back since)." in flags
    assert ("<strong>Person 3</strong>:\nmissed sessions 2, 3 and 4 "
            '(<span class="still-missing">not back yet</span>).') in flags


def test_one_missed_session_is_not_flagged(app, lead, world):
    hold_session(app, world, 1, [0, 1])
    hold_session(app, world, 2, [0, 2])
    hold_session(app, world, 3, [0, 1, 2])
    html = lead.get(f"/groups/{world.group_id}/attendance").get_data(as_text=True)
    assert "Nobody has missed two ended sessions in a row." in html


def test_sessions_before_someone_joined_the_group_do_not_count(app, lead, world):
    hold_session(app, world, 1, [0])
    hold_session(app, world, 2, [0])
    with app.app_context():
        late = rules.add_participant(db.session.get(Group, world.group_id), "Late Joiner",
                                    status="enrolled")
        world.participant_ids.append(late.id)
        world.join_paths.append(late.active_link.join_path)
    hold_session(app, world, 3, [0, 3])
    rows = grid(lead, world)
    assert row_of(rows, "Late Joiner")[1:4] == ["Not yet in the group", "Not yet in the group",
                                                "Came"]
    assert row_of(rows, "Late Joiner")[-1] == "1 of 1"
    with app.app_context():
        flagged = [r.participant.display_name
                   for r in attendance_flags(db.session.get(Group, world.group_id))]
    assert flagged == ["Person 2", "Person 3"]


def test_attendance_is_recorded_by_joining_the_live_session(app, lead, world):
    """Through Socket.IO: joining a live session is what marks a participant present."""
    run_session(app, world, 1, {0: (5, 10)}, present=[0, 2])
    assert row_of(grid(lead, world), "Person 3")[1] == "Came"
    assert row_of(grid(lead, world), "Person 2")[1] == "Missed"


def test_attendance_rows_give_counts_and_runs(app, course):
    with app.app_context():
        rows = attendance_rows(db.session.get(Group, course.group_id))
    summary = [(r.code, r.attended, r.expected, r.runs, r.missing_now) for r in rows]
    assert summary == [("P01", 5, 5, [], False), ("P02", 2, 4, [[2, 3]], False),
                       ("P03", 1, 4, [[2, 3, 4]], True)]


def test_group_page_snippet_lists_the_flags_and_links(app, course):
    """The snippet the lead adds to groups/show.html renders with just ``group``."""
    with app.test_request_context():
        group = db.session.get(Group, course.group_id)
        html = render_template_string('{% include "reports/_group_links.html" %}', group=group)
    assert "Missed two or more sessions in a row" in html
    assert "<strong>Person 3</strong>" in html and "<strong>Person 1</strong>" not in html
    for path in ("outcomes", "attendance", "export.csv", "export.json"):
        assert f'href="/groups/{course.group_id}/{path}' in html


def test_group_page_snippet_without_flags(app, world):
    with app.test_request_context():
        group = db.session.get(Group, world.group_id)
        html = render_template_string('{% include "reports/_group_links.html" %}', group=group)
    assert "Missed two or more" not in html
    assert f'href="/groups/{world.group_id}/outcomes"' in html


def test_only_the_groups_facilitators_see_attendance(app, client, world):
    url = f"/groups/{world.group_id}/attendance"
    assert client.get(url).status_code == 302
    login_as(client, make_group(app, name="Other").email)
    assert client.get(url).status_code == 403
