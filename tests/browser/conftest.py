"""Browser fixtures: a real server process, Debian's Chromium, and signed-in pages.

Each test gets a fresh demo group (one facilitator, three participants) on the shared
server, so tests never see each other's sessions.
"""

from pathlib import Path

import pytest
from helpers.server import LiveServer
from playwright.sync_api import expect

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}

expect.set_options(timeout=5000)


def accept_notice(page) -> None:
    """Press "I understand" if the page is the notice "who sees what" (first visits)."""
    button = page.get_by_role("button", name="I understand")
    if button.count():
        button.click()
        expect(page.locator("#live")).to_be_attached()


def start_server(workdir: Path, **settings: str) -> LiveServer:
    """A running ``facilitator serve`` on its own SQLite file, with demo groups made."""
    running = LiveServer(workdir, settings={"FACILITATOR_ENV": "development", **settings},
                         sqlite=True)
    running.prepare()
    running.start()
    return running


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """A real server on a free port with its own SQLite database; stopped at the end."""
    running = start_server(tmp_path_factory.mktemp("server"))
    yield running
    running.stop()


@pytest.fixture
def group(server):
    """A fresh demo group: its session, facilitator login and three participants."""
    return server.demo_group()


class People:
    """Opens pages as the group's facilitator or participants and watches for JS errors."""

    def __init__(self, browser, server, group):
        self.browser = browser
        self.server = server
        self.group = group
        self.contexts = []
        self.problems = []
        self.offline = set()  # names of pages a test takes offline on purpose

    def _page(self, viewport, name):
        context = self.browser.new_context(viewport=viewport)
        self.contexts.append(context)
        self.last_context = context
        page = context.new_page()
        page.on("pageerror", lambda error: self.problems.append(f"{name}: {error}"))
        page.on("console", lambda message: self._console(name, message))
        page.on("dialog", lambda dialog: self._dialog(name, dialog))
        return page

    def _console(self, name, message):
        if message.type != "error":
            return
        if "favicon" in (message.location or {}).get("url", ""):
            return
        if name in self.offline and "ERR_INTERNET_DISCONNECTED" in message.text:
            return
        self.problems.append(f"{name}: console error: {message.text}")

    def _dialog(self, name, dialog):
        self.problems.append(f"{name}: unexpected dialog: {dialog.message}")
        dialog.dismiss()

    @property
    def session_id(self):
        return self.group["session_id"]

    def facilitator(self, path=None):
        """Sign in through /login and open the console (or ``path``)."""
        page = self._page(LAPTOP, "facilitator")
        login = self.group["facilitator"]
        page.goto(f"{self.server.base_url}/login")
        page.get_by_label("E-mail").fill(login["email"])
        page.get_by_label("Password").fill(login["password"])
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", name="Your groups")).to_be_visible()
        page.goto(self.server.base_url + (path or f"/sessions/{self.session_id}/console"))
        expect(page.locator("#connection")).to_have_text("Connected")
        return page

    def participant(self, index, prepare=None, connected=True):
        """Open participant ``index``'s join link on a phone-sized page.

        The notice "who sees what" comes first on a participant's first visit; this accepts
        it, as the person would. ``prepare(page)``, if given, runs before the page loads
        (e.g. to route its socket); ``connected=False`` does not wait for the connection.
        """
        person = self.group["participants"][index]
        page = self._page(PHONE, person["display_name"])
        if prepare is not None:
            prepare(page)
        page.goto(self.server.base_url + person["join_path"])
        accept_notice(page)
        if connected:
            expect(page.locator("#connection")).to_have_text("Connected")
        return page

    def name(self, index):
        return self.group["participants"][index]["display_name"]

    def close(self):
        for context in self.contexts:
            context.close()


@pytest.fixture
def people(browser, server, group):
    """Pages for the group's people; fails the test if any page had a JS or CSP error."""
    crowd = People(browser, server, group)
    yield crowd
    crowd.close()
    assert not crowd.problems, "\n".join(crowd.problems)
