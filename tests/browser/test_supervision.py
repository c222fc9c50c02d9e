"""Supervision in Chromium: the lead adds a supervisor, who watches the live console read only,
writes a supervision note with an action, and the lead closes the action."""

import pytest
from playwright.sync_api import expect

from .conftest import LAPTOP

pytestmark = [pytest.mark.browser, pytest.mark.server]

SUPERVISOR = {"name": "Ana Supervisor", "password": "correct horse battery staple"}


def sign_in(page, base: str, email: str, password: str) -> None:
    """Sign a facilitator in through /login."""
    page.goto(f"{base}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Your groups")).to_be_visible()


def add_supervisor(lead, base: str, group_id: int, email: str) -> None:
    """The lead creates the supervisor's account, then adds them to the team by e-mail."""
    lead.goto(f"{base}/facilitators/new")
    lead.get_by_label("Name").fill(SUPERVISOR["name"])
    lead.get_by_label("E-mail").fill(email)
    lead.get_by_label("Password", exact=True).fill(SUPERVISOR["password"])
    lead.get_by_label("Repeat the password").fill(SUPERVISOR["password"])
    lead.get_by_role("button", name="Create account").click()
    lead.goto(f"{base}/groups/{group_id}/supervision")
    lead.get_by_label("E-mail of their facilitator account").fill(email)
    lead.get_by_role("button", name="Add as supervisor").click()
    expect(lead.locator("#supervision-team")).to_contain_text(SUPERVISOR["name"])


def test_a_supervisor_watches_read_only_and_the_lead_closes_their_action(people):
    base, group_id = people.server.base_url, people.group["group_id"]
    email = f"supervisor-{group_id}@example.org"
    console = people.facilitator()
    console.get_by_role("button", name="Start the session").click()
    expect(console.locator("#session-status")).to_have_text("Live")
    lead = console.context.new_page()
    add_supervisor(lead, base, group_id, email)

    watcher = people._page(LAPTOP, "supervisor")
    sign_in(watcher, base, email, SUPERVISOR["password"])
    expect(watcher.locator("#supervised-groups")).to_be_visible()
    watcher.goto(f"{base}/sessions/{people.session_id}/console")
    expect(watcher.locator("#connection")).to_have_text("Connected")
    expect(watcher.locator("#read-only")).to_contain_text("Supervising: read only")
    for control in ("#start-session", "#end-session", "#timer-form", "#homework-form",
                    "#prompt-form", "#theme-form"):
        expect(watcher.locator(control)).to_be_hidden()
    expect(watcher.locator("#agenda li").first).to_be_visible()
    expect(watcher.locator("#agenda button").first).to_be_hidden()

    phone = people.participant(0)
    phone.locator("input[name='mood'][value='6']").check(force=True)
    phone.get_by_label("Anything you would like the facilitator to know?").fill("A calm week")
    phone.get_by_role("button", name="Send my check-in").click()
    expect(watcher.locator("#checkin-rows")).to_contain_text("A calm week")
    expect(phone.locator("#presence")).not_to_contain_text(SUPERVISOR["name"])

    watcher.goto(f"{base}/groups/{group_id}/supervision")
    watcher.get_by_label("Note", exact=True).fill(
        "The check-in ran smoothly; watch the time in the round.")
    watcher.locator("[name='actions-0-what']").fill("Plan the round's timing")
    watcher.locator("[name='actions-0-owner']").select_option(index=1)  # the lead
    watcher.locator("[name='actions-0-due_on']").fill("2099-01-01")
    watcher.get_by_role("button", name="Save the note").click()
    expect(watcher.locator("#supervision-notes")).to_contain_text("watch the time")

    lead.goto(f"{base}/groups/{group_id}/supervision")
    action = lead.locator(".supervision-action").filter(has_text="Plan the round's timing")
    action.get_by_role("button", name="Mark done").click()
    done = lead.locator(".supervision-action").filter(has_text="Plan the round's timing")
    expect(done).to_contain_text("Done")
    expect(done.get_by_role("button", name="Mark done")).to_have_count(0)
