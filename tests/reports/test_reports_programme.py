"""The programme view: administrators see every group, set teams and manage API tokens."""

import re

import pytest
from helpers import csrf_token, facilitator_socket, joined, login_as, make_group
from helpers.reports import row_of, run_session, tables
from programme_helpers import admin_client, make_admin

from facilitator.extensions import db
from facilitator.models import ApiToken, AuditEvent, Facilitator
from facilitator.services.tokens import digest


@pytest.fixture
def two_groups(app, world):
    """The world's group with two sessions run and an open alert, and a quiet second group."""
    run_session(app, world, 1, {0: (3, 20), 1: (4, 12)}, present=[0, 1, 2])
    live = run_session(app, world, 2, {0: (6, 9), 1: (5, 10)}, end=False)
    live.check_in(1, 2, 12, needs_support=True)
    live.end()
    other = make_group(app, participants=2, name="Thursday group", email="kim@example.org")
    return world, other


def test_make_admin_command(app, runner, world):
    result = runner.invoke(args=["programme", "make-admin", world.email.upper()])
    assert result.exit_code == 0, result.output
    assert "is now a programme administrator" in result.output
    with app.app_context():
        assert db.session.get(Facilitator, world.facilitator_id).is_admin is True
    result = runner.invoke(args=["programme", "make-admin", "--remove", world.email])
    with app.app_context():
        assert db.session.get(Facilitator, world.facilitator_id).is_admin is False
    assert runner.invoke(args=["programme", "make-admin", "nobody@example.org"]).exit_code != 0


def test_programme_shows_every_group(app, two_groups):
    admin = admin_client(app)
    html = admin.get("/programme").get_data(as_text=True)
    rows = tables(html)["programme-groups"]
    assert rows[0] == ["Group", "Facilitators", "Sessions ended", "Open alerts", "Figures",
                       "Enrolled", "Attendance", "Two or more measures", "No data", "Response",
                       "Remission", "Reliable improvement", "Recovery", "Overdue follow-ups",
                       "Alert to acknowledgement"]
    tuesday = row_of(rows, "Tuesday group Team · Attendance")
    # Person 3 came once without a PHQ-9: no data, counted among the enrolled all the same.
    assert tuesday[1:13] == ["Sam Lead", "2 of 8", "1 open", "so far", "3", "83% (5/6)", "2",
                             "1", "1 (33% of enrolled; 50% of measured)",
                             "0 (0% of enrolled; 0% of measured)",
                             "1 (33% of enrolled; 50% of measured)",
                             "1 (33% of enrolled; 50% of measured)"]
    assert tuesday[13:] == ["0", "— (none acknowledged) 1 not acknowledged"]
    thursday = row_of(rows, "Thursday group Team · Attendance")
    assert thursday[2:10] == ["0 of 8", "0", "so far", "2", "— (0/0)", "0", "2",
                              "0 (0% of enrolled)"]


def test_programme_adds_up_per_facilitator(app, two_groups):
    admin = admin_client(app)
    rows = tables(admin.get("/programme").get_data(as_text=True))["programme-facilitators"]
    lead = next(row for row in rows if row[0].startswith("Sam Lead lead1@example.org"))
    assert lead[1:7] == ["1 lead, 0 co", "so far", "3", "83% (5/6)", "2", "1"]
    ada = next(row for row in rows if row[0].startswith("Ada Admin admin"))
    assert ada[1:4] == ["0 lead, 0 co", "—", "0"]


def test_only_administrators_see_the_programme(app, client, world):
    assert client.get("/programme").status_code == 302
    login_as(client, world.email)
    for path in ("/programme", "/programme/tokens", f"/programme/groups/{world.group_id}/team"):
        assert client.get(path).status_code == 403, path


def test_an_administrator_reads_any_groups_reports(app, two_groups):
    world, _ = two_groups
    admin = admin_client(app)
    assert admin.get(f"/groups/{world.group_id}/outcomes").status_code == 200
    assert admin.get(f"/sessions/{world.session_id}/summary").status_code == 200
    assert admin.get(f"/groups/{world.group_id}/export.csv?deidentified=1").status_code == 200


