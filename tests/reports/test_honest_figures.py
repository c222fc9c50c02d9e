"""Honest outcome figures: intention to treat over everyone enrolled, beside those with two or
more measures, "so far" until the course's last session has ended; and the programme view's
safety figures (overdue risk follow-ups, the time from an alert to its acknowledgement).

Every figure here is worked by hand. The rows are written straight into the database, including
check-ins of a partly answered PHQ-9 (``phq9`` with nulls and ``phq9_total`` null), which are
not measures.
"""

import re
from datetime import datetime, timedelta
from html import unescape

import pytest
from helpers import login_as, make_group
from helpers.reports import row_of, tables
from programme_helpers import admin_client, api_token, bearer, make_admin

from facilitator.extensions import db
from facilitator.models import (
    Alert,
    CheckIn,
    Group,
    GroupSession,
    RiskRecord,
    utcnow,
)
from facilitator.services import groups as rules
from facilitator.services import programme, reporting
from facilitator.services.outcomes import course_outcome, data_state, share
from facilitator.services.programme import Tally, duration_words, median_seconds
from facilitator.services.scoring import severity

PARTIAL = [None, None, None, None, None, None, None, None, 2]  # only question 9 answered

# Six people enrolled, their PHQ-9 totals in course order (None: no PHQ-9 that session):
# A dropped out before any measure, B has one measure, C only ever sent partial PHQ-9s,
# D goes 20 -> 8, E 12 -> 4, F 15 -> 13.
HAND_WORKED = {"A": [], "B": [18], "C": [None, None], "D": [20, None, 8], "E": [12, 4],
               "F": [15, 13]}


def hand_worked_tally(complete: bool = False) -> Tally:
    """The tally of the hand-worked group, counted person by person."""
    tally = Tally(groups=1, groups_complete=int(complete))
    for totals in HAND_WORKED.values():
        tally.count(course_outcome(totals))
    return tally


def test_data_state_and_share():
    assert [data_state(n) for n in (0, 1, 2, 5)] == [
        "no_measure", "one_measure", "measured", "measured"]
    assert share(2, 6) == 0.333 and share(0, 3) == 0.0 and share(1, 0) is None


def test_intention_to_treat_over_everyone_enrolled():
    tally = hand_worked_tally()
    assert (tally.participants, tally.measured, tally.no_data) == (6, 3, 3)
    assert (tally.no_measure, tally.one_measure) == (2, 1), "A and C have none; B has one"
    # Response: D (20 -> 8) and E (12 -> 4); F (15 -> 13) is not.
    assert tally.outcomes == {"response": 2, "remission": 1, "reliable_improvement": 2,
                              "recovery": 2}
    assert tally.rate_enrolled("response") == 0.333, "2 of 6 enrolled"
    assert tally.rate("response") == 0.667, "2 of 3 with two or more measures"
    assert tally.rate_enrolled("remission") == 0.167 and tally.rate("remission") == 0.333
    assert tally.so_far is True


def test_the_tally_as_json_keeps_the_old_fields_and_adds_the_new():
    assert hand_worked_tally(complete=True).as_dict() == {
        "participants": 6, "sessions_attended": 0, "sessions_expected": 0,
        "attendance_rate": None, "measured": 3, "response": 2, "remission": 1,
        "reliable_improvement": 2, "recovery": 2,
        "enrolled": 6, "no_data": 3, "no_measure": 2, "one_measure": 1, "so_far": False,
        "rates_enrolled": {"response": 0.333, "remission": 0.167,
                           "reliable_improvement": 0.333, "recovery": 0.333},
        "rates_measured": {"response": 0.667, "remission": 0.333,
                           "reliable_improvement": 0.667, "recovery": 0.667},
        # No one here had a pre-group meeting: B, D, E and F start from their first PHQ-9 in
        # the group; A and C have no measure at all.
        "first_measure_baseline": 0, "first_measure_in_group": 4, "not_enrolled": 0}


