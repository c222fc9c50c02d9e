"""Role-play as IPT uses it, in Chromium: a member's own conversation cast from the group, the
phones showing each person's role, the safety question for a disagreement, and the debrief
kept on the member's profile (never on a phone)."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.server]

PRIVATE_LABEL = "My sister"  # Amina's inventory card (the demo data): the console only


def start(console) -> None:
    """Start the session from the console."""
    console.get_by_role("button", name="Start the session").click()
    expect(console.locator("#session-status")).to_have_text("Live")


def test_a_member_rehearses_their_own_conversation_and_the_debrief_reaches_the_profile(people):
    console = people.facilitator()
    amina, ben = people.participant(0), people.participant(1)
    start(console)

    console.get_by_label("Start from a scenario").select_option(
        label="Talking about the person who died")
    console.get_by_label("Rehearse a member's own conversation").select_option(
        label=people.name(0))
    expect(console.locator("#own-safety")).to_be_hidden()  # grief: no safety question
    console.get_by_label("From their important people").select_option(label=PRIVATE_LABEL)
    console.get_by_label("The other person, as the group will hear it").fill("a sister")
    console.get_by_label("What the member wants to say").fill("I want to talk about Dad")
    console.get_by_label("The member", exact=True).select_option(label="plays themselves")
    console.get_by_label("Another member plays the other part").select_option(
        label=people.name(1))
    console.get_by_role("button", name="Show to the group").click()
    expect(console.locator("#current-prompt-cast")).to_contain_text(f"a sister: {people.name(1)}")

    expect(amina.locator("#prompt-my-role")).to_have_text("Your role: Yourself")
    expect(amina.locator("#prompt-scene-whose")).to_have_text(
        "Your own conversation, with a sister")
    expect(amina.locator("#prompt-scene-wants")).to_have_text(
        "What you want to say: I want to talk about Dad")
    expect(ben.locator("#prompt-my-role")).to_have_text("Your role: a sister")
    expect(ben.locator("#prompt-scene-whose")).to_have_text(
        f"{people.name(0)}'s own conversation, with a sister")
    for phone in (amina, ben):
        assert PRIVATE_LABEL not in phone.content()

    console.get_by_role("button", name="Take the prompt down").click()
    expect(amina.locator("#prompt")).to_be_hidden()
    debrief = console.locator("#debrief-form")
    expect(debrief.get_by_role("heading")).to_have_text(f"Debrief with {people.name(0)}")
    debrief.get_by_label("What worked").fill("She found her words and kept going")
    debrief.get_by_label("What to try next").fill("Choose a quiet evening to call")
    debrief.get_by_role("button", name="Keep the debrief").click()
    expect(console.locator("#debrief-done")).to_have_text(
        f"Debrief kept on {people.name(0)}'s profile.")
    for phone in (amina, ben):
        assert "kept going" not in phone.content()

    member = people.group["participants"][0]["participant_id"]
    profile = console.context.new_page()
    profile.goto(f"{people.server.base_url}/groups/{people.group['group_id']}/members/{member}")
    section = profile.locator("#roleplay-debriefs")
    expect(section).to_contain_text("Session 1: with a sister")
    expect(section).to_contain_text("She found her words and kept going")
    expect(section).to_contain_text("Choose a quiet evening to call")


def test_a_disagreement_is_rehearsed_only_after_the_safety_question(people):
    console = people.facilitator()
    ben = people.participant(1)
    start(console)

    console.get_by_label("Scenario", exact=True).fill("Ask for one evening a week to yourself")
    console.get_by_label("Rehearse a member's own conversation").select_option(
        label=people.name(1))  # Ben's problem area is disagreements (the demo data)
    safety = console.locator("#own-safety")
    expect(safety).to_contain_text("Is it safe for them to say this to this person?")
    console.get_by_label("The other person, as the group will hear it").fill("a partner")
    console.get_by_label("What the member wants to say").fill("I need one evening a week")
    console.get_by_label("The member", exact=True).select_option(label="plays the other person")
    console.get_by_label("Another member plays the other part").select_option(
        label=people.name(2))
    console.get_by_role("button", name="Show to the group").click()
    expect(console.locator("#prompt-error")).to_contain_text("is it safe to say this")
    expect(ben.locator("#prompt")).to_be_hidden()

    safety.get_by_label("I asked, and it is safe to say this").check()
    console.get_by_role("button", name="Show to the group").click()
    expect(ben.locator("#prompt-my-role")).to_have_text("Your role: a partner")
    expect(console.locator("#prompt-error")).to_be_hidden()
