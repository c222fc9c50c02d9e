"""Sign-in sessions: production cookies, HSTS, idle timeout and absolute lifetime."""

import re
import time

import pytest
from helpers import PASSWORD, TEST_CONFIG, live, login_as

from facilitator import create_app


@pytest.fixture
def production_app(app):
    """The same database, served with the production configuration."""
    config = {**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
              "PRODUCTION": True}
    return create_app(config)


def test_production_cookie_is_host_prefixed_secure_httponly_samesite(production_app, world):
    client = production_app.test_client()
    https = "https://localhost/"
    page = client.get("/login", base_url=https).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post("/login", base_url=https, headers={"Referer": https + "login"},
                           data={"email": world.email, "password": PASSWORD,
                                 "csrf_token": token})
    assert response.status_code == 302
    cookie = next(h for h in response.headers.getlist("Set-Cookie")
                  if h.startswith("__Host-session="))
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
    assert {"secure", "httponly", "samesite", "path"} <= attributes
    assert "domain" not in attributes
    assert "Path=/" in cookie
    assert not any("remember" in h for h in response.headers.getlist("Set-Cookie"))


def test_production_sends_hsts(production_app):
    headers = production_app.test_client().get("/login").headers
    assert "max-age=31536000" in headers["Strict-Transport-Security"]


def test_development_sends_no_hsts(client):
    assert "Strict-Transport-Security" not in client.get("/login").headers


def age_session(client, **ages):
    """Move the session's clocks back by ``ages`` seconds."""
    with client.session_transaction() as session:
        for key, seconds in ages.items():
            session[key] = time.time() - seconds


def test_idle_timeout_signs_out(app, client, world):
    login_as(client, world.email)
    assert client.get("/").status_code == 200
    age_session(client, seen_at=31 * 60)
    assert client.get("/").status_code == 302
    assert not live(app, client).is_connected("/live")


def test_activity_keeps_the_session_alive(app, client, world):
    login_as(client, world.email)
    age_session(client, seen_at=29 * 60)
    assert client.get("/").status_code == 200
    assert live(app, client).is_connected("/live")


def test_absolute_lifetime_of_twelve_hours(app, client, world):
    login_as(client, world.email)
    age_session(client, signed_in_at=12 * 3600 + 60)
    assert client.get("/").status_code == 302


def test_idle_timeout_is_configurable(app, world):
    app.config["IDLE_TIMEOUT_MINUTES"] = 5
    client = app.test_client()
    login_as(client, world.email)
    age_session(client, seen_at=6 * 60)
    assert client.get("/").status_code == 302


def test_a_cookie_copied_before_sign_out_stops_working(app, client, world):
    login_as(client, world.email)
    stolen = client.get_cookie("session").value
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"',
                                    client.get("/").get_data(as_text=True)).group(1)
    client.post("/logout", data={"csrf_token": token})
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert thief.get("/").status_code == 302
    assert not live(app, thief).is_connected("/live")
