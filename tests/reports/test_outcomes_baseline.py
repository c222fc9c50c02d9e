"""Outcomes from the pre-group meeting's baseline PHQ-9, and outcomes by problem area.

Every figure here is worked out by hand and written down; none is computed by the code under
test. The rows (meetings, check-ins, problem areas) are written straight into the database.

The hand-worked group (six enrolled members, sessions not ended yet, so figures are "so far"):

======  ==============  ==================  ==============  =====================================
Person  problem area    baseline (meeting)  in-group PHQ-9  outcome
======  ==============  ==================  ==============  =====================================
1       grief           14 (complete)       14              first 14 (baseline), latest 14, two
                                                            measures, change 0: no outcome
2       grief           none                16, 8           first 16 (in group), latest 8:
                                                            response, reliable, recovery
3       role_dispute    20 (complete)       15, 9           first 20 (baseline), latest 9:
                                                            response, reliable, recovery; not
                                                            remission (9 is not below 5)
4       role_transition 4 (complete)        2               first 4 (baseline), latest 2:
                                                            response (half), remission; not
                                                            reliable (drop 2); not recovery (4
                                                            was never 10 or above)
5       none yet        8 of 9 answered     12, 10          partial baseline is no baseline:
                                                            first 12 (in group), latest 10: none
6       none yet        18 (complete)       none            baseline only: one measure, no data
======  ==============  ==================  ==============  =====================================

Intention to treat over the six enrolled: Person 1's only in-group PHQ-9 equals their baseline.
Under the old rule (first PHQ-9 in the group) they had one measure and were "no data"; from the
baseline they have two measures, so they count among the measured (5, not 4) and in both
denominators, and reach no outcome: the figures fall honestly, e.g. response 3 of 6 enrolled
(50%) and 3 of 5 measured (60%); they never count as a response, a remission or "no data".
Person 6 (baseline only) is the one "no data" (one measure).
"""

from datetime import datetime

import pytest
from helpers import login_as, make_group
from helpers.reports import row_of, tables
from programme_helpers import admin_client, api_token, bearer, make_admin

from facilitator.extensions import db
from facilitator.models import CheckIn, Group, Participant, PreGroupMeeting
from facilitator.services import groups as rules
from facilitator.services import reporting
from facilitator.services.baseline import Baseline, baseline_of
from facilitator.services.outcomes import course_outcome
from facilitator.services.scoring import severity

BASELINE_AT = datetime(2026, 2, 20, 10, 30)
# Nine answers for each complete baseline, summed by hand.
ANSWERS = {
    14: [2, 2, 2, 2, 2, 2, 1, 1, 0],  # 2*6 + 1 + 1 = 14
    20: [3, 3, 3, 3, 2, 2, 2, 2, 0],  # 12 + 8 = 20
    4: [1, 1, 1, 1, 0, 0, 0, 0, 0],
    18: [3, 3, 2, 2, 2, 2, 2, 2, 0],  # 6 + 12 = 18
}
PARTIAL = [3, 3, 2, 2, 2, 2, 2, None, 0]  # 16 so far, question 8 unanswered: no total
IN_GROUP = {1: [14], 2: [16, 8], 3: [15, 9], 4: [2], 5: [12, 10], 6: []}
AREAS = {1: "grief", 2: "grief", 3: "role_dispute", 4: "role_transition", 5: None, 6: None}


def in_group_answers(total: int) -> list[int]:
    """Nine answers summing to ``total`` (item 9 is 0)."""
    answers = [min(3, max(0, total - 3 * i)) for i in range(8)] + [0]
    assert sum(answers) == total
    return answers


def meeting(participant_id: int, group_id: int, answers: list, total: int | None):
    """A pre-group meeting row holding a baseline PHQ-9, as the meeting page stores it."""
    return PreGroupMeeting(participant_id=participant_id, group_id=group_id,
                           baseline_phq9=answers, baseline_total=total,
                           baseline_at=BASELINE_AT, baseline_source="facilitator")


