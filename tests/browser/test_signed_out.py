"""A console left open shows its own "signed out" screen when the sign-in expires (issue 19, 3).

The server ends the idle console's connection; the page tries once to come back, the expired
sign-in is refused, and the console says so in plain words, with a way to sign in again.
"""

import pytest
from playwright.sync_api import expect

from .conftest import People, start_server

pytestmark = [pytest.mark.browser, pytest.mark.server]
IDLE_SECONDS = 4


@pytest.fixture(scope="module")
def idle_server(tmp_path_factory):
    """A real server whose sign-ins expire after a few idle seconds."""
    running = start_server(tmp_path_factory.mktemp("idle-browser"),
                           IDLE_TIMEOUT_MINUTES=str(IDLE_SECONDS / 60))
    yield running
    running.stop()


def test_an_idle_console_shows_its_signed_out_screen(browser, idle_server):
    people = People(browser, idle_server, idle_server.demo_group())
    try:
        console = people.facilitator()
        banner = console.locator("#connection")
        expect(banner).to_contain_text("Signed out: please sign in again.",
                                       timeout=(IDLE_SECONDS + 10) * 1000)
        expect(banner.get_by_role("link", name="Sign in")).to_be_visible()
    finally:
        people.close()
    assert not people.problems, "\n".join(people.problems)