def test_tallies_add_up_and_stay_so_far_while_any_group_runs():
    total = Tally()
    assert total.so_far is False and total.rate_enrolled("response") is None
    total.add(hand_worked_tally(complete=True))
    assert total.so_far is False
    total.add(hand_worked_tally(complete=False))
    assert (total.participants, total.measured, total.no_data, total.groups) == (12, 6, 6, 2)
    assert total.outcomes["response"] == 4 and total.rate_enrolled("response") == 0.333
    assert total.so_far is True


@pytest.mark.parametrize(("seconds", "words"), [
    (None, "—"), (0, "0 s"), (59, "59 s"), (60, "1 min"), (299, "4 min"), (3600, "1 h"),
    (3900, "1 h 5 min"), (86400, "1 d"), (86400 + 3 * 3600 + 59, "1 d 3 h")])
def test_duration_words(seconds, words):
    assert duration_words(seconds) == words


def test_median_of_waits():
    assert median_seconds([]) is None
    assert median_seconds([timedelta(seconds=s) for s in (3600, 60, 300)]) == 300
    assert median_seconds([timedelta(seconds=s) for s in (60, 301)]) == 180, "180.5 rounds"
    assert median_seconds([timedelta(seconds=-5)]) == 0, "a clock set back is no negative wait"


# --- The same group in the database -------------------------------------------------------

T0 = datetime(2026, 3, 2, 18, 0)


def write_checkin(session_id: int, participant_id: int, total: int | None,
                  answers: list | None = None, mood: int = 5) -> None:
    """Store a check-in row as the server would: a full PHQ-9 summing to ``total``, or
    ``answers`` as given (a partly answered PHQ-9 has a null total and severity)."""
    if answers is None and total is not None:
        answers = [min(3, max(0, total - 3 * i)) for i in range(9)]
        assert sum(answers) == total
    db.session.add(CheckIn(session_id=session_id, participant_id=participant_id, mood=mood,
                           phq9=answers, phq9_total=total,
                           severity=None if total is None else severity(total)))


def end_sessions(group: Group, upto: int, live: int | None = None) -> None:
    """Mark sessions 1..``upto`` ended (a week apart) and session ``live`` live."""
    for session in group.sessions:
        if session.number <= upto:
            session.status = "ended"
            session.started_at = T0 + timedelta(weeks=session.number - 1)
            session.ended_at = session.started_at + timedelta(minutes=90)
        elif session.number == live:
            session.status, session.started_at = "live", T0 + timedelta(weeks=session.number)


@pytest.fixture
def course(app):
    """The hand-worked group (who8: 8 sessions) with sessions 1-7 ended and 8 live.

    A's join link is revoked: a dropout, still enrolled. C sent only partial PHQ-9s.
    """
    world = make_group(app, participants=6, name="Hand-worked group")
    with app.app_context():
        group = db.session.get(Group, world.group_id)
        end_sessions(group, 7, live=8)
        ids = dict(zip("ABCDEF", world.participant_ids, strict=True))
        for person, totals in HAND_WORKED.items():
            for number, total in enumerate(totals, start=1):
                session_id = world.session_ids[number - 1]
                write_checkin(session_id, ids[person], total,
                              answers=PARTIAL if total is None else None)
        write_checkin(world.session_ids[2], ids["B"], None, answers=PARTIAL)
        rules.revoke_link(group.participants[0])
        db.session.commit()
    return world


def finish_course(app, world) -> None:
    """End the course's last session (session 8)."""
    with app.app_context():
        end_sessions(db.session.get(Group, world.group_id), 8)
        db.session.commit()


def signed_in(app, world):
    """An HTTP client signed in as the group's facilitator."""
    client = app.test_client()
    login_as(client, world.email)
    return client


