"""Browser fixtures: a real server process, Debian's Chromium, and signed-in pages.

Each test gets a fresh demo group (one facilitator, three participants) on the shared
server, so tests never see each other's sessions.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import expect

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}
FACILITATOR_BIN = Path(sys.executable).with_name("facilitator")

expect.set_options(timeout=5000)


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_health(base_url: str, proc: subprocess.Popen, log: Path) -> None:
    """Wait until ``/healthz`` answers 200, or fail with the server's log."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"the server exited early:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{base_url}/healthz", timeout=1) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"the server did not answer /healthz in 30 s:\n{log.read_text()[-3000:]}")


def accept_notice(page) -> None:
    """Press "I understand" if the page is the notice "who sees what" (first visits)."""
    button = page.get_by_role("button", name="I understand")
    if button.count():
        button.click()
        expect(page.locator("#live")).to_be_attached()


@dataclass
class Server:
    """A running ``facilitator serve`` process and how to make demo groups on it."""

    base_url: str
    env: dict
    groups: list = field(default_factory=list)

    def demo_group(self) -> dict:
        """Create a demo group (``facilitator demo --json --participants 3``)."""
        result = subprocess.run(
            [str(FACILITATOR_BIN), "demo", "--json", "--participants", "3"],
            env=self.env, capture_output=True, text=True, timeout=60, check=False,
        )
        if result.returncode != 0:
            pytest.fail(f"facilitator demo failed:\n{result.stderr[-3000:]}")
        return json.loads(result.stdout.strip().splitlines()[-1])["groups"][0]


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """Start a real server on a free port with its own SQLite database; stop it at the end."""
    workdir = tmp_path_factory.mktemp("server")
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
        "SECRET_KEY": "browser-tests-secret",
        "FACILITATOR_ENV": "development",
    })
    env.pop("MESSAGE_QUEUE_URL", None)
    port = free_port()
    running = Server(base_url=f"http://127.0.0.1:{port}", env=env)
    running.demo_group()  # brings the schema up to date before the server starts
    log = workdir / "server.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [str(FACILITATOR_BIN), "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    try:
        wait_for_health(running.base_url, proc, log)
        yield running
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


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
