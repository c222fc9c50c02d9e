"""The measures-over-time page: what a facilitator reads in its tables and what the charts get."""

import re

import pytest
from helpers import login_as, make_group
from helpers.reports import LiveSession, row_of, run_session, tables


@pytest.fixture
def course(app, world):
    """Two ended sessions: Person 1 goes 20 -> 10, Person 2 9 -> 4, Person 3 comes once."""
    run_session(app, world, 1, {0: (3, 20), 1: (5, 9), 2: (4, 16)})
    second = LiveSession(app, world, 2, present=[0, 1])
    second.check_in(0, 4, 12)
    second.check_in(0, 6, 10)  # a correction: the latest check-in of the session counts
    second.check_in(1, 8, 4)
    second.end()
    return world


@pytest.fixture
def lead(client, world):
    """The HTTP client signed in as the group's facilitator."""
    login_as(client, world.email)
    return client


def page(client, path: str) -> str:
    """GET a page that must answer 200; return its HTML."""
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def static(client, path: str) -> tuple[int, str, str]:
    """GET a static file; return its status, type and text (and close the file)."""
    with client.get(path) as response:
        return response.status_code, response.mimetype, response.get_data(as_text=True)


def test_outcomes_table_shows_each_participants_outcomes(lead, course):
    html = page(lead, f"/groups/{course.group_id}/outcomes")
    table = tables(html)["outcomes-table"]
    assert table[0] == ["Participant", "First", "Latest", "Change", "Response", "Remission",
                        "Reliable improvement", "Recovery", "First measure"]
    in_group = "first PHQ-9 in group"
    assert row_of(table, "Person 1") == ["Person 1", "20", "10", "-10", "Yes", "No", "Yes", "No",
                                         in_group]
    assert row_of(table, "Person 2") == ["Person 2", "9", "4", "-5", "Yes", "Yes", "No", "No",
                                         in_group]
    assert row_of(table, "Person 3") == ["Person 3", "16", "16", "—", "No data", "No data",
                                         "No data", "No data", in_group]
    assert table[-1][1:] == ["2", "1", "1", "0", "0 baseline, 3 in the group"], (
        "group totals of each outcome")


def test_numbers_table_has_one_point_per_session(lead, course):
    html = page(lead, f"/groups/{course.group_id}/outcomes")
    table = tables(html)["measures-table"]
    assert table[0] == ["Participant", "Session 1", "Session 2"], "only sessions that ran"
    assert row_of(table, "Person 1") == ["Person 1", "PHQ-9 20 (Severe) mood 3",
                                         "PHQ-9 10 (Moderate) mood 6"]
    assert row_of(table, "Person 3")[2] == "no check-in"
    assert row_of(table, "Group mean") == [
        "Group mean", "PHQ-9 15.0 mood 4.0 3 checked in", "PHQ-9 7.0 mood 7.0 2 checked in"]


def test_participant_cards_summarise_first_and_latest(lead, course):
    html = page(lead, f"/groups/{course.group_id}/outcomes")
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "PHQ-9 20 (Severe) → 10 (Moderate), change -10." in text
    assert "First PHQ-9: 16 (Moderately severe). Outcomes need a second measure." in text
    assert "Response: Yes" in text and "Recovery: No" in text


def test_chart_data_has_one_value_per_course_session(lead, course):
    data = lead.get(f"/groups/{course.group_id}/outcomes.json").get_json()
    assert data["sessions"] == list(range(1, 9))
    assert [b["name"] for b in data["bands"]] == [
        "minimal", "mild", "moderate", "moderately_severe", "severe"]
    assert [(b["low"], b["high"]) for b in data["bands"]] == [
        (0, 4), (5, 9), (10, 14), (15, 19), (20, 27)]
    first, second, third = data["participants"]
    assert first["name"] == "Person 1"
    assert first["phq9"] == [20, 10, None, None, None, None, None, None]
    assert first["mood"][:3] == [3, 6, None]
    assert first["outcome"]["response"] is True and first["outcome"]["recovery"] is False
    assert third["phq9"][:2] == [16, None]
    assert data["group"]["phq9"][:3] == [15.0, 7.0, None]
    assert data["group"]["mood"][:2] == [4.0, 7.0]
    assert data["group"]["count"][:3] == [3, 2, 0]


