"""HTTP against a real server: health, security headers, the session cookie, sign-in throttling.

Throttling counts failures per account and per address. So that one test's failures do not
throttle the others, throttling tests connect from their own loopback addresses (127.0.0.x),
which the server sees as different computers.
"""

import pytest
import requests
from helpers.server import browser, csrf_token, sign_in

pytestmark = pytest.mark.server
SAFE_REFERRER_POLICIES = {"no-referrer", "same-origin", "strict-origin",
                          "strict-origin-when-cross-origin"}


def test_healthz_answers_ok(live_server):
    answer = requests.get(live_server.base_url + "/healthz", timeout=10)
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok"}


def directives(policy: str) -> dict[str, list[str]]:
    """A Content-Security-Policy as ``{directive: [sources]}``."""
    parts = (d.split() for d in policy.split(";") if d.strip())
    return {name.lower(): sources for name, *sources in parts}


def assert_secure_headers(answer: requests.Response) -> None:
    """The headers every response must carry."""
    policy = answer.headers.get("Content-Security-Policy", "")
    csp = directives(policy)
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy, policy
    assert "script-src" in csp or "default-src" in csp, policy
    assert csp.get("object-src") == ["'none'"], policy
    assert csp.get("base-uri") == ["'none'"], policy
    assert csp.get("frame-ancestors") == ["'none'"], policy
    assert answer.headers.get("X-Content-Type-Options") == "nosniff"
    assert answer.headers.get("Referrer-Policy") in SAFE_REFERRER_POLICIES


@pytest.mark.parametrize("path", [
    "/login", "/healthz", "/static/js/copy.js", "/no-such-page", "/join/no-such-token", "/",
    "/socket.io/?EIO=4&transport=polling",
])
def test_every_response_has_the_security_headers(live_server, path):
    answer = requests.get(live_server.base_url + path, timeout=10, allow_redirects=False)
    assert_secure_headers(answer)


def test_signed_in_pages_have_the_security_headers(live_server):
    group = live_server.group()
    with browser() as http:
        login = group["facilitator"]
        assert_secure_headers(sign_in(http, live_server.base_url, login["email"],
                                      login["password"]))
        for path in ("/", f"/groups/{group['group_id']}"):
            answer = http.get(live_server.base_url + path, timeout=10)
            assert answer.status_code == 200
            assert_secure_headers(answer)


def set_cookies(answer: requests.Response) -> list[str]:
    """Every ``Set-Cookie`` header of one response."""
    return answer.raw.headers.getlist("Set-Cookie")


def assert_session_cookie(answer: requests.Response, names=("session",)) -> None:
    """The response sets the cookies ``names``, each HttpOnly and SameSite, and no other."""
    cookies = set_cookies(answer)
    assert sorted(c.split("=", 1)[0] for c in cookies) == sorted(names), cookies
    for cookie in cookies:
        attributes = [a.strip().lower() for a in cookie.split(";")[1:]]
        assert "httponly" in attributes
        assert {"samesite=lax", "samesite=strict"} & set(attributes)


def test_facilitator_session_cookie_is_httponly_samesite_without_remember_me(live_server):
    login = live_server.group()["facilitator"]
    with browser() as http:
        answer = sign_in(http, live_server.base_url, login["email"], login["password"])
        assert answer.status_code == 302
        # the device cookie marks a browser that signed in before (issue 19, item 4)
        assert_session_cookie(answer, ("session", "device"))
        http.get(live_server.base_url + answer.headers["Location"], timeout=10)
        assert set(http.cookies.keys()) == {"session", "device"}


def test_participant_session_cookie_is_httponly_samesite(live_server):
    person = live_server.group()["participants"][0]
    with browser() as http:
        answer = http.get(live_server.base_url + person["join_path"], timeout=10,
                          allow_redirects=False)
        assert answer.status_code == 302
        assert_session_cookie(answer)
        http.get(live_server.base_url + answer.headers["Location"], timeout=10)
        assert set(http.cookies.keys()) == {"session"}


def failed_sign_ins(base: str, address: str, emails: list[str]) -> list[int]:
    """Sign in with a wrong password from ``address``, once per e-mail; the status codes."""
    with browser(address) as http:
        token = csrf_token(http.get(base + "/login", timeout=10).text)
        return [http.post(base + "/login", timeout=10, allow_redirects=False,
                          data={"email": email, "password": "wrong password",
                                "csrf_token": token}).status_code
                for email in emails]


def sign_in_from(base: str, address: str, login: dict) -> int:
    """Sign in with the right password from ``address``; the status code."""
    with browser(address) as http:
        return sign_in(http, base, login["email"], login["password"]).status_code


def test_ten_failures_for_one_account_throttle_it(live_server):
    base = live_server.base_url
    target, other = live_server.group(1)["facilitator"], live_server.group()["facilitator"]
    for n in range(10):  # ten computers, one failure each: only the account adds up
        assert failed_sign_ins(base, f"127.0.0.{n + 2}", [target["email"]]) == [200]
    assert failed_sign_ins(base, "127.0.0.12", [target["email"]]) == [429]
    assert sign_in_from(base, "127.0.0.12", target) == 429  # even the right password
    assert sign_in_from(base, "127.0.0.13", other) == 302


def test_ten_failures_from_one_address_throttle_it(live_server):
    base = live_server.base_url
    login = live_server.group()["facilitator"]
    emails = [f"nobody{n}@example.org" for n in range(10)]
    assert failed_sign_ins(base, "127.0.0.20", emails) == [200] * 10
    assert failed_sign_ins(base, "127.0.0.20", ["nobody10@example.org"]) == [429]
    assert sign_in_from(base, "127.0.0.20", login) == 429  # even the right password
    assert sign_in_from(base, "127.0.0.21", login) == 302
