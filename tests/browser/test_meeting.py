"""The pre-group meeting in Chromium: a facilitator creates a group, adds two people, runs
one member's whole meeting while the member fills in the baseline PHQ-9 on their phone
(it appears on the meeting page without a reload), enrols them, and the member's link then
opens the group's live page; the second person is referred and their link says so calmly."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.server]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}


def choose(scope, text: str) -> None:
    """Click the radio or checkbox whose label reads ``text`` (exactly) inside ``scope``."""
    scope.locator("label.choice, label.check").filter(
        has_text=re.compile(rf"^\s*{re.escape(text)}\s*$")).first.click()


def save(section, name: str) -> None:
    """Press the section's button and wait for the page to say so."""
    section.get_by_role("button", name=name).click()


def create_group(page, base_url: str) -> None:
    """Create a group through the new-group form."""
    page.goto(f"{base_url}/groups/new")
    page.get_by_label("Group name").fill("Wednesday evening group")
    page.get_by_role("button", name="Create group").click()
    expect(page.get_by_role("heading", name="Wednesday evening group")).to_be_visible()


def add_member(page, name: str) -> str:
    """Add a member on the group page; return their join link."""
    page.get_by_label("Display name").fill(name)
    page.get_by_role("button", name="Add participant").click()
    expect(page.get_by_text(f"{name} added")).to_be_visible()
    return page.get_by_label(f"Join link for {name}").input_value()


def open_phone(people, link: str, name: str):
    """Open a join link on a phone-sized page and accept the notice."""
    phone = people._page(PHONE, name)
    phone.goto(link)
    phone.get_by_role("button", name="I understand").click()
    return phone


def phone_baseline(phone) -> None:
    """The member answers all nine questions on their phone and sends them."""
    items = phone.locator("fieldset.phq9-item")
    for n in range(8):
        choose(items.nth(n), "Several days")
    choose(items.nth(8), "Not at all")
    phone.get_by_role("button", name="Send my answers").click()
    expect(phone.get_by_text("You sent your answers")).to_be_visible()


def run_steps(page) -> None:
    """Every step of the meeting after the baseline, as a facilitator fills them in."""
    fit = page.locator("#step-fit")
    for n in range(4):
        choose(fit.locator("fieldset.choice-group").nth(n), "No")
    save(fit, "Save this step")
    explained = page.locator("#step-explained")
    for label in ("Depression is common", "It can be treated", "It is not your fault",
                  "It is fine to do less for a while"):
        choose(explained, label)
    save(explained, "Save this step")
    timeline = page.locator("#step-timeline")
    timeline.get_by_label("When", exact=True).fill("Last spring")
    timeline.get_by_label("What happened").fill("My mother moved away")
    timeline.get_by_label(re.compile("Mood then")).select_option("3")
    save(timeline, "Add to the timeline")
    expect(page.locator("#step-timeline .timeline-entry")).to_contain_text("My mother moved")
    person = page.locator("#step-inventory form.person-form")
    person.get_by_label(re.compile("Name or label")).fill("Mum")
    person.get_by_label("Relationship").fill("mother")
    choose(person, "4: close")
    person.get_by_label("What is good").fill("We laugh together")
    person.get_by_label("What is hard").fill("She lives far away now")
    save(person, "Add the person")
    expect(page.locator("#step-inventory .inventory-card")).to_contain_text("Mum")
    plan = page.locator("#step-plan")
    choose(plan, "Life changes")
    plan.get_by_label(re.compile("Private summary")).fill("Low since her mother left.")
    plan.get_by_label(re.compile("One line")).fill("I miss my mum since she moved.")
    save(plan, "Save this step")
    goals = page.locator("#step-goals")
    goals.get_by_label("Goal 1", exact=True).fill("Phone my mum every Sunday")
    save(goals, "Save the goals")


