"""Every step of the meeting: each bad or missing field gives a message naming it, and
nothing of the step is saved."""

import pytest
from helpers.meeting import GOOD, invite, member, page_text, post_step, signed_in

from facilitator.extensions import db
from facilitator.models import InventoryPerson, TimelineEntry

LONG = "x" * 3001
CONTROL = "bad\x07text"


def without(step: str, name: str) -> dict:
    """The step's good answers with one field left out."""
    return {k: v for k, v in GOOD[step].items() if k != name}


def changed(step: str, **fields) -> dict:
    """The step's good answers with some fields changed."""
    return {**GOOD[step], **fields}


CASES = [
    ("start", without("start", "mode"), "How the meeting takes place"),
    ("start", changed("start", mode="by_pigeon"), "How the meeting takes place"),
    ("start", without("start", "consent"), "Consent and confidentiality"),
    ("baseline", {}, "PHQ-9: answer at least one question"),
    ("baseline", changed("baseline", phq3="4"), "four choices"),
    ("baseline", changed("baseline", phq1="many"), "four choices"),
    ("fit", without("fit", "suicide_plan"), "active plan to end their life"),
    ("fit", without("fit", "cognitive"), "memory or understanding"),
    ("fit", changed("fit", substance_use="maybe"), "Does alcohol or drug use"),
    ("fit", changed("fit", psychosis_or_mania="yes"), "Where to refer"),
    ("fit", changed("fit", suicide_plan_note=LONG), "A note can be at most 500"),
    ("fit", changed("fit", cognitive="yes", referred_to=LONG), "Where to refer can be at most"),
    ("explained", {}, "Depression explained: tick the points"),
    ("explained", {"covered": ["common", "astrology"]}, "choose from the points listed"),
    ("timeline", without("timeline", "period"), "When: say when"),
    ("timeline", changed("timeline", period="x" * 41), "When can be at most 40"),
    ("timeline", without("timeline", "event"), "What happened: write"),
    ("timeline", changed("timeline", mood="11"), "Mood then"),
    ("timeline", changed("timeline", mood="0"), "Mood then"),
    ("timeline", changed("timeline", mood="low"), "Mood then"),
    ("inventory", without("inventory", "label"), "Name or label"),
    ("inventory", changed("inventory", label="x" * 61), "Name or label can be at most 60"),
    ("inventory", without("inventory", "relationship"), "Relationship"),
    ("inventory", without("inventory", "closeness"), "How close"),
    ("inventory", changed("inventory", closeness="6"), "How close"),
    ("inventory", changed("inventory", good=LONG), "What is good can be at most"),
    ("inventory", changed("inventory", hard=LONG), "What is hard can be at most"),
    ("inventory", changed("inventory", changed=LONG), "What changed recently can be at most"),
    ("plan", without("plan", "problem_area"), "Problem area: choose the main one"),
    ("plan", changed("plan", problem_area="money"), "main problem area"),
    ("plan", changed("plan", second_problem_area="role_transition"), "second problem area"),
    ("plan", changed("plan", second_problem_area="weather"), "second problem area"),
    ("plan", changed("plan", private_summary=LONG), "Private summary can be at most 2000"),
    ("plan", changed("plan", shared_summary="x" * 301), "Shared summary can be at most 300"),
    ("goals", {"goal_1": "", "goal_2": " ", "goal_3": ""}, "write at least one goal"),
    ("goals", changed("goals", goal_2="x" * 301), "A goal can be at most 300"),
    ("end", {}, "How the meeting ends: choose"),
    ("end", {"outcome": "vanish"}, "How the meeting ends: choose"),
    ("end", {"outcome": "referred"}, "Where to refer"),
    ("end", {"outcome": "enrol"}, "still needs"),
    ("end", {"outcome": "done"}, "still needs"),
]


@pytest.mark.parametrize(("step", "data", "message"), CASES,
                         ids=[f"{c[0]}-{n}" for n, c in enumerate(CASES)])
def test_a_bad_or_missing_field_names_it_and_saves_nothing(app, world, step, data, message):
    member_id, _ = invite(app, world)
    client = signed_in(app, world)
    response = post_step(client, world, member_id, step, data)
    assert response.status_code == 200
    text = page_text(response)
    assert message in text and "Nothing was saved" in text
    with app.app_context():
        person = member(app, member_id)
        assert person.meeting is None or step not in (person.meeting.steps_done or [])
        assert person.status == "invited" and person.problem_area is None
        assert person.shared_summary is None and person.goals == []
        assert db.session.query(TimelineEntry).count() == 0
        assert db.session.query(InventoryPerson).count() == 0


@pytest.mark.parametrize("step", list(GOOD))
def test_control_characters_are_refused(app, world, step):
    member_id, _ = invite(app, world)
    client = signed_in(app, world)
    text_field = {"start": "mode", "baseline": "phq1", "fit": "referred_to",
                  "explained": "covered", "timeline": "event", "inventory": "good",
                  "plan": "private_summary", "goals": "goal_1", "end": "referred_to"}[step]
    response = post_step(client, world, member_id, step, changed(step, **{text_field: CONTROL}))
    assert response.status_code in (200, 400)
    with app.app_context():
        person = member(app, member_id)
        assert person.meeting is None or step not in (person.meeting.steps_done or [])


def test_an_expired_form_saves_nothing(app, world):
    member_id, _ = invite(app, world)
    client = signed_in(app, world)
    path = f"/groups/{world.group_id}/members/{member_id}/meeting/start"
    response = client.post(path, data=GOOD["start"])
    assert response.status_code == 400
    with app.app_context():
        assert member(app, member_id).meeting is None


def test_an_unknown_step_is_not_found(app, world):
    member_id, _ = invite(app, world)
    client = signed_in(app, world)
    assert post_step(client, world, member_id, "horoscope", {}).status_code == 404
