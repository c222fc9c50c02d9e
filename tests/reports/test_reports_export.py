"""Exports: CSV and JSON of sessions, attendance, measures and outcomes, identified or not,
each one written to the audit trail."""

import csv
import io
import json
import uuid

import pytest
from helpers import emit, login_as, make_group
from helpers.reports import LiveSession, ok

from facilitator.extensions import db
from facilitator.models import AuditEvent, Group
from facilitator.services import groups as rules
from facilitator.services.exports import PLAN_IDENTIFIED

FREE_TEXT = ["Rough week at work", "Call one friend", "Called Jo on Sunday",
             "My sister listened", "Asking for help"]


@pytest.fixture
def course(app, world):
    """Two sessions with notes, homework, a reflection, a card and a theme."""
    first = LiveSession(app, world, 1, present=[0, 1, 2])
    first.check_in(0, 3, 20, note="Rough week at work")
    first.check_in(1, 5, 12)
    homework = first.facilitator("homework:assign", text="Call one friend")
    first.participant(0, "reflection:submit", client_id=str(uuid.uuid4()),
                      assignment_id=homework["assignment_id"], text="Called Jo on Sunday")
    first.participant(1, "card:submit", session_id=first.session_id,
                      client_id=str(uuid.uuid4()), text="My sister listened",
                      problem_area="grief", anonymous=True)
    first.facilitator("theme:create", title="Asking for help", problem_area="grief")
    first.end()
    second = LiveSession(app, world, 2, present=[0, 1])
    second.check_in(0, 6, 9)
    second.check_in(1, 5, 11)
    second.end()
    return world


@pytest.fixture
def lead(client, world):
    """The HTTP client signed in as the group's facilitator."""
    login_as(client, world.email)
    return client


def download(client, world, kind: str, deidentified: bool = False):
    """GET an export; assert it is an attachment that is not cached; return the response."""
    query = "?deidentified=1" if deidentified else ""
    response = client.get(f"/groups/{world.group_id}/export.{kind}{query}")
    assert response.status_code == 200
    suffix = "-deidentified" if deidentified else ""
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="group-{world.group_id}{suffix}.{kind}"')
    assert response.headers["Cache-Control"] == "no-store"
    return response


def csv_rows(response) -> list[dict]:
    """The rows of a CSV download."""
    assert response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def audit_subjects(app, group_id: int) -> list[tuple[str, str, int]]:
    """``(action, subject, facilitator_id)`` of the group's export audit events, oldest first."""
    with app.app_context():
        events = (db.session.query(AuditEvent).filter_by(group_id=group_id, action="export")
                  .order_by(AuditEvent.id))
        return [(e.action, e.subject, e.facilitator_id) for e in events]


def test_csv_has_a_row_per_participant_and_session(lead, course):
    rows = csv_rows(download(lead, course, "csv"))
    assert len(rows) == 3 * 8
    first = rows[0]
    assert list(first) == [
        "group_id", "session_number", "session_phase", "session_status", "session_date",
        "participant_code", "display_name", "attendance", "mood", "phq9_total", "severity",
        "phq9_answered", "item9", "item9_grade",
        "first_phq9", "first_measure", "latest_phq9", "phq9_change", "response", "remission",
        "reliable_improvement", "recovery", "notes", *PLAN_IDENTIFIED]
    assert {k: first[k] for k in ("session_number", "session_status", "participant_code",
                                  "display_name", "attendance", "mood", "phq9_total",
                                  "severity", "notes")} == {
        "session_number": "1", "session_status": "ended", "participant_code": "P01",
        "display_name": "Person 1", "attendance": "present", "mood": "3", "phq9_total": "20",
        "severity": "severe", "notes": "Rough week at work"}
    assert (first["first_phq9"], first["latest_phq9"], first["phq9_change"]) == ("20", "9", "-11")
    assert first["first_measure"] == "in_group", "no pre-group baseline in this group"
    assert (first["response"], first["remission"], first["reliable_improvement"],
            first["recovery"]) == ("yes", "no", "yes", "yes")
    assert len(first["session_date"]) == 10


def test_csv_shows_absence_and_outcomes_not_yet_known(lead, course):
    rows = csv_rows(download(lead, course, "csv"))
    third = [r for r in rows if r["participant_code"] == "P03"]
    assert [r["attendance"] for r in third[:3]] == ["present", "missed", "upcoming"]
    assert third[0]["phq9_total"] == "" and third[0]["response"] == ""
    ben = [r for r in rows if r["participant_code"] == "P02"]
    assert (ben[1]["phq9_total"], ben[1]["phq9_change"], ben[1]["response"]) == ("11", "-1", "no")


