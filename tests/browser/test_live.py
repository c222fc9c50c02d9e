"""A live session as its people see it: facilitator console and participants' phones."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.server]

XSS = "<img src=x onerror=alert(1)><b>bold</b>"


def start_session(console) -> None:
    """Start the session from the console."""
    console.get_by_role("button", name="Start the session").click()
    expect(console.locator("#session-status")).to_have_text("Live")


def activate(console, title: str) -> None:
    """Make an agenda item current from the console."""
    console.get_by_role("button", name=f"Activate {title}", exact=True).click()
    expect(console.locator("#agenda .current")).to_contain_text(title)


def answer_phq9(page, answers: list[int]) -> None:
    """Answer PHQ-9 questions 1..len(answers) on a participant's page."""
    for number, value in enumerate(answers, start=1):
        page.locator(f"input[name='phq{number}'][value='{value}']").check(force=True)


def choose_mood(page, mood: int) -> None:
    page.locator(f"input[name='mood'][value='{mood}']").check(force=True)


def post_card(page, text: str, area: str = "Grief and loss") -> None:
    """Write and post a card from a participant's board form."""
    page.get_by_label("Your card").fill(text)
    page.get_by_label("Which part of life is it about?").select_option(label=area)
    page.get_by_role("button", name="Post my card").click()


def pending_card(console, text: str):
    return console.locator("#pending .pending-card").filter(has_text=text)


def test_activated_agenda_item_appears_without_reload(people):
    console = people.facilitator()
    phone = people.participant(0)
    expect(phone.locator("#session-status")).to_have_text("The session will start soon")
    phone.evaluate("window.stillTheSamePage = true")

    start_session(console)
    activate(console, "Check-in")

    expect(phone.locator("#session-status")).to_have_text("The session is on now")
    expect(phone.locator("#now-title")).to_have_text("Check-in")
    expect(phone.locator("#agenda .current")).to_contain_text("Check-in")
    assert phone.evaluate("window.stillTheSamePage") is True


def test_risky_checkin_alerts_the_console_and_shows_support_privately(people):
    console = people.facilitator()
    amina, ben = people.participant(0), people.participant(1)
    start_session(console)

    choose_mood(amina, 3)
    answer_phq9(amina, [1, 2, 1, 1, 0, 1, 0, 0, 1])
    amina.get_by_label("Anything you would like the facilitator to know?").fill(
        "Private words for the facilitator")
    amina.get_by_role("button", name="Send my check-in").click()

    alert = console.locator(".alert-entry")
    expect(alert).to_have_count(1, timeout=5000)
    expect(alert).to_contain_text(people.name(0))
    expect(alert).to_contain_text("PHQ-9 item 9 (thoughts of self-harm) answered above 0")
    expect(console).to_have_title(re.compile(r"^\(1\) Alert"))
    row = console.locator("#checkin-rows tr.flagged")
    expect(row).to_contain_text("Private words for the facilitator")
    expect(row).to_contain_text("7")

    expect(amina.locator("#support")).to_be_visible()
    expect(amina.locator("#support")).to_contain_text("local emergency number")
    # The group does not show participants their own score (the default): no number, no word.
    expect(amina.locator("#checkin-summary")).to_contain_text("Sent (all 9 questions answered)")
    expect(amina.locator("#checkin-summary")).not_to_contain_text("out of 27")

    expect(ben.locator("#checkin-result")).to_be_hidden()
    expect(ben.locator("#support")).to_be_hidden()
    expect(ben.locator(".alert-entry")).to_have_count(0)
    expect(ben.locator("body")).not_to_contain_text("Private words")
    expect(ben.locator("body")).not_to_contain_text("item 9")

    alert.get_by_label("Note (optional)").fill("Called her after the group")
    alert.get_by_role("button", name="Acknowledge").click()
    expect(console.locator(".alert-entry")).to_have_count(0)
    expect(console.locator("#alerts-none")).to_be_visible()


def test_half_filled_checkin_survives_a_new_agenda_item_and_a_reload(people):
    console = people.facilitator()
    phone = people.participant(0)
    start_session(console)
    activate(console, "Welcome")
    expect(phone.locator("#now-title")).to_have_text("Welcome")

    choose_mood(phone, 6)
    answer_phq9(phone, [2, 1])
    note = phone.get_by_label("Anything you would like the facilitator to know?")
    note.fill("Half way through my thoughts")
    expect(phone.locator("#phq9-progress")).to_contain_text("2 of the 9 questions")

    activate(console, "Check-in")
    expect(phone.locator("#now-title")).to_have_text("Check-in")
    expect(phone.locator("input[name='mood'][value='6']")).to_be_checked()
    expect(phone.locator("input[name='phq1'][value='2']")).to_be_checked()
    expect(phone.locator("input[name='phq2'][value='1']")).to_be_checked()
    expect(note).to_have_value("Half way through my thoughts")

    phone.reload()
    expect(phone.locator("#connection")).to_have_text("Connected")
    expect(phone.locator("input[name='mood'][value='6']")).to_be_checked()
    expect(phone.locator("input[name='phq2'][value='1']")).to_be_checked()
    expect(note).to_have_value("Half way through my thoughts")


