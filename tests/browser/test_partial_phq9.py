"""Nothing dropped: a partly answered questionnaire reaches the facilitator, on a real phone page.

A participant who answers only question 9, or six of nine, sends what they answered; the
console shows the alert with item 9's grade within a second, the participant sees the
urgent help, and the answers are in the database. Whether a participant sees their own
score is the group's choice (``show_own_score``, off by default).
"""

import json
import time

import pytest
from playwright.sync_api import expect
from sqlalchemy import create_engine, text

pytestmark = [pytest.mark.browser, pytest.mark.server]

URGENT = "local emergency number"  # in the demo group's urgent-help text (facilitator.demo)
REPLY = "We will talk with you privately at the end of today's group."


def start_session(console) -> None:
    """Start the session from the console."""
    console.get_by_role("button", name="Start the session").click()
    expect(console.locator("#session-status")).to_have_text("Live")


def answer(page, answers: dict[int, int]) -> None:
    """Answer PHQ-9 questions ``{number: value}`` on a participant's page, no others."""
    for number, value in answers.items():
        page.locator(f"input[name='phq{number}'][value='{value}']").check(force=True)


def send(page, mood: int) -> float:
    """Choose a mood and send the check-in; return when it was sent (monotonic seconds)."""
    page.locator(f"input[name='mood'][value='{mood}']").check(force=True)
    page.get_by_role("button", name="Send my check-in").click()
    return time.monotonic()


def database(server):
    """An engine on the server's own database."""
    return create_engine(server.env["DATABASE_URL"])


def stored_phq9(server, participant_id: int) -> list:
    """The PHQ-9 lists the participant's check-ins stored, oldest first."""
    engine = database(server)
    try:
        with engine.connect() as conn:
            found = conn.execute(text(
                "SELECT phq9, phq9_total FROM checkins WHERE participant_id = :p ORDER BY id"),
                {"p": participant_id}).all()
    finally:
        engine.dispose()
    return [(row.phq9 if isinstance(row.phq9, list) else json.loads(row.phq9), row.phq9_total)
            for row in found]


def set_group(server, group_id: int, **values) -> None:
    """Change the group's settings as its facilitators would (show_own_score, support_reply)."""
    engine = database(server)
    try:
        with engine.begin() as conn:
            for column, value in values.items():
                conn.execute(text(f"UPDATE groups SET {column} = :v WHERE id = :g"),  # noqa: S608
                             {"v": value, "g": group_id})
    finally:
        engine.dispose()


def alert_within_a_second(console, sent_at: float, grade: str):
    """The console's alert entry, with item 9's grade, visible within a second of sending."""
    entry = console.locator(".alert-entry.reason-phq9_item9")
    expect(entry).to_contain_text(grade, timeout=1000)
    assert time.monotonic() - sent_at < 1.0
    return entry


@pytest.mark.parametrize(("answers", "grade", "line"), [
    ({9: 3}, "nearly every day", "Sent (1 of 9 questions answered)"),
    ({1: 2, 2: 1, 4: 3, 6: 0, 8: 1, 9: 2}, "more than half the days",
     "Sent (6 of 9 questions answered)"),
])
def test_an_unfinished_questionnaire_with_item9_reaches_the_console_at_once(
        people, server, group, answers, grade, line):
    console = people.facilitator()
    phone, other = people.participant(0), people.participant(1)
    start_session(console)
    expect(phone.locator("#phq9-sent-note")).to_contain_text(
        "Whatever you answer is sent to the facilitator")
    answer(phone, answers)
    expect(phone.locator("#phq9-progress")).to_contain_text(
        f"You have answered {len(answers)} of the 9 questions")
    expect(phone.locator("#phq9-progress")).to_contain_text("will be sent to the facilitator")

    entry = alert_within_a_second(console, send(phone, 4), grade)
    expect(entry).to_contain_text(people.name(0))
    expect(entry).to_contain_text(f"Answer to item 9: {grade}")
    row = console.locator("#checkin-rows tr.flagged")
    expect(row).to_contain_text(f"no total ({len(answers)} of 9 answered)")
    expect(row).to_contain_text(f"item 9: {grade}")

    expect(phone.locator("#support")).to_be_visible()
    expect(phone.locator("#support-text")).to_contain_text(URGENT)
    expect(phone.locator("#support-reply-box")).to_be_hidden()
    expect(phone.locator("#checkin-summary")).to_contain_text(line)
    phone.get_by_text("The questionnaire answers you sent").click()
    sent = phone.locator("#checkin-sent-list li")
    expect(sent).to_have_count(len(answers))
    expect(sent.last).to_contain_text("Thoughts that you would be better off dead")
    expect(sent.last).to_contain_text(grade.capitalize())
    expect(other.locator("#support")).to_be_hidden()
    expect(other.locator("body")).not_to_contain_text("item 9")

    expected = [answers.get(n) for n in range(1, 10)]
    assert stored_phq9(server, group["participants"][0]["participant_id"]) == [(expected, None)]


def test_a_support_request_shows_urgent_help_and_the_groups_reply_again_after_a_reload(
        people, server, group):
    set_group(server, group["group_id"], support_reply=REPLY)
    console = people.facilitator()
    phone = people.participant(0)
    start_session(console)
    answer(phone, {9: 1})
    phone.get_by_label("I would like support").check()
    alert_within_a_second(console, send(phone, 3), "several days")
    for _ in range(2):  # as sent, then after a reload from the snapshot
        support = phone.locator("#support")
        expect(support).to_be_visible()
        expect(support).to_contain_text("The facilitator has been told")
        expect(phone.locator("#support-text")).to_contain_text(URGENT)
        expect(phone.locator("#support-reply-box")).to_contain_text("What happens next")
        expect(phone.locator("#support-reply")).to_have_text(REPLY)
        phone.reload()
        expect(phone.locator("#connection")).to_have_text("Connected")


def test_the_own_score_is_shown_only_when_the_group_chooses_to(people, server, group):
    console = people.facilitator()
    phone = people.participant(0)
    start_session(console)
    answer(phone, dict.fromkeys(range(1, 9), 1) | {9: 0})
    send(phone, 6)
    summary = phone.locator("#checkin-summary")
    expect(summary).to_contain_text("Sent (all 9 questions answered)")
    for word in ("out of 27", "mild", "minimal"):
        expect(summary).not_to_contain_text(word)
    expect(phone.locator("#checkin-result")).not_to_contain_text("mild")
    expect(console.locator("#checkin-rows tr")).to_contain_text("mild")

    set_group(server, group["group_id"], show_own_score=True)
    phone.reload()
    expect(phone.locator("#connection")).to_have_text("Connected")
    expect(summary).to_contain_text("8 out of 27: mild")
    again = people.participant(1)
    answer(again, dict.fromkeys(range(1, 10), 0))
    send(again, 7)
    expect(again.locator("#checkin-summary")).to_contain_text("0 out of 27: minimal")
