"""The session summary: what a facilitator reads about one session after it."""

import re
import uuid

import pytest
from helpers import emit, login_as, make_group
from helpers.reports import LiveSession, ok, run_session, tables
from sqlalchemy import select

from facilitator.extensions import db
from facilitator.models import Alert, Card


def text_of(html: str) -> str:
    """The page's text with tags dropped and spaces squeezed."""
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def section(html: str, section_id: str) -> str:
    """The text of the page's ``<section id=...>``."""
    match = re.search(rf'<section[^>]*id="{section_id}".*?</section>', html, re.S)
    assert match, f"no section {section_id}"
    return text_of(match.group(0))


@pytest.fixture
def second(app, world):
    """Session 1 sets a baseline; session 2 has a little of everything; Person 3 stays away."""
    run_session(app, world, 1, {0: (4, 14), 1: (6, None)}, present=[0, 1, 2])
    live = LiveSession(app, world, 2, present=[0, 1])
    live.check_in(0, 6, 10, note="Slept better this week")
    live.check_in(0, 5, 8)
    live.check_in(1, 3, 12, needs_support=True)
    state = live.facilitator("session:join")["state"]
    (alert,) = state["alerts"]
    ok(emit(live.fac, "alert:ack", {"alert_id": alert["alert_id"], "note": "Phoned, she is safe"}))
    live.facilitator("theme:create", title="Asking for help", problem_area="role_transition")
    card = live.participant(0, "card:submit", session_id=live.session_id,
                            client_id=str(uuid.uuid4()), text="My sister listened",
                            problem_area="grief", anonymous=True)
    ok(emit(live.fac, "card:moderate", {"card_id": card["card_id"], "action": "approve"}))
    everyone = live.facilitator("homework:assign", text="Call one friend")
    personal = live.facilitator("homework:assign", text="Write the letter",
                                participant_id=world.participant_ids[1])
    live.participant(0, "reflection:submit", client_id=str(uuid.uuid4()),
                     assignment_id=everyone["assignment_id"], text="Called Jo on Sunday",
                     times_practised=1)
    live.participant(1, "reflection:submit", client_id=str(uuid.uuid4()),
                     assignment_id=personal["assignment_id"], text="Started it")
    live.end()
    return live.session_id


@pytest.fixture
def lead(client, world):
    """The HTTP client signed in as the group's facilitator."""
    login_as(client, world.email)
    return client


def summary(client, session_id: int) -> str:
    """The summary page's HTML."""
    response = client.get(f"/sessions/{session_id}/summary")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_summary_shows_who_came(lead, second):
    html = summary(lead, second)
    assert section(html, "attendance").startswith("Attendance: 2 of 3 came")
    assert "Person 1" in section(html, "attendance")
    assert "Did not come: Person 3" in section(html, "attendance")


def test_each_checkin_with_its_change_since_the_one_before(lead, second):
    rows = tables(summary(lead, second))["checkins-table"]
    assert rows[0] == ["Time", "Participant", "Mood (0–10)", "PHQ-9", "Severity", "Note"]
    body = [row[1:] for row in rows[1:]]
    assert body == [
        ["Person 1", "6 (+2)", "10 (-4)", "Moderate", "Slept better this week"],
        ["Person 1", "5 (-1)", "8 (-2)", "Mild", ""],
        ["Person 2 alert", "3 (-3)", "12 (first)", "Moderate", "Asked for support."],
    ]
    assert all(re.fullmatch(r"\d\d:\d\d", row[0]) for row in rows[1:])


def test_first_checkins_say_so(lead, world, second):
    rows = tables(summary(lead, world.session_ids[0]))["checkins-table"]
    assert [row[1:4] for row in rows[1:]] == [["Person 1", "4 (first)", "14 (first)"],
                                             ["Person 2", "6 (first)", "—"]]


def test_alerts_show_how_and_when_they_were_acknowledged(app, lead, second):
    text = section(summary(lead, second), "alerts")
    with app.app_context():
        alert = db.session.query(Alert).one()
        acknowledged = alert.acknowledged_at.strftime("%d %b %Y, %H:%M UTC")
    assert text.startswith("Alerts (1)")
    assert "Person 2: asked for support" in text
    assert f"acknowledged {acknowledged} by Sam Lead: “Phoned, she is safe”" in text


def test_an_open_alert_is_marked_not_acknowledged(app, lead, world):
    live = LiveSession(app, world, 1, present=[0])
    live.check_in(0, 2, 15, item9=1)
    html = summary(lead, live.session_id)
    reason = "PHQ-9 item 9 (thoughts of self-harm) answered above 0"
    assert f"Person 1: {reason}" in section(html, "alerts")
    assert "not acknowledged yet" in section(html, "alerts")


def test_board_and_homework_of_the_session(lead, world, second):
    html = summary(lead, second)
    board = section(html, "board")
    assert "Asking for help · Life changes" in board
    assert ("My sister listened · Grief and loss · on the board · by Person 1 (shown anonymously)"
            in board)
    homework = section(html, "homework")
    assert "Call one friend · for everyone" in homework
    assert "Person 1 (practised 1 time)" in homework and "Called Jo on Sunday" in homework
    assert "Write the letter · for Person 2" in homework and "Started it" in homework
    earlier = summary(lead, world.session_ids[0])
    assert "Call one friend" not in earlier and "No homework was set." in earlier
    assert "No new themes." in earlier and "No new cards." in earlier


def test_summary_is_printable(lead, second):
    html = summary(lead, second)
    assert re.search(r'<link rel="stylesheet" href="/static/css/print.css" media="print">', html)
    with lead.get("/static/css/print.css") as css:
        rules = css.get_data(as_text=True)
    assert re.search(r"\.topbar[^{]*\.report-nav[^{]*\{\s*display: none", rules)
    assert "Confidential" in html


def test_a_session_not_started_yet(lead, world):
    html = summary(lead, world.session_ids[3])
    assert "This session has not started." in html
    assert "Did not come" not in html
    assert "No check-ins." in html


@pytest.mark.parametrize("who", ["signed out", "other facilitator", "participant"])
def test_only_the_groups_facilitators_read_a_summary(app, client, world, who):
    url = f"/sessions/{world.session_id}/summary"
    if who == "other facilitator":
        login_as(client, make_group(app, name="Other").email)
    elif who == "participant":
        client.get(world.join_paths[0])
    expected = 302 if who == "signed out" else 403
    assert client.get(url).status_code == expected


def test_an_unknown_session_is_not_found(lead):
    assert lead.get("/sessions/999/summary").status_code == 404


def test_a_card_taken_down_says_so_in_words(app, lead, world, second):
    with app.app_context():
        card = db.session.scalar(select(Card).where(Card.text == "My sister listened"))
        card.status = "taken_down"
        db.session.commit()
    board = section(summary(lead, second), "board")
    assert "My sister listened · Grief and loss · taken down · by Person 1" in board
    assert "taken_down" not in board