def test_pushed_prompt_highlights_only_the_cast_persons_role(people):
    console = people.facilitator()
    amina, ben = people.participant(0), people.participant(1)
    start_session(console)

    console.get_by_label("Start from a scenario").select_option(
        label="Asking for one small change")
    rows = console.locator("#cast-rows .cast-row")
    expect(rows).to_have_count(2)
    expect(rows.nth(1).locator("input")).to_have_value("the person you disagree with")
    rows.nth(0).locator("select").select_option(label=people.name(2))
    rows.nth(1).locator("select").select_option(label=people.name(0))
    console.get_by_role("button", name="Show to the group").click()
    expect(console.locator("#current-prompt")).to_contain_text("the person you disagree with")

    expect(amina.locator("#prompt-text")).to_contain_text("ask for one small change")
    expect(amina.locator("#prompt-my-role")).to_have_text(
        "Your role: the person you disagree with")
    expect(amina.locator("#prompt-cast li.mine")).to_contain_text("the person you disagree")
    expect(amina.locator("#prompt-scene")).to_be_hidden()  # a practice scene: no one's own

    expect(ben.locator("#prompt-text")).to_contain_text("ask for one small change")
    expect(ben.locator("#prompt-my-role")).to_be_hidden()
    expect(ben.locator("#prompt-no-role")).to_be_visible()
    expect(ben.locator("#prompt-cast li.mine")).to_have_count(0)

    console.get_by_role("button", name="Take the prompt down").click()
    expect(amina.locator("#prompt")).to_be_hidden()


def test_cards_reach_the_group_only_after_approval(people):
    console = people.facilitator()
    amina, ben = people.participant(0), people.participant(1)
    start_session(console)

    post_card(amina, "I miss our Sunday walks")
    queued = pending_card(console, "I miss our Sunday walks")
    expect(queued).to_have_count(1)
    expect(queued).to_contain_text(people.name(0))
    expect(amina.locator("#my-cards")).to_contain_text("waiting for approval")
    expect(ben.locator("#board-areas")).not_to_contain_text("Sunday walks")

    queued.get_by_role("button", name="Approve").click()
    card = ben.locator("#board-areas .board-card").filter(has_text="I miss our Sunday walks")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("Anonymous")
    expect(card).to_contain_text("from session 1")
    expect(card).not_to_contain_text(people.name(0))
    expect(ben.locator("#board-areas")).to_contain_text("Not yet in a theme")
    expect(amina.locator("#my-cards-box")).to_be_hidden()

    post_card(amina, "Words that stay private")
    rejected = pending_card(console, "Words that stay private")
    expect(rejected).to_have_count(1)
    rejected.get_by_role("button", name="Reject").click()
    expect(amina.locator("#card-notice")).to_contain_text("was not added to the board")
    expect(console.locator("#pending .pending-card")).to_have_count(0)
    expect(ben.locator("body")).not_to_contain_text("Words that stay private")


def test_a_theme_made_on_the_console_gathers_approved_cards(people):
    console = people.facilitator()
    amina, ben = people.participant(0), people.participant(1)
    start_session(console)

    console.get_by_label("Title").fill("Missing the old routine")
    console.locator("#theme-area").select_option(label="Life changes")
    console.get_by_role("button", name="Add theme").click()
    expect(ben.locator("#board-areas .theme-title")).to_have_text(["Missing the old routine"])

    post_card(amina, "Mornings feel empty since I retired", area="Life changes")
    queued = pending_card(console, "Mornings feel empty")
    queued.get_by_label("Theme").select_option(label="Missing the old routine")
    queued.get_by_role("button", name="Approve").click()
    theme = ben.locator("#board-areas .theme").filter(has_text="Missing the old routine")
    expect(theme.locator(".board-card")).to_contain_text("Mornings feel empty since I retired")
    expect(console.locator("#theme-title")).to_have_value("")
    expect(console.locator("#board-areas .theme-title")).to_have_count(1)