@pytest.fixture
def course(app):
    """The hand-worked group of the module's table."""
    world = make_group(app, participants=6, name="Baseline group")
    with app.app_context():
        ids = dict(enumerate(world.participant_ids, start=1))
        db.session.add_all([meeting(ids[1], world.group_id, ANSWERS[14], 14),
                            meeting(ids[3], world.group_id, ANSWERS[20], 20),
                            meeting(ids[4], world.group_id, ANSWERS[4], 4),
                            meeting(ids[5], world.group_id, PARTIAL, None),
                            meeting(ids[6], world.group_id, ANSWERS[18], 18)])
        for person, totals in IN_GROUP.items():
            db.session.get(Participant, ids[person]).problem_area = AREAS[person]
            for number, total in enumerate(totals, start=1):
                db.session.add(CheckIn(session_id=world.session_ids[number - 1],
                                       participant_id=ids[person], mood=5,
                                       phq9=in_group_answers(total), phq9_total=total,
                                       severity=severity(total)))
        db.session.commit()
    return world


# --- The rule on plain values ---------------------------------------------------------------

def test_a_baseline_is_the_first_measure():
    outcome = course_outcome([15, None, 9], baseline=20)
    assert (outcome.first, outcome.latest, outcome.measures, outcome.change) == (20, 9, 3, -11)
    assert (outcome.response, outcome.remission, outcome.reliable_improvement,
            outcome.recovery) == (True, False, True, True)
    assert outcome.first_measure == "baseline"


def test_an_in_group_phq9_equal_to_the_baseline_is_a_second_measure_with_no_change():
    outcome = course_outcome([14], baseline=14)
    assert (outcome.first, outcome.latest, outcome.measures, outcome.change) == (14, 14, 2, 0)
    assert (outcome.response, outcome.remission, outcome.reliable_improvement,
            outcome.recovery) == (False, False, False, False)


def test_a_baseline_of_4_cannot_recover_but_can_respond_and_remit():
    outcome = course_outcome([2], baseline=4)
    assert (outcome.response, outcome.remission, outcome.reliable_improvement,
            outcome.recovery) == (True, True, False, False)


def test_a_baseline_alone_is_one_measure_and_without_one_the_group_starts():
    alone = course_outcome([], baseline=18)
    assert (alone.first, alone.measures, alone.response, alone.first_measure) == (
        18, 1, None, "baseline")
    without = course_outcome([16, 8])
    assert (without.first, without.latest, without.first_measure) == (16, 8, "in_group")
    assert course_outcome([]).first_measure is None


def test_only_a_complete_baseline_counts():
    assert baseline_of(ANSWERS[20], 20, BASELINE_AT) == Baseline(20, BASELINE_AT)
    assert baseline_of(PARTIAL, None) is None, "partly answered: no total"
    assert baseline_of(PARTIAL, 16) is None, "a total beside unanswered questions is no baseline"
    assert baseline_of(None, None) is None
    assert baseline_of(ANSWERS[4], 5) == Baseline(4, None), "the answers win over a stray total"


# --- The same group in the database ---------------------------------------------------------

def test_course_measures_start_from_the_baseline(app, course):
    with app.app_context():
        people = reporting.course_measures(db.session.get(Group, course.group_id)).people
        got = {n: (p.outcome.first, p.outcome.latest, p.outcome.measures, p.outcome.first_measure)
               for n, p in enumerate(people, start=1)}
    assert got == {1: (14, 14, 2, "baseline"), 2: (16, 8, 2, "in_group"),
                   3: (20, 9, 3, "baseline"), 4: (4, 2, 2, "baseline"),
                   5: (12, 10, 2, "in_group"), 6: (18, 18, 1, "baseline")}


def signed_in(app, world):
    """An HTTP client signed in as the group's facilitator."""
    client = app.test_client()
    login_as(client, world.email)
    return client


