"""The outcome and attendance rules, worked by hand at every boundary."""

from datetime import datetime
from fractions import Fraction

import pytest

from facilitator.services.outcomes import (
    Measure,
    Point,
    change,
    check_total,
    course_outcome,
    is_recovery,
    is_reliable_improvement,
    is_remission,
    is_response,
    mean,
    missed_runs,
    missing_now,
    session_points,
    was_expected,
)


@pytest.mark.parametrize(("first", "latest", "expected"), [
    (10, 5, True),    # down 5 of 10: exactly 50% counts
    (10, 6, False),   # down 4 of 10: 40%
    (20, 10, True),   # exactly 50%
    (20, 11, False),  # 45%
    (27, 13, True),   # 51.9%
    (27, 14, False),  # 48.1%: the closest a whole total gets to 49% below half
    (9, 4, True),     # 55.6%
    (9, 5, False),    # 44.4%: half of an odd total is not a whole number
    (1, 0, True),     # 100%
    (12, 0, True),
    (12, 15, False),  # worse
    (0, 0, False),    # nothing to go down from
    (6, 6, False),
])
def test_response_is_a_drop_of_half_or_more(first, latest, expected):
    assert is_response(first, latest) is expected


def test_a_49_percent_drop_is_not_a_response():
    """No two whole totals 0-27 differ by exactly 49%; the closest drop below half is 27 to 14."""
    drops = {(f, t): Fraction(f - t, f) for f in range(1, 28) for t in range(f + 1)}
    closest = max((share, pair) for pair, share in drops.items() if share < Fraction(1, 2))
    assert closest == (Fraction(13, 27), (27, 14))  # 48.1%
    assert all(is_response(*pair) is (share >= Fraction(1, 2)) for pair, share in drops.items())


@pytest.mark.parametrize(("latest", "expected"), [
    (0, True), (4, True), (5, False), (9, False), (27, False),
])
def test_remission_is_a_latest_total_below_5(latest, expected):
    assert is_remission(latest) is expected


@pytest.mark.parametrize(("first", "latest", "expected"), [
    (15, 9, True),    # down exactly 6
    (15, 10, False),  # down 5
    (27, 0, True),
    (6, 0, True),
    (5, 0, False),
    (10, 16, False),  # up 6 is worse, not better
])
def test_reliable_improvement_is_a_drop_of_6_or_more(first, latest, expected):
    assert is_reliable_improvement(first, latest) is expected


@pytest.mark.parametrize(("first", "latest", "expected"), [
    (10, 9, True),    # from 10 to below 10
    (9, 8, False),    # did not start at 10 or above
    (10, 10, False),  # still 10
    (27, 9, True),
    (27, 10, False),
    (5, 12, False),
])
def test_recovery_is_from_10_or_above_to_below_10(first, latest, expected):
    assert is_recovery(first, latest) is expected


@pytest.mark.parametrize("bad", [-1, 28, 3.5, "7", None, True])
def test_a_total_outside_0_to_27_is_refused(bad):
    with pytest.raises(ValueError):
        check_total(bad)
    with pytest.raises(ValueError):
        is_response(10, bad)


def test_course_outcome_compares_the_first_and_latest_measure():
    outcome = course_outcome([18, None, 14, 12, None, 8])
    assert (outcome.first, outcome.latest, outcome.measures, outcome.change) == (18, 8, 4, -10)
    assert outcome.response is True      # 18 -> 8 is down 55%
    assert outcome.remission is False    # 8 is not below 5
    assert outcome.reliable_improvement is True
    assert outcome.recovery is True


def test_course_outcome_needs_two_measures():
    one = course_outcome([None, 12, None])
    assert (one.first, one.latest, one.measures, one.change) == (12, 12, 1, None)
    assert [one.response, one.remission, one.reliable_improvement, one.recovery] == [None] * 4
    none = course_outcome([])
    assert (none.first, none.latest, none.measures) == (None, None, 0)
    assert none.as_dict()["response"] is None


def test_course_outcome_of_someone_getting_worse():
    outcome = course_outcome([8, 11, 16])
    assert outcome.as_dict() == {
        "first_phq9": 8, "latest_phq9": 16, "measures": 3, "change": 8, "response": False,
        "remission": False, "reliable_improvement": False, "recovery": False,
        "first_measure": "in_group"}


def test_each_session_counts_once_with_its_latest_checkin():
    points = session_points([
        Measure(1, 10, mood=3, phq9_total=20),
        Measure(1, 12, mood=4, phq9_total=18),  # a correction later in session 1
        Measure(2, 15, mood=6, phq9_total=11),
        Measure(2, 16, mood=5, phq9_total=None),  # mood only: the session's PHQ-9 stays 11
        Measure(3, 20, mood=7, phq9_total=None),
    ])
    assert points == {1: Point(1, 4, 18), 2: Point(2, 5, 11), 3: Point(3, 7, None)}


def test_latest_is_by_order_not_by_arrival():
    points = session_points([Measure(1, 9, 8, 3), Measure(1, 4, 2, 20)])
    assert points[1] == Point(1, 8, 3)


def test_mean_and_change():
    assert mean([10, 11, None]) == 10.5
    assert mean([1, 2, 2]) == 1.7
    assert mean([None]) is None
    assert change(12, 9) == -3
    assert change(None, 9) is None


ENDED = datetime(2025, 3, 4, 11, 0)


@pytest.mark.parametrize(("member_since", "expected"), [
    (datetime(2025, 3, 1), True),
    (ENDED, True),
    (datetime(2025, 3, 4, 11, 1), False),  # added after the session ended
])
def test_a_participant_is_expected_at_sessions_ended_after_they_joined(member_since, expected):
    assert was_expected(ENDED, member_since) is expected
    assert was_expected(None, member_since) is False


@pytest.mark.parametrize(("attended", "runs", "now"), [
    ([], [], False),
    ([(1, False)], [], False),                             # one missed is not a run
    ([(1, True), (2, False), (3, True)], [], False),
    ([(1, False), (2, False)], [[1, 2]], True),            # exactly two in a row
    ([(1, True), (2, False), (3, False), (4, True)], [[2, 3]], False),  # came back
    ([(1, False), (2, False), (3, False)], [[1, 2, 3]], True),
    ([(1, False), (2, True), (3, False), (4, True), (5, False)], [], False),
    ([(1, False), (2, False), (3, True), (4, False), (5, False)], [[1, 2], [4, 5]], True),
    ([(2, False), (5, False)], [[2, 5]], True),  # consecutive among the expected sessions
])
def test_missing_two_sessions_in_a_row(attended, runs, now):
    assert missed_runs(attended) == runs
    assert missing_now(attended) is now


def test_missed_runs_of_another_length():
    assert missed_runs([(1, False), (2, False), (3, True)], in_a_row=3) == []
    assert missed_runs([(1, False), (2, True)], in_a_row=1) == [[1]]
