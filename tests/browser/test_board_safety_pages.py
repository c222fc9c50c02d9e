"""Board safety as people see it: a card taken down and put back, a card withdrawn from a
phone, and a console in presenter mode that shows nothing private on a shared screen."""

import pytest
from playwright.sync_api import expect

from browser.test_live import answer_phq9, choose_mood, pending_card, post_card, start_session

pytestmark = [pytest.mark.browser, pytest.mark.server]


def board_card(page, text: str):
    """A card on a page's board."""
    return page.locator("#board-areas .board-card").filter(has_text=text)


def approve(console, text: str) -> None:
    """Approve a waiting card from the console."""
    queued = pending_card(console, text)
    expect(queued).to_have_count(1)
    queued.get_by_role("button", name="Approve").click()
    expect(board_card(console, text)).to_have_count(1)


def test_a_card_taken_down_put_back_and_withdrawn(people):
    console = people.facilitator()
    amina, ben = people.participant(0), people.participant(1)
    projector = people.facilitator(f"/sessions/{people.session_id}/board")
    start_session(console)
    post_card(amina, "I miss our Sunday walks")
    approve(console, "Sunday walks")
    for page in (ben, projector, amina):
        expect(board_card(page, "Sunday walks")).to_have_count(1)
    expect(board_card(ben, "Sunday walks").get_by_role("button")).to_have_count(0)

    board_card(console, "Sunday walks").get_by_role("button", name="Take down").click()
    for page in (ben, projector, amina):
        expect(board_card(page, "Sunday walks")).to_have_count(0)
    removed = console.locator("#removed-cards .removed-card").filter(has_text="Sunday walks")
    expect(removed).to_contain_text("Taken down")
    expect(removed).to_contain_text(people.name(0))
    removed.get_by_role("button", name="Put back").click()
    for page in (ben, projector):
        expect(board_card(page, "Sunday walks")).to_have_count(1)
        expect(board_card(page, "Sunday walks")).not_to_contain_text(people.name(0))
    expect(console.locator("#removed-box")).to_be_hidden()

    mine = board_card(amina, "Sunday walks")
    mine.get_by_role("button", name="Withdraw").click()
    expect(mine).to_contain_text("Nobody in the group will see it any more")
    mine.get_by_role("button", name="Yes, withdraw it").click()
    expect(amina.locator("#card-notice")).to_contain_text("Your card is withdrawn")
    for page in (ben, projector, amina, console):
        expect(board_card(page, "Sunday walks")).to_have_count(0)
    expect(console.locator("#removed-cards")).to_contain_text("Withdrawn by its author")


def test_a_waiting_card_withdrawn_leaves_the_queue(people):
    console = people.facilitator()
    amina = people.participant(0)
    start_session(console)
    post_card(amina, "Second thoughts about this")
    expect(pending_card(console, "Second thoughts")).to_have_count(1)
    waiting = amina.locator("#my-cards .my-card").filter(has_text="Second thoughts")
    waiting.get_by_role("button", name="Withdraw").click()
    waiting.get_by_role("button", name="Yes, withdraw it").click()
    expect(amina.locator("#my-cards-box")).to_be_hidden()
    expect(pending_card(console, "Second thoughts")).to_have_count(0)
    expect(console.locator("#pending-empty")).to_be_visible()


PRIVATE_WORDS = ["A private worry about my sister", "item 9", "self-harm", "Asked for support",
                 "nearly every day", "Nearly every day", "Anonymous to the group ("]


def shared_screen_text(console) -> str:
    """The console's visible text, leaving out the group's roster (names everyone in the
    group sees on their own page: who is here, and the pickers of the role-play form)."""
    return console.evaluate("""() => {
        const roster = [document.querySelector('#people-card'),
                        ...document.querySelectorAll('select')];
        for (const node of roster) node.hidden = true;
        const text = document.body.innerText;
        for (const node of roster) node.hidden = false;
        return text;
    }""")


def assert_nothing_private(console, people) -> None:
    """No note, no alert, no name of an anonymous author on the shared screen."""
    expect(console.locator("#presenter-banner")).to_contain_text("Presenter mode is on")
    expect(console.locator(".alert-entry")).to_have_count(0)
    expect(console.locator("#checkin-rows tr")).to_have_count(0)
    expect(board_card(console, "Sunday walks")).to_contain_text("Anonymous")
    text = shared_screen_text(console)
    for words in PRIVATE_WORDS:
        assert words not in text, f"{words!r} is on the shared screen"
    assert people.name(0) not in text, "the anonymous card's author is named"
    # The page's vocabulary (the ``#words`` data block: alert reasons, item-9 grades …) is
    # the same on every page and names nobody; everything else must hold no one's data.
    vocabulary = console.locator("#words").evaluate("node => node.outerHTML")
    everything = console.content().replace(vocabulary, "")
    for words in PRIVATE_WORDS[:2] + [f"({people.name(0)})"]:
        assert words not in everything, f"{words!r} is in the page, even hidden"


def test_presenter_mode_shows_nothing_private(people):
    console = people.facilitator()
    amina, ben = people.participant(0), people.participant(1)
    start_session(console)
    post_card(amina, "I miss our Sunday walks")
    approve(console, "Sunday walks")
    expect(board_card(console, "Sunday walks")).to_contain_text(people.name(0))

    console.get_by_role("button", name="Presenter mode: off").click()
    expect(console.locator("#presenter-banner")).to_be_visible()
    expect(console.locator("#alerts")).to_be_hidden()
    choose_mood(ben, 2)
    answer_phq9(ben, [1, 1, 1, 1, 1, 1, 1, 1, 3])
    ben.get_by_label("Anything you would like the facilitator to know?").fill(
        "A private worry about my sister")
    ben.get_by_role("button", name="Send my check-in").click()
    expect(ben.locator("#support")).to_be_visible()
    expect(console.locator("#presenter-banner")).to_contain_text("An alert is waiting")
    assert_nothing_private(console, people)

    console.reload()  # a reload of the shared screen stays in presenter mode
    expect(console.locator("#connection")).to_have_text("Connected")
    expect(console.locator("#presenter-banner")).to_contain_text("An alert is waiting")
    assert_nothing_private(console, people)

    console.get_by_role("button", name="Turn presenter mode off").click()
    expect(console.locator("#presenter-banner")).to_be_hidden()
    expect(console.locator(".alert-entry")).to_have_count(1)
    expect(console.locator(".alert-entry")).to_contain_text(people.name(1))
    expect(console.locator("#checkin-rows")).to_contain_text("A private worry about my sister")
    expect(board_card(console, "Sunday walks")).to_contain_text(people.name(0))
