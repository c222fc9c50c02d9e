"""GET /api/v1/quality: the hand-made programme's figures by code, exactly, with no free text."""

import json

from helpers.quality import make_admin, make_quality_world

from facilitator.extensions import db
from facilitator.models import Facilitator
from facilitator.services import tokens


def token_header(app) -> dict:
    """An administrator's Bearer header."""
    admin_id = make_admin(app)
    with app.app_context():
        _, raw = tokens.issue(db.session.get(Facilitator, admin_id), "quality")
    return {"Authorization": f"Bearer {raw}"}


def fidelity(ended, record, reviewed, share, own, review) -> dict:
    """The fidelity figures as the API writes them."""
    return {"sessions_ended": ended, "sessions_with_record": record,
            "sessions_reviewed": reviewed, "share_reviewed": share, "self_percent": own,
            "review_percent": review}


def test_the_api_serves_the_hand_counted_figures(app):
    made = make_quality_world(app)
    body = app.test_client().get("/api/v1/quality", headers=token_header(app)).get_json()
    assert body["months"] == ["2025-01", "2025-02"]
    assert body["programme"]["fidelity"] == fidelity(5, 4, 2, 0.4, 72.2, 62.5)
    assert body["programme"]["by_month"] == [
        {"month": "2025-01", **fidelity(2, 2, 1, 0.5, 83.3, 75.0)},
        {"month": "2025-02", **fidelity(3, 2, 1, 0.333, 50.0, 50.0)}]
    groups = {g["group_id"]: g for g in body["groups"]}
    tue, thu = groups[made.groups["tue"]], groups[made.groups["thu"]]
    assert tue["fidelity"] == fidelity(3, 2, 1, 0.333, 83.3, 75.0)
    assert tue["facilitator_ids"] == sorted([made.people["sam"], made.people["cleo"]])
    assert thu["fidelity"] == fidelity(2, 2, 1, 0.5, 50.0, 50.0)
    assert (tue["referrals_pending"], thu["referrals_pending"]) == (1, 1)
    assert thu["safety"] == {"acknowledged_alerts": 1, "unacknowledged_alerts": 0,
                             "median_seconds_to_acknowledge": 1800, "overdue_follow_ups": 1}
    assert tue["totals"]["enrolled"] == 3 and len(tue["by_problem_area"]) == 5
    people = {f["facilitator_id"]: f for f in body["facilitators"]}
    assert set(people) == {made.people[k] for k in ("sam", "cleo", "bo")}
    cleo = people[made.people["cleo"]]
    assert (cleo["name"], cleo["group_ids"]) == ("Cleo Co", [made.groups["tue"]])
    assert cleo["fidelity"] == tue["fidelity"] and cleo["by_month"] == tue["by_month"]
    assert cleo["safety"]["unacknowledged_alerts"] == 1


def test_no_participant_name_and_no_free_text(app):
    make_quality_world(app)
    text = json.dumps(app.test_client().get("/api/v1/quality",
                                            headers=token_header(app)).get_json())
    assert "Person 1" not in text and "notes" not in text and "comments" not in text


def test_a_cookie_is_not_a_token(app):
    make_quality_world(app)
    assert app.test_client().get("/api/v1/quality").status_code == 401
