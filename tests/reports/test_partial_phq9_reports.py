"""Reports and exports with partly answered questionnaires: no total, item 9 in words."""

import csv
import io
import re

import pytest
from helpers import login_as
from helpers.reports import LiveSession, tables

SIX_OF_NINE = [2, None, 1, 3, None, 0, None, 1, 2]
ONLY_ITEM9 = [None] * 8 + [3]


@pytest.fixture
def course(app, world):
    """Session 1: Person 1 answers only item 9, later all nine (item 9: 0); Person 2 answers
    six of nine (item 9: 2); Person 3 sends a mood only. Session 2: Person 2 answers all."""
    first = LiveSession(app, world, 1, present=[0, 1, 2])
    first.check_in(0, 3, phq9=ONLY_ITEM9)
    first.check_in(0, 4, 12)
    first.check_in(1, 5, phq9=SIX_OF_NINE, note="A hard week")
    first.check_in(2, 6)
    first.end()
    second = LiveSession(app, world, 2, present=[1])
    second.check_in(1, 6, 11)
    second.end()
    return world


@pytest.fixture
def lead(client, world):
    """The HTTP client signed in as the group's facilitator."""
    login_as(client, world.email)
    return client


def text_of(html: str) -> str:
    """The page's text with tags dropped and spaces squeezed."""
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def csv_rows(client, world, deidentified: bool = False) -> list[dict]:
    """The rows of the group's CSV export."""
    query = "?deidentified=1" if deidentified else ""
    response = client.get(f"/groups/{world.group_id}/export.csv{query}")
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_summary_shows_no_total_the_answers_and_item9_in_words(lead, course):
    response = lead.get(f"/sessions/{course.session_ids[0]}/summary")
    assert response.status_code == 200
    rows = tables(response.get_data(as_text=True))["checkins-table"]
    only9, full, six, mood_only = (row[1:5] for row in rows[1:])
    assert only9[0].startswith("Person 1") and only9[2] == (
        "no total (1 of 9 answered) item 9: nearly every day Answers: 9: 3")
    assert full[2] == "12 (first)" and full[3] == "Moderate"
    assert six[2] == ("no total (6 of 9 answered) item 9: more than half the days "
                      "Answers: 1: 2 · 3: 1 · 4: 3 · 6: 0 · 8: 1 · 9: 2")
    assert six[3] == "—" and mood_only[2] == "—"
    page = text_of(response.get_data(as_text=True))
    reason = "PHQ-9 item 9 (thoughts of self-harm) answered above 0"
    assert f"Person 1: {reason} (answer: nearly every day)" in page
    assert f"Person 2: {reason} (answer: more than half the days)" in page


def test_csv_carries_how_much_was_answered_and_the_highest_item9(lead, course):
    rows = {(r["participant_code"], r["session_number"]): r for r in csv_rows(lead, course)}
    amina = rows[("P01", "1")]
    assert (amina["phq9_total"], amina["phq9_answered"], amina["item9"],
            amina["item9_grade"]) == ("12", "9", "3", "nearly every day"), \
        "a later calmer questionnaire never hides the session's item-9 answer"
    ben = rows[("P02", "1")]
    assert (ben["phq9_total"], ben["severity"], ben["phq9_answered"], ben["item9"],
            ben["item9_grade"]) == ("", "", "6", "2", "more than half the days")
    assert (ben["first_phq9"], ben["latest_phq9"]) == ("11", "11"), "a partial one has no total"
    cleo = rows[("P03", "1")]
    assert (cleo["mood"], cleo["phq9_answered"], cleo["item9"], cleo["item9_grade"]) == (
        "6", "", "", "")


def test_deidentified_csv_has_item9_as_a_number_only(lead, course):
    rows = csv_rows(lead, course, deidentified=True)
    assert "item9" in rows[0] and "item9_grade" not in rows[0]
    ben = next(r for r in rows if (r["participant_code"], r["session_number"]) == ("P02", "1"))
    assert (ben["phq9_answered"], ben["item9"]) == ("6", "2")


def test_json_exports_and_the_outcomes_page_take_partial_questionnaires(lead, course):
    document = lead.get(f"/groups/{course.group_id}/export.json").get_json()
    ben = document["participants"][1]
    assert ben["measures"][0] == {"session": 1, "mood": 5, "phq9_total": None, "severity": None,
                                  "phq9_answered": 6, "item9": 2,
                                  "item9_grade": "more than half the days"}
    assert ben["outcome"]["first_phq9"] == 11 and ben["outcome"]["measures"] == 1
    hidden = lead.get(f"/groups/{course.group_id}/export.json?deidentified=1").get_json()
    assert hidden["participants"][1]["measures"][0]["item9"] == 2
    assert "item9_grade" not in str(hidden) and "A hard week" not in str(hidden)
    assert lead.get(f"/groups/{course.group_id}/outcomes").status_code == 200
    assert lead.get(f"/groups/{course.group_id}/outcomes.json").status_code == 200