def add_to_team(admin, group_id: int, facilitator_id: int, role: str = "co"):
    """Post the team form."""
    path = f"/programme/groups/{group_id}/team"
    return admin.post(path, data={"csrf_token": csrf_token(admin, path),
                                  "facilitator_id": facilitator_id, "role": role})


def test_a_co_facilitator_gets_the_live_console(app, two_groups):
    world, other = two_groups
    admin = admin_client(app)
    response = add_to_team(admin, world.group_id, other.facilitator_id)
    assert response.status_code == 302
    team = tables(admin.get(f"/programme/groups/{world.group_id}/team")
                  .get_data(as_text=True))["team"]
    assert [row[:2] for row in team[1:]] == [["Sam Lead lead1@example.org", "Lead"],
                                             ["Sam Lead kim@example.org", "Co-facilitator"]]
    kim = app.test_client()
    login_as(kim, "kim@example.org")
    assert kim.get(f"/groups/{world.group_id}").status_code == 200
    sock = facilitator_socket(app, other)  # signed in as Kim, now also in the world's group
    state = joined(sock, world.session_ids[2])
    assert state["me"]["kind"] == "facilitator"
    with app.app_context():
        subjects = [(e.action, e.subject) for e in db.session.query(AuditEvent)]
    assert ("team.assign", f"facilitator {other.facilitator_id} as co") in subjects


def test_removing_a_co_facilitator_takes_the_rights_away(app, two_groups):
    world, other = two_groups
    admin = admin_client(app)
    add_to_team(admin, world.group_id, other.facilitator_id)
    path = f"/programme/groups/{world.group_id}/team"
    admin.post(f"{path}/{other.facilitator_id}/remove",
               data={"csrf_token": csrf_token(admin, path)})
    kim = app.test_client()
    login_as(kim, "kim@example.org")
    assert kim.get(f"/groups/{world.group_id}").status_code == 403


def test_a_group_keeps_a_lead(app, world):
    admin = admin_client(app)
    path = f"/programme/groups/{world.group_id}/team"
    response = admin.post(f"{path}/{world.facilitator_id}/remove",
                          data={"csrf_token": csrf_token(admin, path)}, follow_redirects=True)
    assert "A group needs a lead: make someone else lead first." in response.get_data(
        as_text=True)
    lead = app.test_client()
    login_as(lead, world.email)
    assert lead.get(f"/groups/{world.group_id}").status_code == 200


def test_team_changes_need_the_form_token(app, world):
    admin = admin_client(app)
    other = make_admin(app, "other-admin@example.org")
    response = admin.post(f"/programme/groups/{world.group_id}/team",
                          data={"facilitator_id": other, "role": "co"})
    assert response.status_code == 400


def test_issuing_a_token_shows_it_once_and_keeps_only_its_hash(app):
    admin = admin_client(app)
    response = admin.post("/programme/tokens", data={
        "csrf_token": csrf_token(admin, "/programme/tokens"), "name": "monthly dashboard"})
    html = response.get_data(as_text=True)
    secret = re.search(r'id="new-token" readonly value="(fac_[^"]+)"', html).group(1)
    with app.app_context():
        (token,) = db.session.query(ApiToken).all()
        assert token.token_hash == digest(secret) and secret not in token.token_hash
        assert token.name == "monthly dashboard" and secret.startswith(token.prefix)
    again = admin.get("/programme/tokens").get_data(as_text=True)
    assert secret not in again and f"{token.prefix}…" in again


def test_revoking_a_token(app):
    admin = admin_client(app)
    admin.post("/programme/tokens", data={
        "csrf_token": csrf_token(admin, "/programme/tokens"), "name": "x"})
    with app.app_context():
        token_id = db.session.query(ApiToken).one().id
    admin.post(f"/programme/tokens/{token_id}/revoke",
               data={"csrf_token": csrf_token(admin, "/programme/tokens")})
    rows = tables(admin.get("/programme/tokens").get_data(as_text=True))["tokens"]
    assert rows[1][4] == "revoked"
    other = admin_client(app, "second@example.org")
    response = other.post(f"/programme/tokens/{token_id}/revoke",
                          data={"csrf_token": csrf_token(other, "/programme/tokens")})
    assert response.status_code == 404, "one administrator cannot revoke another's token"
