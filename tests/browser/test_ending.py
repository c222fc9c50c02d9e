"""The course's last session on real pages: the final questionnaire on a phone, a
staying-well plan written on the phone (kept through a reload) and read in the console,
then a referral recorded on the profile, and the group page's "needs a referral" list."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import create_engine, text

pytestmark = [pytest.mark.browser, pytest.mark.server]

SIGNS = "Staying in bed past noon, not answering messages"
HELPS = "A walk with the dog every morning"
CONTACT = "My cousin Lea, and the GP surgery"


def last_session_id(server, group_id: int) -> int:
    """The id of the group's last planned session (WHO 8: session 8)."""
    engine = create_engine(server.env["DATABASE_URL"])
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT id FROM group_sessions WHERE group_id = :g "
                                     "ORDER BY number DESC LIMIT 1"), {"g": group_id}).scalar()
    finally:
        engine.dispose()


def needs_list(page):
    """The group page's "needs a referral" section."""
    return page.locator("#referrals-needed")


def test_the_last_session_final_phq9_staying_well_plan_and_referral(server, group, people):
    base = server.base_url
    last = last_session_id(server, group["group_id"])
    console = people.facilitator(f"/sessions/{last}/console")
    console.get_by_role("button", name="Start the session").click()
    expect(console.locator("#session-status")).to_have_text("Live")
    expect(console.locator("#ending-line")).to_contain_text("This is our last session")

    phone = people.participant(0, connected=False)
    phone.goto(f"{base}/sessions/{last}/live")
    expect(phone.locator("#connection")).to_have_text("Connected")
    expect(phone.locator("#ending-line")).to_contain_text("This is our last session")
    expect(phone.locator("#final-measure")).to_be_visible()
    expect(phone.locator("#final-measure")).to_contain_text("One last time")

    # The final PHQ-9: the ordinary check-in form, every answer "more than half the days".
    phone.locator("input[name='mood'][value='4']").check(force=True)
    for number in range(1, 9):
        phone.locator(f"input[name='phq{number}'][value='2']").check(force=True)
    phone.locator("input[name='phq9'][value='0']").check(force=True)
    phone.get_by_role("button", name="Send my check-in").click()
    expect(phone.locator("#checkin-result")).to_be_visible()

    # The staying-well plan: what is typed survives a reload before it is saved.
    expect(phone.locator("#wellplan")).to_be_visible()
    phone.get_by_label("My warning signs").fill(SIGNS)
    phone.get_by_label("What helps me").fill(HELPS)
    phone.reload()
    expect(phone.locator("#connection")).to_have_text("Connected")
    expect(phone.get_by_label("My warning signs")).to_have_value(SIGNS)
    expect(phone.get_by_label("What helps me")).to_have_value(HELPS)
    phone.get_by_label("Who I can contact").fill(CONTACT)
    phone.get_by_role("button", name="Save my plan").click()
    expect(phone.locator("#wellplan-saved")).to_contain_text("Your plan is saved")

    # The console reads it at once, under the member's name.
    plans = console.locator("#wellplan-list")
    expect(plans).to_contain_text(people.name(0))
    expect(plans).to_contain_text(HELPS)
    expect(plans).to_contain_text(CONTACT)

    # The member keeps it as a text file.
    kept = phone.request.get(f"{base}/my-staying-well-plan.txt")
    assert kept.ok and kept.headers["content-type"].startswith("text/plain")
    assert SIGNS in kept.text() and CONTACT in kept.text()

    # The group page lists the member (latest PHQ-9 16) until a referral is recorded.
    console.goto(f"{base}/groups/{group['group_id']}")
    expect(needs_list(console)).to_contain_text(people.name(0))
    expect(needs_list(console)).to_contain_text("latest PHQ-9 is 10 or more")
    member_id = group["participants"][0]["participant_id"]
    console.goto(f"{base}/groups/{group['group_id']}/members/{member_id}")
    expect(console.locator("#wellplan")).to_contain_text(HELPS)
    console.get_by_label("Referred to (service or person)").fill("Community mental health team")
    console.get_by_label("Why").fill("Still at 16 on the final questionnaire")
    console.get_by_label("Referred on").fill("2026-12-01")
    console.get_by_role("button", name="Record the referral").click()
    expect(console.locator("#referrals")).to_contain_text("Community mental health team")
    expect(console.locator("#referrals")).to_contain_text("Pending")
    console.goto(f"{base}/groups/{group['group_id']}")
    expect(needs_list(console)).not_to_contain_text(people.name(0))
