"""The member's own view on their phone, and the script beside the console's agenda.

A member sees where the session stands in the course, what the group is doing now, and
their own plan (goals and shared line) as plain text; the facilitator sees the current
item's steps. Another member's phone shows none of that plan.
"""

import pytest
from helpers import TEST_CONFIG
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.server]

XSS = "<img src=x onerror=alert(1)><b>bold</b>"


def give_plan(server, participant_id: int, goals: list[str], summary: str | None) -> None:
    """Write a member's goals and shared line into the running server's database."""
    from facilitator import create_app
    from facilitator.extensions import db
    from facilitator.models import Participant
    from facilitator.services import plans

    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": server.env["DATABASE_URL"]})
    with app.app_context():
        member = db.session.get(Participant, participant_id)
        for goal in list(member.goals):
            plans.retire_goal(goal)
        for text in goals:
            plans.add_goal(member, text)
        plans.set_shared_summary(member, summary)
        db.session.commit()
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()


def test_a_member_sees_the_course_what_is_on_now_and_their_own_plan(people, server, group):
    member = group["participants"][0]
    goals = ["Ask my brother for help with the move", f"Go back to choir {XSS}"]
    give_plan(server, member["participant_id"], goals, "Since the move I feel cut off")
    give_plan(server, group["participants"][1]["participant_id"], [], None)

    phone = people.participant(0)
    other = people.participant(1)
    console = people.facilitator()
    for page in (phone, other, console):
        expect(page.locator("#course-line")).to_have_text("Session 1 of 8 · 7 left")

    plan = phone.locator("#my-plan")
    expect(plan).to_be_visible()
    expect(plan.get_by_role("heading", name="My plan")).to_be_visible()
    expect(phone.locator("#my-goals li")).to_have_text(goals)
    expect(phone.locator("#my-summary")).to_have_text("Since the move I feel cut off")
    assert phone.locator("#my-goals img, #my-goals b").count() == 0, "goals are plain text"
    expect(other.locator("#my-plan")).to_be_hidden()
    expect(other.get_by_text("Ask my brother")).to_have_count(0)

    expect(console.locator("#script-item")).to_have_text("Welcome")  # the next item, ahead
    console.get_by_role("button", name="Start the session").click()
    expect(console.locator("#session-status")).to_have_text("Live")
    console.get_by_role("button", name="Activate Check-in", exact=True).click()

    checking_in = "We are checking in: how has your week been?"
    for page in (phone, other):
        expect(page.locator("#now-title")).to_have_text("Check-in")
        expect(page.locator("#now-line")).to_have_text(checking_in)
        expect(page.locator("#script")).to_have_count(0)
    script = console.locator("#script")
    expect(script).to_be_visible()
    expect(console.locator("#script-item")).to_have_text("Check-in")
    expect(script.locator("#script-steps li").first).to_contain_text(
        "Ask everyone to fill in the check-in on their phone")
    expect(script.locator("#script-steps li")).to_have_count(4)
    expect(console.locator("#script-now")).to_have_text(checking_in)
    # The session's purpose and the words a lay facilitator may use, from the course plan.
    expect(console.locator("#script-purpose")).to_contain_text("This session: ")
    expect(script.locator("#script-words li").first).to_be_visible()
    for page in (phone, other):
        expect(page.locator("#script-words")).to_have_count(0)


def session_number(server, group_id: int, number: int) -> int:
    """The id of session ``number`` of a group on the running server."""
    from facilitator import create_app
    from facilitator.extensions import db
    from facilitator.models import GroupSession

    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": server.env["DATABASE_URL"]})
    with app.app_context():
        found = db.session.query(GroupSession).filter_by(group_id=group_id,
                                                         number=number).one().id
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()
    return found


def test_the_last_session_says_so(people, server, group):
    give_plan(server, group["participants"][0]["participant_id"], [], None)
    last = session_number(server, group["group_id"], 8)
    console = people.facilitator(f"/sessions/{last}/console")
    expect(console.locator("#course-line")).to_have_text("Session 8 of 8 · our last session")
    phone = people.participant(0)
    phone.goto(f"{server.base_url}/sessions/{last}/live")
    expect(phone.locator("#connection")).to_have_text("Connected")
    expect(phone.locator("#course-line")).to_have_text("Session 8 of 8 · our last session")
    expect(phone.locator("#my-plan")).to_be_hidden()
