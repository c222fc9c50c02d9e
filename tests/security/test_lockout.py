"""Sign-in throttling that nobody can turn against a facilitator (issue 19, item 4).

Ten wrong passwords from anywhere used to lock the account for everyone, its owner included.
A browser that signed in successfully before (OWASP's device cookie) keeps signing in; its
own guesses stay bounded; the owner learns of the failures at their next sign-in.
"""

import re

from helpers import PASSWORD, csrf_token

from facilitator.models import LoginAttempt

ATTACKER = {"REMOTE_ADDR": "203.0.113.9"}
CLINIC = {"REMOTE_ADDR": "198.51.100.20"}


def browser_at(app, environ: dict):
    """A new browser (its own cookie jar) at a client address."""
    client = app.test_client()
    client.environ_base.update(environ)
    return client


def post_login(client, email: str, password: str):
    """Post the sign-in form as the browser ``client``."""
    return client.post("/login", data={"email": email, "password": password,
                                       "csrf_token": csrf_token(client)})


def sign_out(client) -> None:
    """Press "sign out"."""
    page = client.get("/").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302


def trusted_browser(app, world):
    """The facilitator's own browser: it signed in successfully once, then signed out."""
    client = browser_at(app, CLINIC)
    assert post_login(client, world.email, PASSWORD).status_code == 302
    assert client.get_cookie("device") is not None
    sign_out(client)
    return client


def guess(app, email: str, times: int, **environ) -> list[int]:
    """Wrong passwords from an attacker's browser; the status of each answer."""
    attacker = browser_at(app, {**ATTACKER, **environ})
    return [post_login(attacker, email, f"not the password {n}").status_code
            for n in range(times)]


def test_failures_from_elsewhere_do_not_lock_out_a_browser_that_signed_in_before(app, world):
    own = trusted_browser(app, world)
    assert guess(app, world.email, 12)[-2:] == [429, 429]
    answer = post_login(own, world.email, PASSWORD)
    assert answer.status_code == 302
    page = own.get(answer.headers["Location"]).get_data(as_text=True)
    assert "someone tried to sign in to your account 10 times" in page


def test_a_browser_that_never_signed_in_is_still_paused(app, world):
    guess(app, world.email, 10)
    stranger = browser_at(app, CLINIC)
    assert post_login(stranger, world.email, PASSWORD).status_code == 429


def test_guessing_from_a_trusted_browser_is_bounded_too(app, world):
    own = trusted_browser(app, world)
    statuses = [post_login(own, world.email, f"wrong {n}").status_code for n in range(11)]
    assert statuses[:10] == [200] * 10 and statuses[10] == 429
    assert post_login(own, world.email, PASSWORD).status_code == 429
    other = browser_at(app, CLINIC)  # other browsers are not paused by those
    assert post_login(other, world.email, PASSWORD).status_code == 302


def test_a_device_cookie_of_another_account_or_a_forged_one_does_not_help(app, world):
    own = trusted_browser(app, world)
    guess(app, "someone.else@example.org", 10)
    assert post_login(own, "someone.else@example.org", PASSWORD).status_code == 429
    guess(app, world.email, 10, REMOTE_ADDR="203.0.113.10")  # the first address is paused
    forged = browser_at(app, CLINIC)
    forged.set_cookie("device", own.get_cookie("device").value[:-4] + "AAAA")
    assert post_login(forged, world.email, PASSWORD).status_code == 429


def test_the_notice_is_given_once(app, world):
    own = trusted_browser(app, world)
    guess(app, world.email, 1)
    page = own.get(post_login(own, world.email, PASSWORD).headers["Location"])
    assert "tried to sign in to your account once" in page.get_data(as_text=True)
    sign_out(own)
    page = own.get(post_login(own, world.email, PASSWORD).headers["Location"])
    assert "tried to sign in" not in page.get_data(as_text=True)
    with app.app_context():
        from facilitator.extensions import db
        assert db.session.query(LoginAttempt).count() == 1