def test_outcomes_page_says_which_first_measure_each_member_has(app, course):
    html = signed_in(app, course).get(f"/groups/{course.group_id}/outcomes").get_data(
        as_text=True)
    people = tables(html)["outcomes-table"]
    baseline = "meeting baseline"
    in_group = "first PHQ-9 in group"
    assert row_of(people, "Person 1")[1:] == ["14", "14", "0", "No", "No", "No", "No", baseline]
    assert row_of(people, "Person 2")[1:] == ["16", "8", "-8", "Yes", "No", "Yes", "Yes",
                                              in_group]
    assert row_of(people, "Person 3")[1:] == ["20", "9", "-11", "Yes", "No", "Yes", "Yes",
                                              baseline]
    assert row_of(people, "Person 4")[1:] == ["4", "2", "-2", "Yes", "Yes", "No", "No", baseline]
    assert row_of(people, "Person 5")[1:] == ["12", "10", "-2", "No", "No", "No", "No",
                                              in_group]
    assert row_of(people, "Person 6")[1:] == ["18", "18", "—"] + ["No data"] * 4 + [baseline]
    assert people[-1][1:] == ["3", "1", "2", "2", "4 baseline, 2 in the group"]
    assert ("First measure: the baseline PHQ-9 of the pre-group meeting for 4 members; the "
            "first PHQ-9 in the group for 2 members without a complete baseline.") in html
    assert "First measure: meeting baseline, 20 Feb 2026." in html


def test_outcomes_page_intention_to_treat_figures(app, course):
    html = signed_in(app, course).get(f"/groups/{course.group_id}/outcomes").get_data(
        as_text=True)
    figures = tables(html)["figures-table"]
    assert figures[0] == ["Outcome (so far)", "Everyone enrolled (6)",
                          "Two or more measures (5)"]
    assert row_of(figures, "Response")[1:] == ["3 of 6 (50%)", "3 of 5 (60%)"]
    assert row_of(figures, "Remission")[1:] == ["1 of 6 (17%)", "1 of 5 (20%)"]
    assert row_of(figures, "Reliable improvement")[1:] == ["2 of 6 (33%)", "2 of 5 (40%)"]
    assert row_of(figures, "Recovery")[1:] == ["2 of 6 (33%)", "2 of 5 (40%)"]
    assert row_of(figures, "No data")[1:] == ["1 of 6 (1 with one measure, 0 with none)", "—"]


# The by-area columns: figures, enrolled, attendance, measured, no data, then the four outcomes.
AREA_ROWS = {
    "Grief and loss": ["so far", "2", "— (0/0)", "2", "0",
                       "1 (50% of enrolled; 50% of measured)",
                       "0 (0% of enrolled; 0% of measured)",
                       "1 (50% of enrolled; 50% of measured)",
                       "1 (50% of enrolled; 50% of measured)"],
    "Disagreements": ["so far", "1", "— (0/0)", "1", "0",
                      "1 (100% of enrolled; 100% of measured)",
                      "0 (0% of enrolled; 0% of measured)",
                      "1 (100% of enrolled; 100% of measured)",
                      "1 (100% of enrolled; 100% of measured)"],
    "Life changes": ["so far", "1", "— (0/0)", "1", "0",
                     "1 (100% of enrolled; 100% of measured)",
                     "1 (100% of enrolled; 100% of measured)",
                     "0 (0% of enrolled; 0% of measured)",
                     "0 (0% of enrolled; 0% of measured)"],
    "Loneliness and connection": ["—", "0", "— (0/0)", "0", "0", "0", "0", "0", "0"],
    "No problem area yet": ["so far", "2", "— (0/0)", "1", "1 (1 with one measure)",
                            "0 (0% of enrolled; 0% of measured)",
                            "0 (0% of enrolled; 0% of measured)",
                            "0 (0% of enrolled; 0% of measured)",
                            "0 (0% of enrolled; 0% of measured)"],
}


def test_outcomes_page_by_problem_area(app, course):
    html = signed_in(app, course).get(f"/groups/{course.group_id}/outcomes").get_data(
        as_text=True)
    areas = tables(html)["areas-table"]
    assert areas[0][:2] == ["Problem area", "Figures"]
    assert {row[0]: row[1:] for row in areas[1:]} == AREA_ROWS


