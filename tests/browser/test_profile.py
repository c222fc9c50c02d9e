"""A member's profile in Chromium: opened from the console, goals edited, a progress note kept,
the history read; a participant's page never links to profiles or shows others' goals."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.server]


def open_profile_from_console(people, console, index: int):
    """Click member ``index``'s name in "Who is here"; return the profile's new tab."""
    link = console.locator("#presence a.profile-link", has_text=people.name(index))
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", "noopener")
    with console.context.expect_page() as opened:
        link.click()
    profile = opened.value
    expect(profile.get_by_role("heading", name=people.name(index), level=1)).to_be_visible()
    return profile


def test_a_facilitator_edits_a_goal_and_keeps_a_progress_note(people):
    console = people.facilitator()
    console.get_by_role("button", name="Start the session").click()
    expect(console.locator("#session-status")).to_have_text("Live")
    profile = open_profile_from_console(people, console, 0)
    first_goal = people.group["participants"][0]["goals"][0]

    expect(profile.locator("#meeting")).to_contain_text("Finished")
    goal = profile.locator("article.goal").first
    expect(goal.locator(".goal-text")).to_have_text(first_goal)
    goal.get_by_text("Change the words").click()
    goal.get_by_label("Goal, in the member's own words").fill("Sing with the choir once a month")
    goal.get_by_role("button", name="Save the new words").click()
    expect(profile.locator(".flash-success")).to_contain_text("new words are saved")
    goal = profile.locator("article.goal").first
    expect(goal.locator(".goal-text")).to_have_text("Sing with the choir once a month")
    expect(goal.locator(".goal-history")).to_contain_text(
        f"changed from “{first_goal}” to “Sing with the choir once a month”")

    form = goal.locator("form.progress-form")
    form.get_by_role("button", name="Save the progress note").click()
    expect(form.locator(".field-error")).to_have_text(
        "Progress note: write how the member got on with this goal.")
    form = profile.locator("article.goal").first.locator("form.progress-form")
    expect(form.get_by_label("Session").locator("option")).to_have_count(1)
    form.get_by_label("Session").select_option(index=0)  # the one session held so far
    form.get_by_label("Progress note").fill("Went to practice; felt welcome")
    form.get_by_role("button", name="Save the progress note").click()
    goal = profile.locator("article.goal").first
    expect(goal.locator(".progress-notes")).to_contain_text(
        "Session 1: Went to practice; felt welcome")
    expect(goal.locator(".goal-history li")).to_have_count(2)
    expect(profile.locator("#attendance")).to_contain_text("session held so far")


def test_a_participant_page_has_no_profile_links_and_no_one_elses_goals(people):
    console = people.facilitator()
    expect(console.locator("#presence a.profile-link")).to_have_count(3)
    phone = people.participant(0)
    expect(phone.locator("#presence")).to_contain_text(people.name(1))
    assert phone.locator("a[href*='/members/']").count() == 0
    html = phone.content()
    for other in people.group["participants"][1:]:
        for goal in other["goals"]:
            assert goal.replace("'", "&#39;") not in html and goal not in html
