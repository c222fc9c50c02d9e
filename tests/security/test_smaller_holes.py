"""The smaller holes of issue 19 (item 6), each closed."""

import os
import stat
import subprocess
import sys
from pathlib import Path

from helpers import (
    PASSWORD,
    csrf_token,
    emit,
    joined,
    live,
    login_as,
    participant_socket,
)

from facilitator.extensions import db
from facilitator.models import Facilitator
from facilitator.services import programme, tokens
from facilitator.services.text import TEXT_REFUSED

FACILITATOR = str(Path(sys.executable).with_name("facilitator"))
ROOT = Path(__file__).resolve().parents[2]


def test_next_with_a_line_break_is_a_redirect_to_the_dashboard(client, world):
    token = csrf_token(client)
    answer = client.post("/login?next=/%0D%0A//evil.example", data={
        "email": world.email, "password": PASSWORD, "csrf_token": token})
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/"


def test_a_revoked_api_token_stays_revoked_when_its_owner_is_made_administrator_again(
        app, client, world):
    with app.app_context():
        person = db.session.get(Facilitator, world.facilitator_id)
        programme.set_admin(person, True)
        _, raw = tokens.issue(person, "reports")
    bearer = {"Authorization": f"Bearer {raw}"}
    assert client.get("/api/v1/groups", headers=bearer).status_code == 200
    with app.app_context():
        person = db.session.get(Facilitator, world.facilitator_id)
        programme.set_admin(person, False)
        programme.set_admin(person, True)
    assert client.get("/api/v1/groups", headers=bearer).status_code == 401


def test_a_join_link_in_a_facilitators_browser_signs_them_out_everywhere(app, client, world):
    login_as(client, world.email)
    elsewhere = app.test_client()
    elsewhere.set_cookie("session", client.get_cookie("session").value)
    assert elsewhere.get("/").status_code == 200
    console = live(app, client)
    assert console.is_connected("/live")
    assert client.get(world.join_paths[0]).status_code == 302
    assert elsewhere.get("/").status_code == 302  # the other sign-in ended too
    assert not console.is_connected("/live")


def test_forms_refuse_nul_and_bidi_overrides_as_live_events_do(app, client, world):
    login_as(client, world.email)
    for name in ("Tuesday\x00group", "Tuesday \u202egroup", "Tues\u2066day"):
        answer = client.post("/groups/new", data={
            "name": name, "crisis_resources": "Call 988", "template": "who8",
            "csrf_token": csrf_token(client, "/groups/new")})
        assert answer.status_code == 400
        assert TEXT_REFUSED.split(";")[0] in answer.get_data(as_text=True)
    fac = live(app, client)
    joined(fac, world.session_id)
    emit(fac, "session:start", {"session_id": world.session_id})
    person = participant_socket(app, world)
    ack = emit(person, "card:submit", {"session_id": world.session_id, "client_id": "bidi-card-1",
                                       "text": "evil \u202e text", "problem_area": "grief"})
    assert ack["ok"] is False and ack["error"]["code"] == "invalid"
    assert TEXT_REFUSED in ack["error"]["message"]
    ack = emit(person, "card:submit", {"session_id": world.session_id, "client_id": "rtl-card-1",
                                       "text": "שלום, مرحبا", "problem_area": "grief"})
    assert ack["ok"] is True, ack


def test_the_sqlite_files_of_make_run_are_readable_by_their_owner_only(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'data' / 'facilitator.sqlite3'}"
    env["SECRET_KEY"] = "test-secret"
    done = subprocess.run([FACILITATOR, "demo", "--json"], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    files = list((tmp_path / "data").iterdir())
    assert any(p.name == "facilitator.sqlite3" for p in files)
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert stat.S_IMODE((tmp_path / "data").stat().st_mode) == 0o700