def test_a_participant_enrolled_on_the_group_page_appears_on_the_console(people):
    console = people.facilitator()
    amina = people.participant(0)
    group_page = console.context.new_page()
    group_page.goto(console.url.replace(f"/sessions/{people.session_id}/console", "/"))
    group_page.get_by_role("link", name=re.compile("Tuesday group")).click()
    group_page.get_by_label("Display name").fill("Zola")
    group_page.get_by_role("button", name="Add participant").click()
    expect(group_page.get_by_text("Zola added")).to_be_visible()
    expect(console.locator("#presence")).to_contain_text(people.name(0))
    expect(console.locator("#presence")).not_to_contain_text("Zola")  # still to meet

    group_page.get_by_role("button", name="Enrol: meeting recorded elsewhere (Zola)").click()
    expect(group_page.get_by_text("Zola is enrolled")).to_be_visible()
    expect(console.locator("#presence")).to_contain_text("Zola")
    expect(console.locator("#homework-who option", has_text="Zola")).to_have_count(1)
    expect(amina.locator("body")).to_contain_text("Zola")


def test_card_markup_is_shown_as_text(people, server):
    console = people.facilitator()
    amina, ben = people.participant(0), people.participant(1)
    start_session(console)

    post_card(amina, XSS, area="Loneliness and connection")
    queued = pending_card(console, "bold")
    expect(queued).to_have_count(1)
    queued.get_by_role("button", name="Approve").click()

    text = ben.locator("#board-areas .board-card .card-text")
    expect(text).to_have_text(XSS)
    expect(ben.locator("#board-areas img")).to_have_count(0)
    expect(ben.locator("#board-areas b")).to_have_count(0)

    projector = people.facilitator(f"/sessions/{people.session_id}/board")
    expect(projector.locator(".board-card .card-text")).to_have_text(XSS)
    expect(projector.locator(".board-card")).to_contain_text("Anonymous")
    expect(projector.locator("#board-areas img")).to_have_count(0)


def test_homework_reaches_the_participant_and_the_reflection_the_console(people):
    console = people.facilitator()
    amina = people.participant(0)

    console.get_by_label("What to practise").fill("Call one friend twice this week")
    console.get_by_role("button", name="Give homework").click()
    expect(console.locator("#homework-done")).to_have_text("Homework given to everyone.")

    item = amina.locator("#homework-list .homework-item")
    expect(item).to_contain_text("Call one friend twice this week")
    item.get_by_label("How did it go? Your reflection").fill("I called Dara on Tuesday")
    item.get_by_label("How many times did you practise?").fill("2")
    item.get_by_role("button", name="Send my reflection").click()
    expect(item.locator(".reflection-view")).to_contain_text("I called Dara on Tuesday")

    review = console.locator("#review .review-person").filter(has_text=people.name(0))
    expect(review).to_contain_text("I called Dara on Tuesday")
    expect(review).to_contain_text("Practised 2 times")


def test_checkin_written_offline_is_sent_when_the_connection_returns(people):
    console = people.facilitator()
    phone = people.participant(0)
    network = people.last_context
    start_session(console)
    expect(phone.locator("#session-status")).to_have_text("The session is on now")

    people.offline.add(people.name(0))
    network.set_offline(True)
    expect(phone.locator("#connection")).to_have_text(
        "Reconnecting… what you wrote is kept and will be sent")
    choose_mood(phone, 8)
    phone.get_by_label("Anything you would like the facilitator to know?").fill("On the bus")
    phone.get_by_role("button", name="Send my check-in").click()
    expect(phone.locator("#checkin-pending")).to_be_visible()
    stored = phone.evaluate("JSON.stringify(Object.values(sessionStorage))")
    assert "On the bus" in stored

    network.set_offline(False)
    expect(phone.locator("#connection")).to_have_text("Connected", timeout=15000)
    expect(phone.locator("#checkin-summary")).to_contain_text("8 out of 10")
    expect(console.locator("#checkin-rows tr")).to_have_count(1)
    expect(console.locator("#checkin-rows")).to_contain_text("On the bus")


def test_checkin_whose_answer_was_lost_is_resent_after_reload_and_stored_once(people):
    console = people.facilitator()
    lose_answers = {"on": True}

    def relay(ws):
        server = ws.connect_to_server()

        def to_page(message):
            if lose_answers["on"] and "checkin_id" in str(message):
                return  # the server stored it, but its answer never reaches the phone
            ws.send(message)

        server.on_message(to_page)

    phone = people.participant(
        0, prepare=lambda page: page.route_web_socket(re.compile(r"/socket\.io/"), relay))
    start_session(console)
    expect(phone.locator("#session-status")).to_have_text("The session is on now")
    choose_mood(phone, 2)
    answer_phq9(phone, [0, 1, 0, 1, 0, 1, 0, 1, 0])
    phone.get_by_role("button", name="Send my check-in").click()
    expect(console.locator("#checkin-rows tr")).to_have_count(1)
    expect(phone.locator("#checkin-pending")).to_be_visible()

    lose_answers["on"] = False
    phone.reload()
    expect(phone.locator("#checkin-summary")).to_contain_text("Sent (all 9 questions answered)")
    expect(phone.locator("#checkin-pending")).to_be_hidden()
    expect(console.locator("#checkin-rows tr")).to_have_count(1)
