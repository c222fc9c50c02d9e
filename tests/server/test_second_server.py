"""A second server on a busy port, and a ``connections`` table that lost its rows (issue 19, 2).

Closing a person's sockets at sign-out or revocation must not depend on one table: a second
``facilitator serve`` on the same port used to bind it too and clear the live worker's rows.
"""

import subprocess

import pytest
from helpers.server import FACILITATOR, ROOT, connect, csrf_token, join, participant_cookies
from sqlalchemy import create_engine, text

from facilitator.config import normalise_database_url

from .test_live_signout import revoke, signed_in_facilitator

pytestmark = pytest.mark.server


def connection_rows(server) -> int:
    """How many rows the server's ``connections`` table holds."""
    engine = create_engine(normalise_database_url(server.env["DATABASE_URL"]))
    try:
        with engine.connect() as db:
            return db.execute(text("SELECT count(*) FROM connections")).scalar_one()
    finally:
        engine.dispose()


def forget_all_connections(server) -> None:
    """Delete every row of the ``connections`` table, as a lost table would."""
    engine = create_engine(normalise_database_url(server.env["DATABASE_URL"]))
    try:
        with engine.begin() as db:
            db.execute(text("DELETE FROM connections"))
    finally:
        engine.dispose()


def test_a_second_serve_on_a_busy_port_stops_and_the_first_keeps_closing_sockets(live_server):
    base, group = live_server.base_url, live_server.group()
    person = group["participants"][0]
    member = connect(base, participant_cookies(base, person["join_path"]))
    try:
        join(member, group["session_id"])
        rows = connection_rows(live_server)
        second = subprocess.run(
            [FACILITATOR, "serve", "--host", "127.0.0.1", "--port", str(live_server.port)],
            env=live_server.env, cwd=ROOT, capture_output=True, text=True, timeout=60,
            check=False)
        assert second.returncode != 0
        assert f"Cannot listen on 127.0.0.1:{live_server.port}" in second.stderr
        assert "Traceback" not in second.stderr
        assert connection_rows(live_server) == rows >= 1
        with signed_in_facilitator(live_server, group) as http:
            answer = revoke(http, base, group["group_id"], person["participant_id"])
            assert answer.status_code == 302
        member.wait_for_disconnect()
    finally:
        member.disconnect()


def test_sign_out_and_revocation_close_sockets_whose_rows_are_lost(live_server):
    base, group = live_server.base_url, live_server.group(1)
    person = group["participants"][1]
    member = connect(base, participant_cookies(base, person["join_path"]))
    with signed_in_facilitator(live_server, group) as http:
        lead = connect(base, http.cookies.get_dict())
        try:
            join(lead, group["session_id"])
            join(member, group["session_id"])
            forget_all_connections(live_server)
            assert revoke(http, base, group["group_id"],
                          person["participant_id"]).status_code == 302
            member.wait_for_disconnect()
            token = csrf_token(http.get(base + "/", timeout=10).text)
            assert http.post(base + "/logout", data={"csrf_token": token}, timeout=10,
                             allow_redirects=False).status_code == 302
            lead.wait_for_disconnect()
        finally:
            member.disconnect()
            lead.disconnect()