def test_programme_view_by_problem_area(app, course):
    make_group(app, participants=1, name="Empty group")  # one more member, no area, no data
    html = admin_client(app).get("/programme").get_data(as_text=True)
    areas = {row[0]: row[1:] for row in tables(html)["programme-areas"][1:]}
    assert areas["Grief and loss"] == AREA_ROWS["Grief and loss"]
    assert areas["No problem area yet"] == [
        "so far", "3", "— (0/0)", "1", "2 (1 with one measure)",
        "0 (0% of enrolled; 0% of measured)", "0 (0% of enrolled; 0% of measured)",
        "0 (0% of enrolled; 0% of measured)", "0 (0% of enrolled; 0% of measured)"]


def totals(participants, measured, one, none, counts, enrolled_rates, measured_rates,
           baseline, in_group, not_enrolled=0) -> dict:
    """The API's totals of a hand-worked tally (no sessions ended, so no attendance)."""
    keys = ("response", "remission", "reliable_improvement", "recovery")
    return {"participants": participants, "sessions_attended": 0, "sessions_expected": 0,
            "attendance_rate": None, "measured": measured, **dict(zip(keys, counts, strict=True)),
            "enrolled": participants, "no_data": one + none, "no_measure": none,
            "one_measure": one, "so_far": True,
            "rates_enrolled": dict(zip(keys, enrolled_rates, strict=True)),
            "rates_measured": dict(zip(keys, measured_rates, strict=True)),
            "first_measure_baseline": baseline, "first_measure_in_group": in_group,
            "not_enrolled": not_enrolled}


def test_api_outcomes_by_participant_code_and_by_problem_area(app, client, course):
    token = api_token(app, make_admin(app))
    body = client.get(f"/api/v1/groups/{course.group_id}/outcomes", headers=bearer(token)).json
    people = {p["code"]: (p["problem_area"], p["outcome"]["first_phq9"],
                          p["outcome"]["first_measure"], p["outcome"]["measures"])
              for p in body["participants"]}
    assert {(p["status"], p["counted"]) for p in body["participants"]} == {("enrolled", True)}
    assert people == {"P01": ("grief", 14, "baseline", 2), "P02": ("grief", 16, "in_group", 2),
                      "P03": ("role_dispute", 20, "baseline", 3),
                      "P04": ("role_transition", 4, "baseline", 2),
                      "P05": (None, 12, "in_group", 2), "P06": (None, 18, "baseline", 1)}
    assert body["totals"] == totals(6, 5, 1, 0, (3, 1, 2, 2), (0.5, 0.167, 0.333, 0.333),
                                    (0.6, 0.2, 0.4, 0.4), 4, 2)
    by_area = {a["problem_area"]: a["totals"] for a in body["by_problem_area"]}
    assert list(by_area) == ["grief", "role_dispute", "role_transition",
                             "interpersonal_deficits", None]
    assert by_area["grief"] == totals(2, 2, 0, 0, (1, 0, 1, 1), (0.5, 0.0, 0.5, 0.5),
                                      (0.5, 0.0, 0.5, 0.5), 1, 1)
    assert by_area[None] == totals(2, 1, 1, 0, (0, 0, 0, 0), (0.0,) * 4, (0.0,) * 4, 1, 1)
    assert by_area["interpersonal_deficits"]["participants"] == 0
    assert by_area["interpersonal_deficits"]["so_far"] is False, "no group counted: not so far"
    text = str(body)
    assert "Person" not in text and "display_name" not in text, "codes only, never names"


def test_api_programme_outcomes_add_up_every_group(app, client, course):
    make_group(app, participants=1, name="Empty group")
    token = api_token(app, make_admin(app))
    body = client.get("/api/v1/outcomes", headers=bearer(token)).json
    assert body["groups"] == 2
    assert body["totals"] == totals(7, 5, 1, 1, (3, 1, 2, 2), (0.429, 0.143, 0.286, 0.286),
                                    (0.6, 0.2, 0.4, 0.4), 4, 2)
    by_area = {a["problem_area"]: a["totals"] for a in body["by_problem_area"]}
    assert by_area["role_dispute"] == totals(1, 1, 0, 0, (1, 0, 1, 1), (1.0, 0.0, 1.0, 1.0),
                                             (1.0, 0.0, 1.0, 1.0), 1, 0)
    assert (by_area[None]["participants"], by_area[None]["no_measure"]) == (3, 1)


