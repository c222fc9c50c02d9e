"""The programme's quality page in Chromium: an administrator opens it from the programme
overview and reads the figures this test counted by hand from the data it made
(``helpers.quality``); the charts are drawn without any script or page error."""

import pytest
from helpers import PASSWORD
from helpers.app import TEST_CONFIG
from helpers.quality import make_admin, make_quality_world
from helpers.server import LiveServer
from playwright.sync_api import expect

from facilitator import create_app
from facilitator.extensions import db

from .conftest import LAPTOP

pytestmark = [pytest.mark.browser, pytest.mark.server]


@pytest.fixture(scope="module")
def quality_server(tmp_path_factory):
    """A real server whose database holds the demo groups and the hand-made programme."""
    running = LiveServer(tmp_path_factory.mktemp("quality-server"), sqlite=True)
    running.prepare()
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": running.env["DATABASE_URL"]})
    made = make_quality_world(app)
    make_admin(app)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    running.start()
    try:
        yield running.base_url, made
    finally:
        running.stop()


def row(page, table: str, name: str):
    """The cells (not the heading) of the row of ``table`` headed by ``name``."""
    return page.locator(f"#{table} tbody tr").filter(
        has=page.locator("th", has_text=name)).locator("td")


def test_an_administrator_reads_the_hand_counted_quality(browser, quality_server):
    base, made = quality_server
    context = browser.new_context(viewport=LAPTOP, base_url=base)
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto("/login")
    page.fill("input[name=email]", "admin@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto("/programme")
    page.get_by_role("link", name="Quality").click()
    expect(page.get_by_role("heading", name="Programme quality")).to_be_visible()
    # Counted by hand in helpers/quality.py: ended, own record, reviewed, own %, review %,
    # referrals pending.
    expect(row(page, "quality-groups", "Tuesday group").nth(0)).to_have_text("3")
    for table, name, cells in (
            ("quality-groups", "Tuesday group", ["3", "2", "1 (33%)", "83.3%", "75%", "1"]),
            ("quality-groups", "Thursday group", ["2", "2", "1 (50%)", "50%", "50%", "1"]),
            ("quality-facilitators", "Cleo Co", ["3", "2", "1 (33%)", "83.3%", "75%", "1"]),
            ("quality-facilitators", "Bo Lead", ["2", "2", "1 (50%)", "50%", "50%", "1"])):
        found = row(page, table, name)
        for index, text in enumerate(cells):
            expect(found.nth(index)).to_have_text(text)
    expect(row(page, "quality-groups", "Thursday group").nth(7)).to_contain_text(
        "median 30 min")
    expect(page.locator("#quality-facilitators")).not_to_contain_text("Ana Supervisor")
    cleo = made.people["cleo"]
    expect(page.locator(f"#quality-months-{cleo} tr[data-month='2025-01'] td")).to_have_text(
        ["2", "2", "1 (50%)", "83.3%", "75%"])
    chart = page.locator(f"#quality-chart-{cleo}")
    expect(chart).to_be_visible()
    expect(chart.locator("title").first).to_contain_text("Own record: 2025-01 83.3%")
    expect(chart.locator(".q-self circle")).to_have_count(1)
    expect(page.locator("#quality-reviewed-chart .q-bar")).to_have_count(4)  # 2 demo groups
    assert problems == []
    context.close()