def text_of(html: str) -> str:
    """The page's text with tags removed, entities decoded and spaces squeezed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_course_complete_follows_the_last_planned_session(app, course):
    with app.app_context():
        group = db.session.get(Group, course.group_id)
        assert reporting.last_planned_number(group) == 8
        assert reporting.course_complete(group) is False, "session 8 is still live"
        assert programme.group_tally(group).as_dict() == {
            **hand_worked_tally().as_dict(), "sessions_attended": 0, "sessions_expected": 0}
    finish_course(app, course)
    with app.app_context():
        group = db.session.get(Group, course.group_id)
        assert reporting.course_complete(group) is True
        assert programme.group_tally(group).so_far is False


def test_an_unended_session_before_the_last_does_not_hold_the_figures_back(app, course):
    """Only the plan's last session decides; one left scheduled earlier does not."""
    finish_course(app, course)
    with app.app_context():
        session = db.session.scalar(db.select(GroupSession).filter_by(
            group_id=course.group_id, number=3))
        session.status = "scheduled"
        db.session.commit()
        assert reporting.course_complete(db.session.get(Group, course.group_id)) is True


def test_outcomes_page_counts_everyone_enrolled_so_far(app, course):
    html = signed_in(app, course).get(f"/groups/{course.group_id}/outcomes").get_data(
        as_text=True)
    text = text_of(html)
    assert "Outcomes so far" in text
    assert ("So far: the course's last session (session 8) has not ended yet, so these "
            "figures can still change.") in text
    assert ("Counted over everyone enrolled: the group's 6 participants, including anyone who "
            "stopped coming. 3 have two or more PHQ-9 measures. 3 have no data (fewer than two "
            "measures: 1 with one, 2 with none)") in text
    figures = tables(html)["figures-table"]
    assert figures[0] == ["Outcome (so far)", "Everyone enrolled (6)",
                          "Two or more measures (3)"]
    assert row_of(figures, "Response")[1:] == ["2 of 6 (33%)", "2 of 3 (67%)"]
    assert row_of(figures, "Remission")[1:] == ["1 of 6 (17%)", "1 of 3 (33%)"]
    assert row_of(figures, "Recovery")[1:] == ["2 of 6 (33%)", "2 of 3 (67%)"]
    assert row_of(figures, "No data")[1:] == ["3 of 6 (1 with one measure, 2 with none)", "—"]
    people = tables(html)["outcomes-table"]
    assert len(people) == 1 + 6 + 1, "everyone enrolled has a row, the dropout too"
    assert row_of(people, "Person 1")[1:] == ["—", "—", "—"] + ["No data"] * 4 + ["—"]
    assert row_of(people, "Person 3")[4:] == ["No data"] * 4 + ["—"], (
        "partial PHQ-9s are no measure")
    assert people[-1][0] == "How many (of 6 enrolled; 3 with two or more measures)"


def test_outcomes_page_after_the_last_session_has_ended(app, course):
    finish_course(app, course)
    html = signed_in(app, course).get(f"/groups/{course.group_id}/outcomes").get_data(
        as_text=True)
    text = text_of(html)
    assert "so far" not in text.lower()
    assert "Final: the course's last session (session 8) has ended." in text
    assert tables(html)["figures-table"][0][0] == "Outcome"


def test_outcomes_json_carries_the_same_counts(app, course):
    data = signed_in(app, course).get(f"/groups/{course.group_id}/outcomes.json").get_json()
    expected = {**hand_worked_tally().as_dict(), "sessions_attended": 0,
                "sessions_expected": 0}
    assert data["totals"] == expected
    third = data["participants"][2]
    assert third["phq9"][:3] == [None, None, None] and third["outcome"]["measures"] == 0
    assert data["participants"][1]["phq9"][:3] == [18, None, None], "B's partial is no measure"


def test_partial_checkins_break_no_report(app, course):
    client = signed_in(app, course)
    for path in (f"/sessions/{course.session_ids[0]}/summary",
                 f"/sessions/{course.session_ids[2]}/summary",
                 f"/groups/{course.group_id}/attendance",
                 f"/groups/{course.group_id}/export.csv",
                 f"/groups/{course.group_id}/export.json?deidentified=1"):
        assert client.get(path).status_code == 200, path


