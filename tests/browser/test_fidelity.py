"""The fidelity record in Chromium: the lead ends a session, fills in the record (pre-filled
from the session's record), the supervisor reviews it and both see the gap; the queue moves."""

import pytest
from playwright.sync_api import expect

from .conftest import LAPTOP
from .test_supervision import SUPERVISOR, add_supervisor, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.server]


def test_end_fill_in_review_and_see_the_gap_and_the_queue(people):
    base, group_id = people.server.base_url, people.group["group_id"]
    email = f"fidelity-sup-{group_id}@example.org"
    console = people.facilitator()
    console.get_by_role("button", name="Start the session").click()
    expect(console.locator("#session-status")).to_have_text("Live")
    console.get_by_role("button", name="End the session").click()
    console.locator("#end-yes").click()
    expect(console.locator("#session-status")).to_have_text("Ended")
    lead = console.context.new_page()
    add_supervisor(lead, base, group_id, email)

    watcher = people._page(LAPTOP, "supervisor")
    sign_in(watcher, base, email, SUPERVISOR["password"])
    watcher.goto(f"{base}/supervision")
    expect(watcher.locator("#queue-fidelity-missing")).to_contain_text("session 1")

    console.get_by_role("link", name="Fidelity record").click()
    form = console.locator("#own-form")
    expect(form.locator(".from-record[data-key='alerts_handled']")).to_contain_text(
        "From the session's record")
    for select in form.locator("select").all():
        select.select_option("2")
    form.get_by_label("Comments").fill("The round ran short of time.")
    form.get_by_role("button", name="Save").click()
    expect(console.locator("#fidelity-table tr[data-key='everyone_turn'] td").first).to_have_text(
        "Done")

    watcher.goto(f"{base}/supervision")
    expect(watcher.locator("#queue-fidelity-review")).to_contain_text("session 1")
    watcher.locator("#queue-fidelity-review a").first.click()
    review = watcher.locator("#review-form")
    for select in review.locator("select[name^='score_']").all():
        select.select_option("2")
    review.locator("select[name='score_everyone_turn']").select_option("1")
    review.get_by_label("How you saw the session").select_option("notes")
    review.get_by_role("button", name="Save").click()
    expect(watcher.locator("#fidelity-table tr[data-key='everyone_turn'] td.gap")).to_have_text(
        "-1")
    expect(watcher.locator("#fidelity-total td.gap")).to_have_text("-1")
    watcher.goto(f"{base}/supervision")
    expect(watcher.locator("#queue-fidelity-review-none")).to_be_visible()
    expect(watcher.locator("#queue-fidelity-missing-none")).to_be_visible()

