"""The risk protocol in Chromium: a phone's item-9 answer, the console's alert, the record, the
follow-up, and the opt-in desktop notification that names only the group."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.server]

# Wraps window.Notification to record what a notification would say (title and body).
RECORD_NOTIFICATIONS = """
window.__notes = [];
const Real = window.Notification;
function Recording(title, options) {
  window.__notes.push({ title, body: (options || {}).body || '' });
  try { return new Real(title, options); } catch (error) { return new EventTarget(); }
}
Object.defineProperty(Recording, 'permission', { get: () => Real.permission });
Recording.requestPermission = (...args) => Real.requestPermission(...args);
window.Notification = Recording;
"""


def start_session(console) -> None:
    """Start the session from the console."""
    console.get_by_role("button", name="Start the session").click()
    expect(console.locator("#session-status")).to_have_text("Live")


def send_checkin_with_item9(phone, grade: str = "Nearly every day") -> None:
    """Choose a mood, answer the nine questions (item 9 with ``grade``) and send."""
    phone.locator("label.mood-option").filter(has_text=re.compile(r"^3$")).click()
    items = phone.locator("fieldset.phq9-item")
    for n in range(8):
        items.nth(n).locator("label.choice").filter(has_text="Not at all").click()
    items.nth(8).locator("label.choice").filter(has_text=grade).click()
    phone.get_by_role("button", name="Send my check-in").click()
    expect(phone.locator("#support")).to_be_visible()


def answer(form, question: str, option: str) -> None:
    """Choose ``option`` in the record form's fieldset whose legend is ``question``."""
    form.locator("fieldset").filter(has_text=question).get_by_label(option, exact=True).check()


def test_an_alert_is_recorded_and_stays_open_until_its_follow_up_is_done(people):
    console = people.facilitator()
    phone = people.participant(0)
    start_session(console)
    send_checkin_with_item9(phone)

    alert = console.locator(".alert-entry")
    expect(alert).to_contain_text(people.name(0))
    alert.get_by_role("button", name="Acknowledge").click()
    expect(console.locator(".alert-entry")).to_have_count(0)

    follow_up = console.locator("#follow-up-list .follow-up")
    expect(follow_up).to_have_count(1)
    expect(follow_up).to_contain_text(people.name(0))
    expect(follow_up).to_contain_text("nearly every day")
    expect(follow_up).to_contain_text("Risk record to fill in")
    form = follow_up.locator("form.risk-record-form")
    expect(form).to_be_visible()  # acknowledging opened the record

    answer(form, "ask the person directly", "Yes")
    answer(form, "Thoughts of suicide", "Passive: wishing to be dead, without intent")
    answer(form, "a plan", "No")
    answer(form, "access to the means", "No")
    answer(form, "attempt in the past", "No")
    form.get_by_label("Protective factors").fill("Her sister visits daily")
    form.get_by_label("Safety plan made").check()
    form.get_by_label("Supervisor or clinical lead told").check()
    form.get_by_label("Follow-up due").fill("2099-03-04T10:30")
    form.get_by_role("button", name="Save the record").click()
    expect(form.locator(".form-error")).to_have_text("Risk level: choose low, medium or high.")
    expect(follow_up).to_contain_text("Risk record to fill in")  # nothing was saved

    answer(form, "Risk level", "Medium")
    form.get_by_role("button", name="Save the record").click()
    expect(form).to_be_hidden()
    expect(follow_up.locator(".follow-up-status")).to_contain_text("Follow-up due")
    expect(follow_up.locator(".follow-up-summary")).to_contain_text("Risk level: Medium")

    console.reload()
    expect(console.locator("#connection")).to_have_text("Connected")
    follow_up = console.locator("#follow-up-list .follow-up")
    expect(follow_up).to_have_count(1)  # still open: the follow-up is not done
    expect(console.locator("#presence")).to_contain_text("An alert in this course")
    expect(console.locator("#presence")).to_contain_text("last item 9: nearly every day")

    done = follow_up.locator("form.follow-up-form")
    done.get_by_role("button", name="The follow-up is done").click()
    expect(done.locator(".form-error")).to_contain_text("Outcome of the follow-up:")
    done.get_by_label("Outcome of the follow-up").fill("Called her; she met her GP")
    done.get_by_role("button", name="The follow-up is done").click()
    expect(follow_up).to_have_count(0)
    expect(console.locator("#follow-ups-none")).to_be_visible()
    expect(phone.locator("body")).not_to_contain_text("follow-up")


def test_a_new_alert_notifies_the_desktop_without_naming_anyone(people):
    console = people.facilitator()
    context = people.last_context
    context.grant_permissions(["notifications"], origin=people.server.base_url)
    context.add_init_script(RECORD_NOTIFICATIONS)
    console.reload()
    expect(console.locator("#connection")).to_have_text("Connected")
    group_name = console.locator(".eyebrow a").inner_text()
    console.get_by_role("button", name="Notify me of new alerts on this computer").click()
    expect(console.locator("#notify-status")).to_have_text(
        "A new alert will show a notification on this computer.")
    phone = people.participant(1)
    start_session(console)
    send_checkin_with_item9(phone, "Several days")
    expect(console.locator(".alert-entry")).to_have_count(1)
    expect(console).to_have_title(re.compile(r"^\(1\) Alert"))  # the tab title still works
    console.wait_for_function("window.__notes.length === 1")
    note = console.evaluate("window.__notes[0]")
    assert note["title"] == f"{group_name}: a new alert"
    said = note["title"] + " " + note["body"]
    for person in people.group["participants"]:
        assert person["display_name"] not in said
    for health in ("item 9", "several days", "support", "PHQ"):
        assert health.lower() not in said.lower()


def test_without_the_opt_in_no_notification_is_shown(people):
    console = people.facilitator()
    context = people.last_context
    context.grant_permissions(["notifications"], origin=people.server.base_url)
    context.add_init_script(RECORD_NOTIFICATIONS)
    console.reload()
    expect(console.locator("#connection")).to_have_text("Connected")
    start_session(console)
    send_checkin_with_item9(people.participant(2))
    expect(console.locator(".alert-entry")).to_have_count(1)
    assert console.evaluate("window.__notes.length") == 0