def test_mood_only_checkin_keeps_the_sessions_phq9(app, lead, world):
    live = LiveSession(app, world, 1, present=[0])
    live.check_in(0, 4, 14)
    live.check_in(0, 2)  # mood only, later
    live.end()
    data = lead.get(f"/groups/{world.group_id}/outcomes.json").get_json()
    assert data["participants"][0]["phq9"][0] == 14
    assert data["participants"][0]["mood"][0] == 2


def test_page_draws_from_our_own_origin_without_inline_script_or_style(lead, course):
    html = page(lead, f"/groups/{course.group_id}/outcomes")
    # The page's words ride in a JSON data block (never run); every script comes from a file.
    scripts = [tag for tag in re.findall(r"<script\b[^>]*>", html)
               if 'type="application/json"' not in tag]
    assert scripts and all('src="/static/' in tag for tag in scripts)
    bodies = re.findall(r"<script(?![^>]*application/json)[^>]*>(.*?)</script>", html, re.S)
    assert bodies and all(not body.strip() for body in bodies), "no inline script"
    assert " style=" not in html and "<style" not in html
    assert html.count("<canvas") == 4, "the group's chart and one per participant"
    assert f'data-src="/groups/{course.group_id}/outcomes.json"' in html
    status, mimetype, module = static(lead, "/static/js/outcomes.js")
    assert 'import "../vendor/chart.umd.min.js"' in module
    status, mimetype, vendor = static(lead, "/static/vendor/chart.umd.min.js")
    assert status == 200 and "javascript" in mimetype
    assert "Chart.js v4" in vendor[:200]
    assert "MIT License" in static(lead, "/static/vendor/chart.js-LICENSE.md")[2]


def test_page_links_its_stylesheets(lead, course):
    html = page(lead, f"/groups/{course.group_id}/outcomes")
    assert 'href="/static/css/reports.css"' in html
    assert re.search(r'href="/static/css/print.css" media="print"', html)
    assert static(lead, "/static/css/reports.css")[0] == 200
    assert "@media print" not in static(lead, "/static/css/print.css")[2], "linked media=print"


def test_a_group_with_no_checkins_yet(lead, world):
    html = page(lead, f"/groups/{world.group_id}/outcomes")
    assert "No session has started yet." in html
    assert row_of(tables(html)["outcomes-table"], "Person 1")[1:4] == ["—", "—", "—"]


@pytest.mark.parametrize("path", ["/groups/{g}/outcomes", "/groups/{g}/outcomes.json"])
def test_only_the_groups_facilitators_see_outcomes(app, client, world, path):
    url = path.format(g=world.group_id)
    assert client.get(url).status_code == 302, "signed out: off to sign in"
    other = make_group(app, name="Another group")
    login_as(client, other.email)
    assert client.get(url).status_code == 403
    participant = app.test_client()
    participant.get(world.join_paths[0])
    assert participant.get(url).status_code == 403
    assert client.get(path.format(g=9999)).status_code == 404


def test_a_cofacilitator_sees_outcomes(app, client, world):
    from facilitator.extensions import db
    from facilitator.models import Group
    from facilitator.services import groups as rules

    with app.app_context():
        co = rules.create_facilitator("co@example.org", "Kim Co", "correct horse battery staple")
        group = db.session.get(Group, world.group_id)
        group.facilitators.append(co)
        db.session.commit()
    login_as(client, "co@example.org")
    assert client.get(f"/groups/{world.group_id}/outcomes").status_code == 200