def test_deidentified_csv_has_codes_and_no_free_text(lead, course):
    response = download(lead, course, "csv", deidentified=True)
    body = response.get_data(as_text=True)
    rows = csv_rows(response)
    assert list(rows[0]) == [
        "group_id", "session_number", "session_phase", "session_status", "participant_code",
        "attendance", "mood", "phq9_total", "severity", "phq9_answered", "item9",
        "first_phq9", "first_measure", "latest_phq9",
        "phq9_change", "response", "remission", "reliable_improvement", "recovery",
        "status", "problem_area", "second_problem_area", "baseline_phq9"]
    assert sorted({r["participant_code"] for r in rows}) == ["P01", "P02", "P03"]
    for secret in ["Person 1", "Person 2", "Person 3", "Tuesday group", *FREE_TEXT]:
        assert secret not in body
    assert rows[0]["phq9_total"] == "20" and rows[0]["response"] == "yes"


def test_json_export_holds_everything(lead, course):
    document = download(lead, course, "json").get_json()
    assert document["deidentified"] is False
    assert document["group"]["name"] == "Tuesday group"
    assert [s["number"] for s in document["sessions"]] == list(range(1, 9))
    assert document["sessions"][0]["status"] == "ended" and document["sessions"][0]["started_at"]
    amina = document["participants"][0]
    assert (amina["code"], amina["display_name"]) == ("P01", "Person 1")
    assert amina["attendance"][:3] == [{"session": 1, "status": "present"},
                                       {"session": 2, "status": "present"},
                                       {"session": 3, "status": "upcoming"}]
    assert amina["measures"] == [
        {"session": 1, "mood": 3, "phq9_total": 20, "severity": "severe", "phq9_answered": 9,
         "item9": 0, "item9_grade": "not at all"},
        {"session": 2, "mood": 6, "phq9_total": 9, "severity": "mild", "phq9_answered": 9,
         "item9": 0, "item9_grade": "not at all"}]
    assert amina["outcome"]["response"] is True and amina["outcome"]["change"] == -11
    assert document["participants"][2]["missed_in_a_row"] == []
    assert document["group_means"][0] == {"session": 1, "phq9_total": 16.0, "mood": 4.0,
                                          "count": 2}
    dumped = json.dumps(document)
    for text in FREE_TEXT:
        assert text in dumped


def test_deidentified_json_has_codes_and_no_free_text(lead, course):
    document = download(lead, course, "json", deidentified=True).get_json()
    assert document["deidentified"] is True
    assert [p["code"] for p in document["participants"]] == ["P01", "P02", "P03"]
    assert document["participants"][0]["measures"][0]["phq9_total"] == 20
    dumped = json.dumps(document)
    for secret in ["Person ", "Tuesday group", "display_name", "participant_id", "started_at",
                   "note", "reflections", "cards", "themes", "homework", "title", *FREE_TEXT]:
        assert secret not in dumped, secret


def test_every_export_is_audited(app, lead, course):
    download(lead, course, "csv")
    download(lead, course, "csv", deidentified=True)
    download(lead, course, "json")
    download(lead, course, "json", deidentified=True)
    assert audit_subjects(app, course.group_id) == [
        ("export", "csv", course.facilitator_id),
        ("export", "csv de-identified", course.facilitator_id),
        ("export", "json", course.facilitator_id),
        ("export", "json de-identified", course.facilitator_id),
    ]


def test_a_refused_export_is_not_audited_and_leaks_nothing(app, client, world):
    other = make_group(app, name="Other")
    login_as(client, other.email)
    for kind in ("csv", "json"):
        response = client.get(f"/groups/{world.group_id}/export.{kind}")
        assert response.status_code == 403
        assert b"Person 1" not in response.data
    assert audit_subjects(app, world.group_id) == []
    assert client.get("/groups/999/export.csv").status_code == 404


def test_a_participant_cannot_export(app, client, world):
    client.get(world.join_paths[0])
    assert client.get(f"/groups/{world.group_id}/export.json").status_code == 403


def test_codes_are_stable_when_participants_are_added(app, lead, world):
    before = [r["participant_code"] + r["display_name"]
              for r in csv_rows(download(lead, world, "csv"))][::8]
    with app.app_context():
        rules.add_participant(db.session.get(Group, world.group_id), "Newcomer")
    after = [r["participant_code"] + r["display_name"]
             for r in csv_rows(download(lead, world, "csv"))][::8]
    assert before == ["P01Person 1", "P02Person 2", "P03Person 3"]
    assert after == [*before, "P04Newcomer"]


def test_spreadsheet_formulas_in_names_and_notes_are_defused(app, lead):
    world = make_group(app, participants=0, email="formula@example.org")
    with app.app_context():
        person = rules.add_participant(db.session.get(Group, world.group_id), "=HYPERLINK(1)",
                                       status="enrolled")
        world.participant_ids.append(person.id)
        world.join_paths.append(person.active_link.join_path)
    live = LiveSession(app, world, 1, present=[0])
    ok(emit(live.people[0], "checkin:submit", {
        "session_id": live.session_id, "client_id": str(uuid.uuid4()), "mood": 4,
        "note": "+1 for the group"}))
    live.end()
    login_as(lead, "formula@example.org")
    row = csv_rows(download(lead, world, "csv"))[0]
    assert row["display_name"] == "'=HYPERLINK(1)"
    assert row["notes"] == "'+1 for the group"
