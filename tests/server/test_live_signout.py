"""Signing out and revoking a join link close that person's live connections at once."""

import pytest
import requests
from helpers.server import (
    browser,
    connect,
    csrf_token,
    join,
    online,
    participant_cookies,
    sign_in,
)
from socketio.exceptions import ConnectionError as ConnectRefused

pytestmark = pytest.mark.server


def signed_in_facilitator(server, group: dict) -> requests.Session:
    """A browser in which the group's facilitator signed in through the form."""
    http = browser()
    login = group["facilitator"]
    assert sign_in(http, server.base_url, login["email"], login["password"]).status_code == 302
    return http


def test_logout_disconnects_the_facilitator_at_once(live_server):
    base, group = live_server.base_url, live_server.group()
    with signed_in_facilitator(live_server, group) as http:
        cookies = http.cookies.get_dict()
        tabs = [connect(base, cookies), connect(base, cookies, transports=["polling"])]
        try:
            join(tabs[0], group["session_id"])
            token = csrf_token(http.get(base + "/", timeout=10).text)
            answer = http.post(base + "/logout", data={"csrf_token": token}, timeout=10,
                               allow_redirects=False)
            assert answer.status_code == 302
            for tab in tabs:
                tab.wait_for_disconnect()
                assert not tab.connected
        finally:
            for tab in tabs:
                tab.disconnect()
    with pytest.raises(ConnectRefused):
        connect(base, cookies)


def test_logout_needs_the_csrf_token(live_server):
    base, group = live_server.base_url, live_server.group(1)
    with signed_in_facilitator(live_server, group) as http:
        client = connect(base, http.cookies.get_dict())
        try:
            answer = http.post(base + "/logout", timeout=10, allow_redirects=False)
            assert answer.status_code == 400
            assert join(client, group["session_id"])["me"]["kind"] == "facilitator"
        finally:
            client.disconnect()


def revoke(http: requests.Session, base: str, group_id, participant_id) -> requests.Response:
    """Press "revoke" on the group page for one participant."""
    token = csrf_token(http.get(f"{base}/groups/{group_id}", timeout=10).text)
    return http.post(f"{base}/groups/{group_id}/participants/{participant_id}/revoke",
                     data={"csrf_token": token}, timeout=10, allow_redirects=False)


def test_revoked_link_disconnects_the_participant_at_once(live_server):
    base, group = live_server.base_url, live_server.group()
    person = group["participants"][2]
    who = ("participant", person["participant_id"])
    cookies = participant_cookies(base, person["join_path"])
    member = connect(base, cookies)
    with signed_in_facilitator(live_server, group) as http:
        lead = connect(base, http.cookies.get_dict())
        try:
            join(lead, group["session_id"])
            assert who in online(join(member, group["session_id"])["presence"])
            answer = revoke(http, base, group["group_id"], person["participant_id"])
            assert answer.status_code == 302
            member.wait_for_disconnect()
            assert not member.connected
            lead.wait_for_event("presence", lambda p: who not in online(p))
        finally:
            member.disconnect()
            lead.disconnect()
    assert requests.get(base + person["join_path"], timeout=10).status_code == 404
    with pytest.raises(ConnectRefused):
        connect(base, cookies)
