"""The report pages in Chromium against a real server: charts drawn, tables right, no errors.

The server is started as in production (``facilitator demo --json``, then ``facilitator
serve``) on its own SQLite file; two sessions are run through python-socketio clients.
Screenshots go to ``$REPORT_SCREENSHOTS`` (default: the test's temporary folder).
"""

import os
import re
import sys
import uuid
from pathlib import Path

import pytest
import requests
import socketio
from helpers.reports import answers_for
from helpers.server import LiveServer
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.server]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
FACILITATOR = str(Path(sys.executable).with_name("facilitator"))
NAMESPACE = "/live"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A real server with one demo group; yields its base URL and the demo group."""
    running = LiveServer(tmp_path_factory.mktemp("reports-server"), sqlite=True)
    running.prepare()
    running.start()
    try:
        yield running.base_url, running.group(0)
    finally:
        running.stop()


class Person:
    """Someone signed in over HTTP with a live connection to the server."""

    def __init__(self, base: str, http: requests.Session):
        self.http = http
        self.sio = socketio.Client(reconnection=False)
        cookie = "; ".join(f"{c.name}={c.value}" for c in http.cookies)
        self.sio.connect(base, namespaces=[NAMESPACE], transports=["polling"],
                         headers={"Cookie": cookie, "Origin": base})

    def send(self, event: str, payload: dict) -> dict:
        """Send an event and return its successful acknowledgement."""
        ack = self.sio.call(event, payload, namespace=NAMESPACE, timeout=10)
        assert ack.get("ok") is True, (event, ack)
        return ack

    def close(self) -> None:
        """Close the live connection."""
        self.sio.disconnect()


def facilitator_login(base: str, login: dict) -> requests.Session:
    """Sign the facilitator in through the real form."""
    http = requests.Session()
    page = http.get(base + "/login").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    answer = http.post(base + "/login", data={**login, "csrf_token": token})
    assert answer.ok and "/login" not in answer.url
    return http


def run_session(base: str, group: dict, number: int, checkins: dict, extras=None) -> None:
    """Start session ``number``, let participants check in ``{index: (mood, total)}``, end it."""
    session_id = group["session_id"] + number - 1  # the demo's sessions are numbered in order
    fac = Person(base, facilitator_login(base, group["facilitator"]))
    fac.send("session:join", {"session_id": session_id})
    fac.send("session:start", {"session_id": session_id})
    people = {}
    for index, (mood, total) in checkins.items():
        http = requests.Session()
        http.get(base + group["participants"][index]["join_path"])
        people[index] = Person(base, http)
        people[index].send("session:join", {"session_id": session_id})
        people[index].send("checkin:submit", {
            "session_id": session_id, "client_id": str(uuid.uuid4()), "mood": mood,
            "phq9": answers_for(total, 1 if index == 1 and number == 1 else 0),
            "note": f"Week {number} note of person {index + 1}"})
    if extras:
        extras(fac, people, session_id)
    fac.send("session:end", {"session_id": session_id})
    for person in [fac, *people.values()]:
        person.close()


def first_session_extras(fac: Person, people: dict, session_id: int) -> None:
    """Acknowledge the alert, add a theme and homework, and a reflection on it."""
    state = fac.send("session:join", {"session_id": session_id})["state"]
    (alert,) = state["alerts"]
    fac.send("alert:ack", {"alert_id": alert["alert_id"], "note": "Called him after the group"})
    fac.send("theme:create", {"session_id": session_id, "title": "Speaking up at home",
                              "problem_area": "role_dispute"})
    homework = fac.send("homework:assign", {"session_id": session_id,
                                            "text": "One pleasant activity a day"})
    card = people[2].send("card:submit", {"session_id": session_id, "client_id": str(uuid.uuid4()),
                                          "text": "Saying no kindly", "problem_area": "grief",
                                          "anonymous": True})
    fac.send("card:moderate", {"card_id": card["card_id"], "action": "approve"})
    people[0].send("reflection:submit", {"client_id": str(uuid.uuid4()),
                                         "assignment_id": homework["assignment_id"],
                                         "text": "Walked by the river twice",
                                         "times_practised": 2})


@pytest.fixture(scope="module")
def seeded(server):
    """Two ended sessions: Amina 20 -> 9, Ben 12 -> 10 (alert in session 1), Chipo once."""
    base, group = server
    run_session(base, group, 1, {0: (3, 20), 1: (4, 12), 2: (5, 7)}, first_session_extras)
    run_session(base, group, 2, {0: (6, 9), 1: (5, 10)})
    return base, group


@pytest.fixture(scope="module")
def chromium(browser):
    """Debian's Chromium, shared with the other browser tests."""
    return browser