# --- Who counts: members not enrolled are left out, those who took part and left are not ----

@pytest.fixture
def with_newcomers(app, course):
    """Three more members, none with a problem area: Person 7 is invited and already gave a
    complete baseline (15), Person 8 was referred elsewhere at the meeting, Person 9 took part
    (one PHQ-9 of 12 in session 1, no baseline) and then declined."""
    with app.app_context():
        group = db.session.get(Group, course.group_id)
        seventh = rules.add_participant(group, "Person 7", status="invited")
        rules.add_participant(group, "Person 8", status="referred")
        ninth = rules.add_participant(group, "Person 9", status="declined")
        db.session.add(meeting(seventh.id, group.id, [3, 3, 3, 2, 2, 1, 1, 0, 0], 15))
        db.session.add(CheckIn(session_id=course.session_ids[0], participant_id=ninth.id,
                               mood=4, phq9=in_group_answers(12), phq9_total=12,
                               severity=severity(12)))
        db.session.commit()
    return course


def test_members_never_enrolled_are_not_counted(app, with_newcomers):
    html = signed_in(app, with_newcomers).get(
        f"/groups/{with_newcomers.group_id}/outcomes").get_data(as_text=True)
    figures = tables(html)["figures-table"]
    assert figures[0] == ["Outcome (so far)", "Everyone enrolled (7)",
                          "Two or more measures (5)"], "the six, and Person 9 who took part"
    assert row_of(figures, "Response")[1:] == ["3 of 7 (43%)", "3 of 5 (60%)"]
    assert row_of(figures, "No data")[1:] == ["2 of 7 (2 with one measure, 0 with none)", "—"]
    assert ("2 members are not counted: not enrolled in the group (still to meet, or referred "
            "elsewhere or declined before taking part).") in html
    people = tables(html)["outcomes-table"]
    assert row_of(people, "Person 7 (not counted: invited)")[1:4] == ["15", "15", "—"]
    assert row_of(people, "Person 8 (not counted: referred elsewhere)")[1] == "—"
    assert row_of(people, "Person 9")[1:4] == ["12", "12", "—"]
    areas = {row[0]: row[1:] for row in tables(html)["areas-table"][1:]}
    assert areas["No problem area yet"][:5] == ["so far", "3", "— (0/0)", "1",
                                                "2 (2 with one measure)"]


def test_api_says_who_is_counted(app, client, with_newcomers):
    token = api_token(app, make_admin(app))
    body = client.get(f"/api/v1/groups/{with_newcomers.group_id}/outcomes",
                      headers=bearer(token)).json
    assert [(p["code"], p["status"], p["counted"]) for p in body["participants"][6:]] == [
        ("P07", "invited", False), ("P08", "referred", False), ("P09", "declined", True)]
    assert (body["totals"]["enrolled"], body["totals"]["not_enrolled"]) == (7, 2)
    by_area = {a["problem_area"]: a["totals"] for a in body["by_problem_area"]}
    assert (by_area[None]["enrolled"], by_area[None]["not_enrolled"]) == (3, 2)


def test_the_pages_data_carries_the_first_measure_and_the_areas(app, course):
    data = signed_in(app, course).get(f"/groups/{course.group_id}/outcomes.json").get_json()
    assert [p["outcome"]["first_measure"] for p in data["participants"]] == [
        "baseline", "in_group", "baseline", "baseline", "in_group", "baseline"]
    assert [a["problem_area"] for a in data["by_problem_area"]] == [
        "grief", "role_dispute", "role_transition", "interpersonal_deficits", None]
    assert data["by_problem_area"][0]["totals"]["enrolled"] == 2
