"""Help in reach and who sees what, on a phone in Chromium."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.server]

URGENT = "call your local emergency number"  # in the demo group's urgent-help text


def open_help(page):
    """Tap "Get help now" and return the dialog."""
    page.get_by_role("link", name="Get help now").click()
    dialog = page.get_by_role("dialog", name="Help, right now")
    expect(dialog).to_be_visible()
    return dialog


def test_first_visit_shows_who_sees_what_then_the_live_page_and_never_again(people, server,
                                                                            group):
    person = group["participants"][0]
    phone = people._page(PHONE, person["display_name"])
    phone.goto(server.base_url + person["join_path"])
    expect(phone.get_by_role("heading", name="Who sees what")).to_be_visible()
    expect(phone.get_by_text("seen by your group's facilitators only")).to_be_visible()
    expect(phone.get_by_text("question 9 of the questionnaire")).to_be_visible()
    expect(phone.get_by_text("Your facilitators always know who wrote a card")).to_be_visible()
    expect(phone.get_by_text("read at the next session, not straight away")).to_be_visible()
    expect(phone.get_by_role("link", name="Get help now")).to_be_visible()
    phone.get_by_role("button", name="I understand").click()
    expect(phone).to_have_url(re.compile(rf"/sessions/{group['session_id']}/live$"))
    expect(phone.locator("#connection")).to_have_text("Connected")

    phone.goto(server.base_url + person["join_path"])
    expect(phone.locator("#connection")).to_have_text("Connected")
    expect(phone.get_by_role("button", name="I understand")).to_have_count(0)

    phone.get_by_role("link", name="Who sees what").click()
    expect(phone.get_by_text("seen by your group's facilitators only")).to_be_visible()
    phone.get_by_role("link", name="Back to my page").click()
    expect(phone.locator("#connection")).to_have_text("Connected")


def test_get_help_now_with_no_session_live_and_no_checkin(people):
    phone = people.participant(0)
    expect(phone.locator("#session-status")).to_have_text("The session will start soon")
    expect(phone.locator("#checkin-result")).to_be_hidden()
    button = phone.get_by_role("link", name="Get help now")
    box = button.bounding_box()
    assert box["height"] >= 44 and box["y"] < 200, box  # a large target near the top
    dialog = open_help(phone)
    expect(dialog.get_by_text(URGENT)).to_be_visible()
    expect(dialog.get_by_role("heading", name="Asking your facilitators for support")) \
        .to_be_visible()
    expect(dialog).not_to_contain_text("For facilitators")
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_be_hidden()
    expect(button).to_be_focused()

    phone.keyboard.press("Enter")  # the focus is back on the button: the keyboard reopens it
    expect(dialog).to_be_visible()
    phone.keyboard.press("Escape")
    expect(dialog).to_be_hidden()


def test_get_help_now_works_with_the_socket_down(people):
    phone = people.participant(0)
    people.offline.add(people.name(0))
    people.last_context.set_offline(True)
    expect(phone.locator("#connection")).to_have_text(
        "Reconnecting… what you wrote is kept and will be sent")
    dialog = open_help(phone)
    expect(dialog.get_by_text(URGENT)).to_be_visible()
    people.last_context.set_offline(False)


def test_get_help_now_without_script_opens_the_help_page(browser, server, group):
    person = group["participants"][1]
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    try:
        phone = context.new_page()
        phone.goto(server.base_url + person["join_path"])
        phone.get_by_role("button", name="I understand").click()
        expect(phone.locator("#live")).to_be_attached()
        phone.get_by_role("link", name="Get help now").click()
        expect(phone.get_by_role("heading", name="Help, right now")).to_be_visible()
        expect(phone.get_by_text(URGENT)).to_be_visible()
        phone.get_by_role("link", name="Back", exact=True).click()
        expect(phone.locator("#live")).to_be_attached()
    finally:
        context.close()


def test_the_facilitator_edits_the_help_text_and_the_phone_shows_it(people):
    group_page = people.facilitator()
    group_page.goto(group_page.url.split("/sessions/")[0] + f"/groups/{people.group['group_id']}")
    group_page.get_by_role("link", name="Edit help texts and safety").click()
    field = group_page.get_by_label("Urgent help: crisis lines and the emergency number")
    field.fill("Emergency: 112.\nSamaritans-like line: 0000 test number, all day.")
    group_page.get_by_role("button", name="Save").click()
    expect(group_page.get_by_text("Saved.")).to_be_visible()
    phone = people.participant(0)
    dialog = open_help(phone)
    expect(dialog.get_by_text("Emergency: 112.")).to_be_visible()
