"""Signing in and out, join links, throttling and safe redirects."""

import pytest
from flask.sessions import SecureCookieSessionInterface
from helpers import (
    NAMESPACE,
    PASSWORD,
    accept_notice,
    csrf_token,
    joined,
    live,
    login_as,
    make_group,
)


def test_login_page_has_the_contract_fields(client):
    html = client.get("/login").get_data(as_text=True)
    for name in ("email", "password", "csrf_token"):
        assert f'name="{name}"' in html


def test_facilitator_signs_in_and_sees_their_groups(app, client, world):
    response = login_as(client, world.email)
    assert response.status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert "Tuesday group" in page


def test_wrong_password_shows_a_message_not_an_error(client, world):
    response = login_as(client, world.email, "not the password at all")
    assert response.status_code == 200
    assert "do not match" in response.get_data(as_text=True)


def test_login_without_csrf_token_is_refused(client, world):
    response = client.post("/login", data={"email": world.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "Form expired" in response.get_data(as_text=True)


def test_sign_in_issues_a_new_session_cookie(client, world):
    client.get("/login")
    before = client.get_cookie("session")
    login_as(client, world.email)
    after = client.get_cookie("session")
    assert after is not None and (before is None or before.value != after.value)
    assert after.http_only
    assert after.same_site == "Lax"
    assert client.get_cookie("remember_token") is None


def test_logout_needs_csrf_and_signs_out(client, world):
    login_as(client, world.email)
    assert client.post("/logout").status_code == 400
    token = csrf_token(client, "/")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("target, expected", [
    ("/groups/new", "/groups/new"),
    ("https://evil.example/", "/"),
    ("//evil.example/x", "/"),
    ("/\\evil.example", "/"),
    ("javascript:alert(1)", "/"),
])
def test_next_redirects_only_to_our_own_paths(client, world, target, expected):
    token = csrf_token(client)
    response = client.post(f"/login?next={target}", data={
        "email": world.email, "password": PASSWORD, "csrf_token": token})
    assert response.headers["Location"] == expected


def test_ten_failures_for_one_account_answer_429(client, world):
    for _ in range(10):
        login_as(client, world.email, "wrong password here")
    response = login_as(client, world.email)
    assert response.status_code == 429
    assert "Too many attempts" in response.get_data(as_text=True)


def test_join_link_signs_participant_in_and_lands_on_current_session(client, world):
    response = client.get(world.join_paths[0])
    assert response.status_code == 302
    assert response.headers["Location"] == f"/sessions/{world.session_id}/live"
    page = client.get(response.headers["Location"])
    assert page.status_code == 302  # first the notice "who sees what" (tests/test_safety.py)
    assert page.headers["Location"].startswith("/notice?next=")
    accept_notice(client, page.headers["Location"])
    page = client.get(response.headers["Location"])
    assert page.status_code == 200


def test_join_link_works_again_on_a_second_device(app, world):
    for _ in range(2):
        assert app.test_client().get(world.join_paths[0]).status_code == 302


def test_unknown_join_link_is_a_calm_404(client):
    response = client.get("/join/not-a-real-token")
    assert response.status_code == 404
    assert "not valid" in response.get_data(as_text=True)


def test_participant_cannot_open_the_console_or_another_groups_session(app, client, world):
    other = make_group(app, name="Thursday group")
    client.get(world.join_paths[0])
    assert client.get(f"/sessions/{world.session_id}/console").status_code == 403
    assert client.get(f"/sessions/{other.session_id}/live").status_code == 403
    assert client.get(f"/groups/{world.group_id}").status_code == 403


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}


def test_security_headers_on_every_response(client):
    for path in ("/login", "/healthz", "/join/nope", "/static/css/app.css"):
        response = client.get(path)
        response.close()
        headers = response.headers
        csp = headers["Content-Security-Policy"]
        assert "unsafe-inline" not in csp and "object-src 'none'" in csp
        assert "base-uri 'none'" in csp and "frame-ancestors 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"]


def test_a_live_event_reads_the_connection_s_session_not_the_cookie(app, world, monkeypatch):
    """Flask-SocketIO keeps each connection's session; the cookie is opened once, at connect."""
    opened = []
    original = SecureCookieSessionInterface.open_session

    def spy(interface, flask_app, request):
        opened.append(request.path)
        return original(interface, flask_app, request)

    monkeypatch.setattr(SecureCookieSessionInterface, "open_session", spy)
    http = app.test_client()
    login_as(http, world.email)
    sock = live(app, http)
    assert sock.is_connected(NAMESPACE)
    opened.clear()
    for _ in range(3):
        assert joined(sock, world.session_id)["me"]["kind"] == "facilitator"
    assert opened == []
    assert "Tuesday group" in http.get("/").get_data(as_text=True)
    assert opened == ["/"], "an HTTP request still opens its cookie"