@pytest.fixture
def shots(tmp_path) -> Path:
    """Where screenshots go."""
    folder = Path(os.environ.get("REPORT_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def open_signed_in(chromium, seeded, viewport: dict):
    """A page signed in as the facilitator, collecting console errors and page errors."""
    base, group = seeded
    context = chromium.new_context(viewport=viewport, base_url=base)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(f"{m.text} at {m.location.get('url')}")
            if m.type in ("error", "warning") else None)
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400
            else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto("/login")
    page.fill("input[name=email]", group["facilitator"]["email"])
    page.fill("input[name=password]", group["facilitator"]["password"])
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/$"))
    errors.clear()  # only the report pages are under test here
    return context, page, errors


def chart_values(page, selector: str) -> list:
    """The datasets a drawn Chart.js chart holds: ``[label, values]`` each."""
    return page.eval_on_selector(selector, "c => Chart.getChart(c).data.datasets"
                                           ".map(d => [d.label, d.data])")


@pytest.mark.parametrize(("name", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_outcomes_page_draws_the_charts(chromium, seeded, shots, name, viewport):
    context, page, errors = open_signed_in(chromium, seeded, viewport)
    group = seeded[1]
    page.goto(f"/groups/{group['group_id']}/outcomes")
    expect(page.locator("#outcome-charts")).to_have_attribute("data-state", "drawn")
    assert page.locator("canvas").count() == 4
    amina = group["participants"][0]["participant_id"]
    mine = chart_values(page, f'canvas[data-participant-id="{amina}"]')
    assert mine[0] == ["PHQ-9", [20, 9, None, None, None, None, None, None]]
    assert mine[1][1][:2] == [3, 6]
    assert chart_values(page, 'canvas[data-series="group"]')[0][1][:2] == [13.0, 9.5]
    # The demo's members had their pre-group meeting: each starts from its baseline PHQ-9
    # (Amina 12, Ben 12, Chipo 17), worked by hand: Amina 12 -> 9 (recovery only), Ben
    # 12 -> 10 (nothing), Chipo 17 -> 7 (response, reliable improvement and recovery).
    baseline = "meeting baseline"
    row = page.locator("#outcomes-table tbody tr").filter(has_text="Amina")
    expect(row.locator("td")).to_have_text(["12", "9", "-3", "No", "No", "No", "Yes", baseline])
    ben = page.locator("#outcomes-table tbody tr").filter(has_text="Ben")
    expect(ben.locator("td")).to_have_text(["12", "10", "-2", "No", "No", "No", "No", baseline])
    chipo = page.locator("#outcomes-table tbody tr").filter(has_text="Chipo")
    expect(chipo.locator("td")).to_have_text(["17", "7", "-10", "Yes", "No", "Yes", "Yes",
                                              baseline])
    areas = page.locator("#areas-table tbody tr")
    expect(areas.first.locator("th")).to_have_text("Grief and loss")
    expect(page.locator("#first-measure-note")).to_contain_text(
        "the pre-group meeting for 3 members")
    # Intention to treat: all 3 enrolled have two measures (the baseline and one in the group).
    expect(page.locator("#outcomes-title")).to_have_text("Outcomes so far")
    expect(page.locator("#figures-state")).to_be_visible()
    expect(page.locator("#figures-state")).to_contain_text("So far: the course's last session")
    response = page.locator("#figures-table tbody tr").filter(has_text="Response")
    expect(response.locator("td")).to_have_text(["1 of 3 (33%)", "1 of 3 (33%)"])
    no_data = page.locator("#figures-table tbody tr").filter(has_text="No data")
    expect(no_data.locator("td").first).to_have_text("0 of 3 (0 with one measure, 0 with none)")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], "the page itself does not scroll sideways"
    page.screenshot(path=str(shots / f"outcomes-{name}.png"), full_page=True)
    context.close()
    assert errors == [], errors


@pytest.mark.parametrize(("name", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_session_summary_page(chromium, seeded, shots, name, viewport):
    context, page, errors = open_signed_in(chromium, seeded, viewport)
    page.goto(f"/sessions/{seeded[1]['session_id']}/summary")
    expect(page.locator("h1")).to_have_text("Session 1 summary")
    expect(page.locator("#attendance h2")).to_have_text("Attendance: 3 of 3 came")
    alerts = page.locator("#alerts")
    expect(alerts).to_contain_text("Ben: PHQ-9 item 9 (thoughts of self-harm) answered above 0")
    expect(page.locator("#alerts")).to_contain_text("“Called him after the group”")
    expect(page.locator("#board")).to_contain_text("Speaking up at home")
    expect(page.locator("#board")).to_contain_text("Saying no kindly")
    expect(page.locator("#homework")).to_contain_text("Walked by the river twice")
    page.screenshot(path=str(shots / f"summary-{name}.png"), full_page=True)
    page.emulate_media(media="print")
    expect(page.locator("header.topbar")).to_be_hidden()
    page.screenshot(path=str(shots / f"summary-{name}-print.png"), full_page=True)
    context.close()
    assert errors == [], errors