def test_api_outcomes_carry_the_intention_to_treat_counts(app, client, course):
    token = api_token(app, make_admin(app))
    body = client.get(f"/api/v1/groups/{course.group_id}/outcomes", headers=bearer(token)).json
    totals = body["totals"]
    assert (totals["enrolled"], totals["measured"], totals["no_data"]) == (6, 3, 3)
    assert totals["rates_enrolled"]["response"] == 0.333
    assert totals["rates_measured"]["response"] == 0.667
    assert totals["so_far"] is True
    assert [p["outcome"]["measures"] for p in body["participants"]] == [0, 1, 0, 2, 2, 2]
    group = client.get(f"/api/v1/groups/{course.group_id}", headers=bearer(token)).json
    assert group["course_complete"] is False
    finish_course(app, course)
    group = client.get(f"/api/v1/groups/{course.group_id}", headers=bearer(token)).json
    assert group["course_complete"] is True


def test_programme_view_counts_everyone_enrolled(app, course):
    rows = tables(admin_client(app).get("/programme").get_data(as_text=True))
    line = row_of(rows["programme-groups"], "Hand-worked group Team · Attendance")
    assert line[4:13] == ["so far", "6", "— (0/0)", "3", "3 (1 with one measure)",
                          "2 (33% of enrolled; 67% of measured)",
                          "1 (17% of enrolled; 33% of measured)",
                          "2 (33% of enrolled; 67% of measured)",
                          "2 (33% of enrolled; 67% of measured)"]
    finish_course(app, course)
    rows = tables(admin_client(app, "second@example.org").get("/programme").get_data(
        as_text=True))
    assert row_of(rows["programme-groups"], "Hand-worked group Team · Attendance")[4] == "final"


# --- Safety figures -----------------------------------------------------------------------

def add_alert(world, index: int, raised: datetime, waited: int | None) -> Alert:
    """An alert of participant ``index``, acknowledged ``waited`` seconds later (None: not)."""
    alert = Alert(group_id=world.group_id, session_id=world.session_ids[0],
                  participant_id=world.participant_ids[index], reason="phq9_item9",
                  created_at=raised,
                  acknowledged_at=None if waited is None else raised + timedelta(seconds=waited),
                  acknowledged_by_id=None if waited is None else world.facilitator_id)
    db.session.add(alert)
    db.session.flush()
    return alert


def add_follow_up(world, alert: Alert, due: datetime, done: datetime | None = None) -> None:
    """A risk record of ``alert`` with its follow-up due at ``due`` (done at ``done``)."""
    db.session.add(RiskRecord(
        alert_id=alert.id, group_id=world.group_id, participant_id=alert.participant_id,
        recorded_by_id=world.facilitator_id, asked_directly=True, thoughts="passive",
        plan=False, means=False, past_attempt=False, protective_factors="",
        risk_level="low", actions=["safety_plan"], follow_up_due=due, follow_up_done_at=done))


@pytest.fixture
def safety(app):
    """Two groups. Tuesday: alerts acknowledged after 1 min, 5 min and 1 h, one not yet; one
    follow-up overdue, one overdue but done, one due tomorrow. Thursday: two acknowledged after
    10 min with follow-ups overdue, one not acknowledged. Quiet: nothing. (A risk record is
    only ever made after an acknowledgement.)"""
    tuesday = make_group(app, name="Tuesday group")
    thursday = make_group(app, name="Thursday group")
    make_group(app, name="Quiet group")
    now = utcnow()
    with app.app_context():
        alerts = [add_alert(tuesday, i % 3, now - timedelta(days=2), w)
                  for i, w in enumerate((60, 300, 3600, None))]
        add_follow_up(tuesday, alerts[0], now - timedelta(hours=5))
        add_follow_up(tuesday, alerts[1], now - timedelta(hours=1), done=now)
        add_follow_up(tuesday, alerts[2], now + timedelta(days=1))
        for hours in (30, 2):
            add_follow_up(thursday, add_alert(thursday, 0, now - timedelta(days=3), 600),
                          now - timedelta(hours=hours))
        add_alert(thursday, 1, now - timedelta(days=3), None)
        db.session.commit()
    return tuesday, thursday, now