def test_a_whole_meeting_with_the_baseline_on_the_phone(people, server):
    base = server.base_url
    page = people._page(LAPTOP, "facilitator")
    login = people.group["facilitator"]
    page.goto(f"{base}/login")
    page.get_by_label("E-mail").fill(login["email"])
    page.get_by_label("Password").fill(login["password"])
    page.get_by_role("button", name="Sign in").click()
    create_group(page, base)
    rosa_link = add_member(page, "Rosa")
    tom_link = add_member(page, "Tom")
    expect(page.locator("tr", has_text="Rosa").locator(".member-status")).to_contain_text(
        "invited")

    page.get_by_role("link", name="Pre-group meeting of Rosa").click()
    expect(page.get_by_role("heading", name="Pre-group meeting · Rosa")).to_be_visible()
    expect(page.locator("#meeting")).to_have_attribute("data-live", "watching")
    start = page.locator("#step-start")
    choose(start, "face to face")
    choose(start, "I have explained consent and confidentiality, and the person agrees "
                  "to take part")
    save(start, "Save this step")
    expect(page.locator("#step-start .step-saved")).to_be_visible()
    expect(page.locator("#meeting")).to_have_attribute("data-live", "watching")

    rosa = open_phone(people, rosa_link, "Rosa")
    expect(rosa.get_by_role("heading", name="Before the group")).to_be_visible()
    expect(rosa.get_by_role("link", name="Get help now")).to_be_visible()
    phone_baseline(rosa)
    expect(page.locator("#baseline-live")).to_have_text(
        "9 of 9 answered, total 8 (mild); sent from their phone.")
    expect(page.locator("#step-baseline input[name=phq1][value='1']")).to_be_checked()

    run_steps(page)
    end = page.locator("#step-end")
    choose(end, "Enrol now: they join the group sessions")
    save(end, "Record how the meeting ends")
    expect(page.get_by_text("Rosa is now enrolled")).to_be_visible()

    rosa.goto(rosa_link)
    expect(rosa.locator("#live")).to_be_attached()
    expect(rosa.locator("#connection")).to_have_text("Connected")

    page.goto(f"{base}/")
    page.get_by_role("link", name="Wednesday evening group").click()
    page.get_by_role("link", name="Pre-group meeting of Tom").click()
    fit = page.locator("#step-fit")
    for n in range(4):
        choose(fit.locator("fieldset.choice-group").nth(n), "Yes" if n == 2 else "No")
    fit.get_by_label(re.compile("Where to refer")).fill("Community alcohol service")
    save(fit, "Save this step")
    end = page.locator("#step-end")
    choose(end, "Referred elsewhere")
    save(end, "Record how the meeting ends")
    expect(page.get_by_text("Tom is now referred elsewhere")).to_be_visible()

    tom = open_phone(people, tom_link, "Tom")
    expect(tom.get_by_role("heading", name="This link is not for the group sessions"))\
        .to_be_visible()
    expect(tom.get_by_role("link", name="Get help now")).to_be_visible()
    expect(tom.get_by_text("Community alcohol service")).to_have_count(0)


def test_item9_on_the_phone_before_the_group_brings_help_and_stops_the_meeting(people, server):
    """The risk path of the pre-group questionnaire, as a person on a phone meets it: they
    answer only the last question, above "not at all"; their phone shows the urgent help at
    once, the facilitator's open meeting page asks for the risk assessment without a reload,
    and the meeting's later steps wait until the risk record is kept."""
    base = server.base_url
    page = people._page(LAPTOP, "facilitator")
    login = people.group["facilitator"]
    page.goto(f"{base}/login")
    page.get_by_label("E-mail").fill(login["email"])
    page.get_by_label("Password").fill(login["password"])
    page.get_by_role("button", name="Sign in").click()
    create_group(page, base)
    lena_link = add_member(page, "Lena")
    page.get_by_role("link", name="Pre-group meeting of Lena").click()
    expect(page.locator("#meeting")).to_have_attribute("data-live", "watching")
    expect(page.locator("#risk-now")).to_be_hidden()

    lena = open_phone(people, lena_link, "Lena")
    choose(lena.locator("fieldset.phq9-item").nth(8), "More than half the days")
    lena.get_by_role("button", name="Send my answers").click()
    support = lena.get_by_role("region", name="Support is here for you")
    expect(support).to_be_visible()
    expect(support).to_contain_text("local emergency number")
    expect(lena.get_by_text("[For facilitators:")).to_have_count(0)

    expect(page.locator("#risk-now")).to_be_visible()  # live, no reload
    expect(page.locator("#baseline-live")).to_contain_text("1 of 9 answered")
    # The later steps wait for the risk record (the server refuses them too).
    expect(page.locator("#step-fit input[type=radio]").first).to_be_disabled()
    expect(page.locator("#step-goals textarea, #step-goals input[type=text]").first)\
        .to_be_disabled()

    page.locator("#risk-now").get_by_role("button", name="Record the risk assessment now").click()
    expect(page.get_by_role("heading", name="Risk record · Lena")).to_be_visible()
