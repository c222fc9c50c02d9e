"""Schemathesis against the programme API: every answer matches the OpenAPI document.

Each operation gets generated cases (valid and invalid group ids, with an administrator's
token) sent to the app in-process; ``call_and_validate`` runs Schemathesis's checks: no server
error, status codes, content types and bodies as documented.
"""

from datetime import timedelta

import pytest
import schemathesis
from helpers.quality import make_quality_world
from helpers.reports import run_session
from hypothesis import HealthCheck, given, settings
from programme_helpers import api_token, bearer, make_admin
from schemathesis import GenerationMode

from facilitator.extensions import db
from facilitator.models import Alert, CheckIn, Participant, PreGroupMeeting, RiskRecord, utcnow
from facilitator.views.api_spec import paths

OPERATIONS = sorted(paths())


def add_safety_rows(app, world) -> None:
    """A partly answered PHQ-9 (null total), an acknowledged alert with an overdue follow-up
    and an alert nobody acknowledged, so every safety and "no data" figure has a value."""
    now = utcnow()
    with app.app_context():
        db.session.add(CheckIn(session_id=world.session_ids[1],
                               participant_id=world.participant_ids[2], mood=4,
                               phq9=[None] * 8 + [2], phq9_total=None))
        alerts = [Alert(group_id=world.group_id, session_id=world.session_ids[1],
                        participant_id=world.participant_ids[2], reason="phq9_item9",
                        created_at=now - timedelta(hours=3), acknowledged_at=ack)
                  for ack in (now - timedelta(hours=2), None)]
        db.session.add_all(alerts)
        db.session.flush()
        db.session.add(RiskRecord(
            alert_id=alerts[0].id, group_id=world.group_id,
            participant_id=world.participant_ids[2], recorded_by_id=world.facilitator_id,
            asked_directly=True, thoughts="passive", plan=False, means=False,
            past_attempt=False, risk_level="medium", actions=["safety_plan"],
            follow_up_due=now - timedelta(hours=1)))
        db.session.commit()


def add_plan_rows(app, world) -> None:
    """Person 1 has a complete baseline (18) and a problem area, Person 2 a partly answered
    baseline and none, so outcomes by problem area and both first measures have values."""
    with app.app_context():
        first, second = (db.session.get(Participant, i) for i in world.participant_ids[:2])
        first.problem_area = "role_transition"
        db.session.add_all([
            PreGroupMeeting(participant_id=first.id, group_id=world.group_id,
                            baseline_phq9=[3, 3, 3, 3, 2, 2, 1, 1, 0], baseline_total=18,
                            baseline_at=utcnow()),
            PreGroupMeeting(participant_id=second.id, group_id=world.group_id,
                            baseline_phq9=[2] * 8 + [None], baseline_total=None)])
        db.session.commit()


@pytest.fixture
def api_schema(app, world):
    """The API's own OpenAPI document, loaded from the app, with a group that has data."""
    run_session(app, world, 1, {0: (3, 20), 1: (4, 12)}, present=[0, 1, 2])
    run_session(app, world, 2, {0: (6, 9)})
    add_safety_rows(app, world)
    add_plan_rows(app, world)
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


@pytest.fixture
def auth(app):
    """The Authorization header of an administrator's token."""
    return bearer(api_token(app, make_admin(app)))


def run(strategy, auth: dict, examples: int = 30) -> None:
    """Send ``examples`` generated cases and run Schemathesis's checks on each answer."""

    @given(case=strategy)
    @settings(max_examples=examples, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow])
    def check(case):
        case.call_and_validate(headers=auth)

    check()


@pytest.mark.parametrize("mode", list(GenerationMode), ids=lambda m: m.value)
@pytest.mark.parametrize("path", OPERATIONS)
def test_generated_requests_get_documented_answers(api_schema, auth, path, mode):
    run(api_schema[path]["GET"].as_strategy(generation_mode=mode), auth)


@pytest.mark.parametrize("path", [p for p in OPERATIONS if "{group_id}" in p])
def test_a_group_with_data_matches_the_document(api_schema, auth, world, path):
    operation = api_schema[path]["GET"]
    case = operation.Case(path_parameters={"group_id": world.group_id})
    response = case.call_and_validate(headers=auth)
    assert response.status_code == 200
    assert response.json()["group_id" if path != "/groups/{group_id}" else "id"] == world.group_id
    if path == "/groups/{group_id}":
        assert response.json()["safety"] == {
            "acknowledged_alerts": 1, "unacknowledged_alerts": 1,
            "median_seconds_to_acknowledge": 3600, "overdue_follow_ups": 1}
    if path == "/groups/{group_id}/outcomes":
        totals = response.json()["totals"]
        assert (totals["enrolled"], totals["measured"], totals["no_data"]) == (3, 1, 2)
        assert totals["so_far"] is True and totals["rates_enrolled"]["response"] == 0.333
        # Person 1: baseline 18 -> 9 (a response, 1 of 3); Person 2's partial baseline is none.
        assert (totals["first_measure_baseline"], totals["first_measure_in_group"]) == (1, 1)
        first = response.json()["participants"][0]
        assert (first["problem_area"], first["outcome"]["first_phq9"]) == ("role_transition", 18)
        assert len(response.json()["by_problem_area"]) == 5


def test_the_programme_outcomes_match_the_document(api_schema, auth):
    response = api_schema["/outcomes"]["GET"].Case().call_and_validate(headers=auth)
    assert response.status_code == 200
    body = response.json()
    assert body["groups"] == 1 and body["totals"]["enrolled"] == 3
    by_area = {a["problem_area"]: a["totals"]["enrolled"] for a in body["by_problem_area"]}
    assert by_area == {"grief": 0, "role_dispute": 0, "role_transition": 1,
                       "interpersonal_deficits": 0, None: 2}


def test_the_document_is_valid_openapi(api_schema):
    assert sorted(op.ok().path for op in api_schema.get_all_operations()) == OPERATIONS


def test_the_quality_figures_match_the_document(app, auth):
    """The hand-made programme's records, reviews, months and alerts, every figure filled."""
    make_quality_world(app)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    response = schema["/quality"]["GET"].Case().call_and_validate(headers=auth)
    assert response.status_code == 200
    assert response.json()["programme"]["fidelity"]["sessions_reviewed"] == 2
    run(schema["/quality"]["GET"].as_strategy(), auth, examples=5)