def test_safety_figures_worked_by_hand(app, safety):
    tuesday, thursday, now = safety
    with app.app_context():
        figures = programme.safety_figures()
    first, second = figures[tuesday.group_id], figures[thursday.group_id]
    assert (first.acknowledged, first.unacknowledged, first.median_seconds) == (3, 1, 300)
    assert first.overdue_follow_ups == 1, "a done follow-up and one not yet due are not overdue"
    assert (second.acknowledged, second.unacknowledged, second.median_seconds) == (2, 1, 600)
    assert second.overdue_follow_ups == 2
    assert abs(second.oldest_overdue_due - (now - timedelta(hours=30))) < timedelta(seconds=1)
    assert len(figures) == 2, "a quiet group has no figures to list"


def test_overdue_is_measured_against_now(app, safety):
    tuesday, thursday, now = safety
    with app.app_context():
        later = programme.safety_figures(now + timedelta(days=2))
        earlier = programme.overdue_follow_ups(now - timedelta(hours=10))
    assert later[tuesday.group_id].overdue_follow_ups == 2, "tomorrow's is overdue by then"
    assert earlier == {thursday.group_id: (1, earlier[thursday.group_id][1])}


def test_programme_view_shows_the_safety_figures(app, safety):
    rows = tables(admin_client(app).get("/programme").get_data(as_text=True))["programme-groups"]
    tuesday = row_of(rows, "Tuesday group Team · Attendance")
    assert tuesday[3] == "1 open"
    assert tuesday[13].startswith("1 overdue oldest due ")
    assert tuesday[14] == "median 5 min (3 acknowledged) 1 not acknowledged"
    thursday = row_of(rows, "Thursday group Team · Attendance")
    assert thursday[13].startswith("2 overdue oldest due ")
    assert thursday[14] == "median 10 min (2 acknowledged) 1 not acknowledged"
    assert row_of(rows, "Quiet group Team · Attendance")[13:] == ["0", "— (none acknowledged)"]


def test_api_carries_the_safety_counts_without_names(app, client, safety):
    tuesday, thursday, _ = safety
    token = api_token(app, make_admin(app))
    groups = client.get("/api/v1/groups", headers=bearer(token)).json["groups"]
    by_name = {g["name"]: g["safety"] for g in groups}
    assert by_name["Tuesday group"] == {"acknowledged_alerts": 3, "unacknowledged_alerts": 1,
                                        "median_seconds_to_acknowledge": 300,
                                        "overdue_follow_ups": 1}
    assert by_name["Thursday group"]["overdue_follow_ups"] == 2
    assert by_name["Quiet group"] == {"acknowledged_alerts": 0, "unacknowledged_alerts": 0,
                                      "median_seconds_to_acknowledge": None,
                                      "overdue_follow_ups": 0}
    one = client.get(f"/api/v1/groups/{thursday.group_id}", headers=bearer(token)).json
    assert one["safety"]["unacknowledged_alerts"] == 1
    assert "Person" not in str(groups), "no participant names"


def test_only_administrators_see_the_safety_figures(app, safety):
    tuesday, _, _ = safety
    lead = app.test_client()
    login_as(lead, tuesday.email)
    assert lead.get("/programme").status_code == 403
    assert app.test_client().get("/api/v1/groups").status_code == 401


def test_an_alert_acknowledged_without_a_record_is_overdue_after_a_day(app, safety):
    """The programme view counts overdue as the console does (``risk.is_overdue``)."""
    tuesday, _, now = safety
    with app.app_context():
        add_alert(tuesday, 1, now - timedelta(days=3), 60)  # acknowledged, never recorded
        db.session.commit()
        figures = programme.safety_figures()
    assert figures[tuesday.group_id].overdue_follow_ups == 2
