"""The fidelity record in Chromium: the lead ends a session, fills in the record (pre-filled
from the session's record), the supervisor reviews it and both see the gap; the queue moves.
A member getting worse since last week is marked in the round, flagged with one tap, and the
record's "worsening flagged" is pre-filled from it."""

import pytest
from playwright.sync_api import expect

from .conftest import LAPTOP
from .test_member_view import session_number
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



def seed_checkin(server, session_id: int, participant_id: int, mood: int) -> None:
    """Keep a member's check-in (mood only) straight in the server's database."""
    from helpers import TEST_CONFIG

    from facilitator import create_app
    from facilitator.extensions import db
    from facilitator.models import CheckIn

    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": server.env["DATABASE_URL"]})
    with app.app_context():
        db.session.add(CheckIn(session_id=session_id, participant_id=participant_id, mood=mood))
        db.session.commit()
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()


def test_a_member_getting_worse_is_flagged_and_the_record_says_so(people, server, group):
    first, second = (session_number(server, group["group_id"], n) for n in (1, 2))
    member = group["participants"][0]["participant_id"]
    name = people.name(0)
    seed_checkin(server, first, member, 7)
    console = people.facilitator(f"/sessions/{second}/console")
    console.get_by_role("button", name="Start the session").click()
    expect(console.locator("#session-status")).to_have_text("Live")
    phone = people.participant(0)
    phone.goto(f"{server.base_url}/sessions/{second}/live")
    expect(phone.locator("#connection")).to_have_text("Connected")
    seed_checkin(server, second, member, 4)  # mood down 3 since last week
    console.reload()
    expect(console.locator("#connection")).to_have_text("Connected")
    row = console.locator("#round-members li", has_text=name)
    expect(row.locator(".worsening-badge")).to_have_text("Getting worse since last week")
    expect(console.locator("#round-members li", has_text=people.name(1)).locator(
        ".worsening-badge")).to_have_count(0)
    row.get_by_role("button", name=name).click()
    expect(console.locator("#round-worsening")).to_be_visible()
    flag = console.locator("#round-focus").get_by_role("button", name="Flag for supervision")
    flag.click()
    expect(flag).to_have_attribute("aria-pressed", "true")
    expect(phone.locator("body")).not_to_contain_text("Getting worse")

    console.get_by_role("button", name="End the session").click()
    console.locator("#end-yes").click()
    expect(console.locator("#session-status")).to_have_text("Ended")
    console.get_by_role("link", name="Fidelity record").click()
    form = console.locator("#own-form")
    expect(form.locator(".from-record[data-key='worsening_flagged']")).to_have_text(
        "From the session's record: 1 of 1 members getting worse flagged")
    expect(form.locator("select[name='score_worsening_flagged']")).to_have_value("2")
