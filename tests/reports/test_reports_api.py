"""The read-only programme API: Bearer tokens of administrators, de-identified data."""

import json

import pytest
from helpers import login_as, make_group
from helpers.reports import run_session
from programme_helpers import api_token, bearer, make_admin

from facilitator.extensions import db
from facilitator.models import AuditEvent, Facilitator
from facilitator.services import Refused, programme, tokens


@pytest.fixture
def admin_id(app):
    """A programme administrator."""
    return make_admin(app)


@pytest.fixture
def token(app, admin_id):
    """A valid API token of the administrator."""
    return api_token(app, admin_id)


@pytest.fixture
def course(app, world):
    """Two sessions of the world's group: Person 1 goes 20 -> 9, Person 2 12 -> 10."""
    run_session(app, world, 1, {0: (3, 20), 1: (4, 12)}, present=[0, 1, 2])
    run_session(app, world, 2, {0: (6, 9), 1: (5, 10)})
    return world


def get(client, path: str, raw: str | None):
    """GET an API path with the token (if any); return the response."""
    return client.get(f"/api/v1{path}", headers=bearer(raw) if raw else {})


def test_groups_list_every_group(app, client, token, course):
    make_group(app, name="Thursday group", email="kim@example.org")
    response = get(client, "/groups", token)
    assert response.status_code == 200
    names = [(g["name"], g["participants"], g["sessions_ended"]) for g in response.json["groups"]]
    assert names == [("Tuesday group", 3, 2), ("Thursday group", 3, 0)]
    assert response.json["groups"][0]["facilitators"] == [
        {"id": course.facilitator_id, "name": "Sam Lead", "role": "lead"}]


def test_outcomes_are_deidentified(client, token, course):
    body = get(client, f"/groups/{course.group_id}/outcomes", token).json
    first = body["participants"][0]
    assert first["code"] == "P01"
    assert first["measures"] == [
        {"session": 1, "mood": 3, "phq9_total": 20, "severity": "severe", "phq9_answered": 9,
         "item9": 0},
        {"session": 2, "mood": 6, "phq9_total": 9, "severity": "mild", "phq9_answered": 9,
         "item9": 0}]
    assert first["outcome"]["response"] is True and first["outcome"]["recovery"] is True
    assert body["totals"]["measured"] == 2 and body["totals"]["response"] == 1
    assert body["group_means"][1] == {"session": 2, "phq9_total": 9.5, "mood": 5.5, "count": 2}
    assert "Person" not in json.dumps(body)


def test_sessions_and_attendance(client, token, course):
    sessions = get(client, f"/groups/{course.group_id}/sessions", token).json["sessions"]
    assert [(s["number"], s["status"], s["present"]) for s in sessions[:3]] == [
        (1, "ended", 3), (2, "ended", 2), (3, "scheduled", 0)]
    assert sessions[0]["started_at"].endswith("Z")
    people = get(client, f"/groups/{course.group_id}/attendance", token).json["participants"]
    assert [(p["code"], p["sessions_attended"], p["sessions_expected"]) for p in people] == [
        ("P01", 2, 2), ("P02", 2, 2), ("P03", 1, 2)]
    assert people[2]["attendance"][1] == {"session": 2, "status": "missed"}


def test_reads_of_participant_data_are_audited(app, client, token, admin_id, course):
    for path in ("sessions", "attendance", "outcomes"):
        get(client, f"/groups/{course.group_id}/{path}", token)
    with app.app_context():
        events = [(e.facilitator_id, e.action, e.subject)
                  for e in db.session.query(AuditEvent).filter_by(action="api")]
    assert events == [(admin_id, "api", f"GET /api/v1/groups/{course.group_id}/{p}")
                      for p in ("sessions", "attendance", "outcomes")]


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer nonsense", "Basic abc",
                                    "bearer fac_wrong"])
def test_without_a_valid_token_the_answer_is_401(client, world, header):
    response = client.get(f"/api/v1/groups/{world.group_id}/outcomes",
                          headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="facilitator"'
    assert response.json["error"]["code"] == 401


def test_a_signed_in_cookie_is_not_enough(app, client, admin_id):
    login_as(client, "admin@example.org")
    assert client.get("/api/v1/groups").status_code == 401


def test_a_revoked_token_stops_working(app, client, token, admin_id):
    assert get(client, "/groups", token).status_code == 200
    with app.app_context():
        (issued,) = tokens.tokens_of(db.session.get(Facilitator, admin_id))
        tokens.revoke(db.session.get(Facilitator, admin_id), issued.id)
    assert get(client, "/groups", token).status_code == 401


def test_a_token_stops_working_when_its_owner_is_no_longer_admin(app, client, token, admin_id):
    with app.app_context():
        programme.set_admin(db.session.get(Facilitator, admin_id), False)
    assert get(client, "/groups", token).status_code == 401


def test_only_administrators_get_tokens(app, world):
    with app.app_context(), pytest.raises(Refused):
        tokens.issue(db.session.get(Facilitator, world.facilitator_id), "mine")


def test_unknown_group_is_404_json(client, token):
    for path in ("/groups/999", "/groups/999/outcomes", "/groups/99999999999999999999"):
        response = get(client, path, token)
        assert response.status_code == 404, path
        assert response.json["error"]["code"] == 404


def test_the_api_is_read_only(client, token, world):
    response = client.post("/api/v1/groups", headers=bearer(token))
    assert response.status_code == 405


def test_openapi_document_is_public_and_describes_every_path(client):
    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"].startswith("3.0")
    assert sorted(document["paths"]) == [
        "/groups", "/groups/{group_id}", "/groups/{group_id}/attendance",
        "/groups/{group_id}/outcomes", "/groups/{group_id}/sessions", "/outcomes", "/quality"]
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
