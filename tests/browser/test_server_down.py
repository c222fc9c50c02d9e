"""A check-in sent while the server is down arrives exactly once when it comes back."""

import sqlite3
from contextlib import closing

import pytest
from helpers.server import LiveServer, call, connect, facilitator_cookies, join
from playwright.sync_api import expect

from .conftest import PHONE, accept_notice


@pytest.fixture
def server(tmp_path):
    """A server of this test's own, which the test kills and restarts."""
    running = LiveServer(tmp_path)
    running.prepare()
    running.start()
    yield running
    running.stop()


@pytest.mark.browser
def test_checkin_sent_while_the_server_is_down_arrives_once(browser, server):
    group = server.group(0)
    login = group["facilitator"]
    lead = connect(server.base_url, facilitator_cookies(server.base_url, login["email"],
                                                        login["password"]))
    join(lead, group["session_id"])
    assert call(lead, "session:start", {"session_id": group["session_id"]})["ok"]
    lead.disconnect()
    context = browser.new_context(viewport=PHONE)
    errors = []
    phone = context.new_page()
    phone.on("pageerror", lambda error: errors.append(error))
    phone.goto(server.base_url + group["participants"][0]["join_path"])
    accept_notice(phone)
    expect(phone.locator("#connection")).to_have_text("Connected")
    expect(phone.locator("#session-status")).to_have_text("The session is on now")

    server.crash()
    expect(phone.locator("#connection")).to_have_text(
        "Reconnecting… what you wrote is kept and will be sent", timeout=15000)
    phone.locator("input[name='mood'][value='6']").check(force=True)
    phone.get_by_label("Anything you would like the facilitator to know?").fill("Server down")
    phone.get_by_role("button", name="Send my check-in").click()
    expect(phone.locator("#checkin-pending")).to_be_visible()

    server.start()
    expect(phone.locator("#connection")).to_have_text("Connected", timeout=40000)
    expect(phone.locator("#checkin-summary")).to_contain_text("6 out of 10", timeout=40000)
    phone.reload()
    expect(phone.locator("#checkin-summary")).to_contain_text("6 out of 10")
    database = server.env["DATABASE_URL"]
    assert database.startswith("sqlite:///"), "browser tests run on SQLite"
    with closing(sqlite3.connect(database[len("sqlite:///"):])) as db:
        notes = db.execute("SELECT note FROM checkins").fetchall()
    assert notes == [("Server down",)]
    context.close()
    assert not errors
