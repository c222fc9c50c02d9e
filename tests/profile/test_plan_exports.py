"""Exports carry each member's plan: the identified one its structured fields, the
de-identified one only problem areas, the baseline total and the status."""

import csv
import io
import re

from helpers import login_as
from helpers.profile import BASELINE, GOALS, seed_plan

from facilitator.extensions import db
from facilitator.models import Participant, PreGroupMeeting

SECRETS = ["Person 1", "Person 2", "Tuesday group", *GOALS, "My brother", "Last winter",
           "Dad moved in", "Worn out by caring", "Caring for my dad", "Gran's care home",
           "Drinks daily"]


def seed(app, world) -> int:
    """Member 1 has a finished plan, referred elsewhere; member 2 has none."""
    member_id = seed_plan(app, world, referred_to="Gran's care home")
    with app.app_context():
        meeting = db.session.scalar(db.select(PreGroupMeeting))
        meeting.eligibility = {**meeting.eligibility,
                               "substance_use": {"answer": True, "note": "Drinks daily"}}
        db.session.commit()
    return member_id


def download(client, world, kind: str, deidentified: bool):
    """An export's body."""
    query = "?deidentified=1" if deidentified else ""
    response = client.get(f"/groups/{world.group_id}/export.{kind}{query}")
    assert response.status_code == 200
    return response


def test_the_identified_json_holds_the_meetings_structured_fields(app, client, world):
    seed(app, world)
    login_as(client, world.email)
    people = download(client, world, "json", False).get_json()["participants"]
    plan = people[0]["plan"]
    assert {k: plan[k] for k in ("status", "problem_area", "second_problem_area",
                                 "baseline_phq9", "baseline_item9", "meeting_mode",
                                 "referred_to", "recorded_elsewhere", "inventory_people",
                                 "timeline_entries", "goals", "shared_summary")} == {
        "status": "enrolled", "problem_area": "role_dispute",
        "second_problem_area": "role_transition", "baseline_phq9": sum(BASELINE),
        "baseline_item9": 0, "meeting_mode": "phone", "referred_to": "Gran's care home",
        "recorded_elsewhere": False, "inventory_people": 1, "timeline_entries": 1,
        "goals": GOALS, "shared_summary": "Caring for my dad and sharing it fairly."}
    assert (plan["fit_suicide_plan"], plan["fit_substance_use"]) == (False, True)
    assert plan["psychoeducation_covered"] == ["common", "treatable", "not_your_fault",
                                               "do_less"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", plan["baseline_date"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", plan["consent_date"])
    assert "My brother" not in str(plan) and "Worn out" not in str(plan)  # never exported
    nobody = people[1]["plan"]
    assert nobody["baseline_phq9"] is None and nobody["goals"] == []
    assert nobody["meeting_mode"] is None and nobody["status"] == "enrolled"


def test_the_identified_csv_holds_them_on_every_row(app, client, world):
    seed(app, world)
    login_as(client, world.email)
    body = download(client, world, "csv", False).get_data(as_text=True)
    rows = [r for r in csv.DictReader(io.StringIO(body)) if r["participant_code"] == "P01"]
    assert len(rows) == 8
    assert {(r["problem_area"], r["baseline_phq9"], r["fit_substance_use"], r["goals"])
            for r in rows} == {("role_dispute", "16", "yes", " | ".join(GOALS))}


def test_the_deidentified_exports_hold_only_area_baseline_and_status(app, client, world):
    seed(app, world)
    with app.app_context():
        db.session.get(Participant, world.participant_ids[1]).problem_area = "grief"
        db.session.commit()
    login_as(client, world.email)
    document = download(client, world, "json", True)
    people = document.get_json()["participants"]
    assert people[0]["plan"] == {"status": "enrolled", "problem_area": "role_dispute",
                                 "second_problem_area": "role_transition",
                                 "baseline_phq9": 16}
    assert people[1]["plan"]["problem_area"] == "grief"
    body = download(client, world, "csv", True).get_data(as_text=True)
    for text in (document.get_data(as_text=True), body):
        for secret in SECRETS:
            assert secret not in text
        assert not re.search(r"\d{4}-\d\d-\d\d", text)  # no dates
    header = next(csv.reader(io.StringIO(body)))
    assert header[-4:] == ["status", "problem_area", "second_problem_area", "baseline_phq9"]
