"""Chromium: a middle session's weekly round for three members, with the script's ticks.

The facilitator ticks a script step (kept over a reload), reads the guidance for the
problem areas present (the safety check for disagreements), takes three members one at a
time (techniques, a goal progress note, tasks tied to goals) and sees who is not reached
yet. A task tied to a goal appears on that member's phone with their goal, not on another's.
"""

import pytest
from helpers import TEST_CONFIG
from playwright.sync_api import expect

from browser.test_member_view import session_number

pytestmark = [pytest.mark.browser, pytest.mark.server]

PLANS = [("grief", ["Visit Mum's grave with my sister"]),
         ("role_dispute", ["Tell my partner I need an evening off"]),
         ("interpersonal_deficits", ["Say hello to one neighbour"])]


def give_plans(server, group) -> None:
    """Give the group's three members a problem area and one goal each."""
    from facilitator import create_app
    from facilitator.extensions import db
    from facilitator.models import Participant
    from facilitator.services import plans

    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": server.env["DATABASE_URL"]})
    with app.app_context():
        for person, (area, goals) in zip(group["participants"], PLANS, strict=True):
            member = db.session.get(Participant, person["participant_id"])
            for goal in list(member.goals):
                plans.retire_goal(goal)
            plans.set_problem_areas(member, area, None)
            for text in goals:
                plans.add_goal(member, text)
        db.session.commit()
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()


def take_turn(console, name: str, technique: str) -> None:
    """Focus a member, mark a technique and mark them reached."""
    console.locator("#round-members").get_by_role("button", name=name).click()
    expect(console.locator("#round-focus-name")).to_have_text(name)
    button = console.locator("#round-focus").get_by_role("button", name=technique)
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    console.get_by_role("button", name="Mark as reached").click()
    expect(console.locator("#round-reach")).to_contain_text("Reached")


def give_task(console, text: str) -> None:
    """Give the member in focus a task tied to their (first) goal."""
    console.locator("#round-task-text").fill(text)
    console.get_by_role("button", name="Give the task").click()
    expect(console.locator("#round-tasks")).to_contain_text(text)


def test_a_middle_sessions_round_for_three_members(people, server, group):
    give_plans(server, group)
    middle = session_number(server, group["group_id"], 2)
    names = [people.name(i) for i in range(3)]
    console = people.facilitator(f"/sessions/{middle}/console")
    console.get_by_role("button", name="Start the session").click()
    expect(console.locator("#session-status")).to_have_text("Live")
    phones = [people.participant(i) for i in range(2)]
    for phone in phones:
        phone.goto(f"{server.base_url}/sessions/{middle}/live")
        expect(phone.locator("#connection")).to_have_text("Connected")

    first_step = console.locator("#script-steps .script-tick").first
    first_step.check()
    expect(console.locator("#script-steps li").first).to_have_class("script-step script-done")
    guidance = console.locator("#guidance")
    expect(guidance.locator(".guidance-card")).to_have_count(3)
    expect(guidance.locator("[data-area=role_dispute] .safety-check")).to_contain_text(
        "is it safe to say this to this person?")

    expect(console.locator("#round-not-reached")).to_have_text(
        f"Not reached yet: {', '.join(names)}")
    take_turn(console, names[0], "Mood linked to the week's events")
    progress = console.locator("#round-focus .round-goal").first
    progress.get_by_label("Progress note").fill("Went with her sister on Sunday")
    progress.get_by_role("button", name="Save progress").click()
    expect(progress.locator(".round-goal-progress")).to_have_text(
        "Went with her sister on Sunday")
    give_task(console, "Look at photos with my sister")
    expect(console.locator("#round-not-reached")).to_have_text(
        f"Not reached yet: {names[1]}, {names[2]}")

    take_turn(console, names[1], "Looked at a real conversation")
    console.locator("#round-note").fill("Partner may shout: safety first")
    console.get_by_role("button", name="Save the note").click()
    give_task(console, "Ask for Thursday evening")
    take_turn(console, names[2], "Building contacts")
    expect(console.locator("#round-not-reached")).to_have_text(
        "Everyone has had their turn.")

    mine = phones[0].locator("#homework-list .homework-item", has_text="Look at photos")
    expect(mine).to_be_visible()
    expect(mine.locator(".homework-goal")).to_contain_text(PLANS[0][1][0])
    expect(phones[1].locator("#homework-list")).not_to_contain_text("Look at photos")
    expect(phones[1].locator("#homework-list")).to_contain_text("Ask for Thursday evening")
    for phone in phones:
        expect(phone.locator("body")).not_to_contain_text("safety first")

    console.reload()
    expect(console.locator("#connection")).to_have_text("Connected")
    expect(console.locator("#script-steps .script-tick").first).to_be_checked()
    expect(console.locator("#round-not-reached")).to_have_text("Everyone has had their turn.")
    expect(console.locator("#round-note")).to_have_value("")  # the first member is in focus
    expect(console.locator("#round-focus .round-goal-progress").first).to_have_text(
        "Went with her sister on Sunday")
