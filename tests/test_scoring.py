"""PHQ-9 scoring, severity bands and the risk rule, as plain functions."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from facilitator.services.scoring import (
    ITEM9_GRADES,
    answered_count,
    answered_phq9,
    complete_total,
    item9_grade,
    may_signal_risk,
    phq9_total,
    risk_reasons,
    severity,
)
from realtime.schemas import SubmitCheckIn

BANDS = [
    (0, "minimal"), (4, "minimal"),
    (5, "mild"), (9, "mild"),
    (10, "moderate"), (14, "moderate"),
    (15, "moderately_severe"), (19, "moderately_severe"),
    (20, "severe"), (27, "severe"),
]


def answers(total: int) -> list[int]:
    """Nine answers of 0-3 summing to ``total``, filled from the first item."""
    return [min(3, max(0, total - 3 * i)) for i in range(9)]


@pytest.mark.parametrize(("total", "band"), BANDS)
def test_severity_at_every_band_boundary(total, band):
    assert severity(total) == band


@pytest.mark.parametrize("total", range(28))
def test_every_total_has_the_band_of_the_protocol(total):
    expected = next(name for upper, name in
                    [(4, "minimal"), (9, "mild"), (14, "moderate"),
                     (19, "moderately_severe"), (27, "severe")] if total <= upper)
    assert severity(total) == expected


@pytest.mark.parametrize(("total", "band"), BANDS)
def test_total_is_the_sum_of_the_nine_answers(total, band):
    given = answers(total)
    assert len(given) == 9
    assert phq9_total(given) == total
    assert severity(phq9_total(given)) == band


@pytest.mark.parametrize("given", [
    [0] * 8,
    [0] * 10,
    [],
    [4, 0, 0, 0, 0, 0, 0, 0, 0],
    [0, 0, 0, 0, 0, 0, 0, 0, -1],
    [3] * 8 + [4],
])
def test_total_refuses_anything_but_nine_answers_of_0_to_3(given):
    with pytest.raises(ValueError):
        phq9_total(given)


@pytest.mark.parametrize("total", [-1, 28, 100])
def test_severity_refuses_a_total_outside_0_to_27(total):
    with pytest.raises(ValueError):
        severity(total)


@pytest.mark.parametrize(("given", "needs_support", "reasons"), [
    (None, False, []),
    (None, True, ["needs_support"]),
    ([0] * 9, False, []),
    ([3] * 8 + [0], False, []),
    ([0] * 8 + [1], False, ["phq9_item9"]),
    ([0] * 8 + [2], False, ["phq9_item9"]),
    ([0] * 8 + [3], False, ["phq9_item9"]),
    ([3] * 9, False, ["phq9_item9"]),
    ([0] * 8 + [1], True, ["phq9_item9", "needs_support"]),
    ([1] * 8 + [0], True, ["needs_support"]),
    ([None] * 8 + [3], False, ["phq9_item9"]),
    ([None] * 8 + [1], True, ["phq9_item9", "needs_support"]),
    ([2, 1, None, 3, None, 1, None, None, 2], False, ["phq9_item9"]),
    ([3] * 8 + [None], False, []),
    ([None] * 8 + [0], False, []),
    ([None] * 9, False, []),
])
def test_risk_reasons(given, needs_support, reasons):
    assert risk_reasons(given, needs_support) == reasons


def test_a_severe_total_alone_is_not_a_risk_signal():
    """Only item 9 or a request for support alerts; a high total is shown, not alerted."""
    assert severity(phq9_total([3] * 8 + [0])) == "severe"
    assert risk_reasons([3] * 8 + [0], False) == []


# What a client may send for one answer or for needs_support, valid or not: the queue's
# check runs before validation, on whatever came.
ANSWER = st.one_of(st.integers(0, 3), st.booleans(), st.none(),
                   st.sampled_from([0.0, 1.0, 2.0, 3.0, "0", "1", "2", "3", 2.5, -1, "x"]))
SUPPORT = st.one_of(st.booleans(), st.none(), st.integers(0, 1),
                    st.sampled_from(["true", "false", "yes", "no", "0", "1", ""]))


@settings(max_examples=300, deadline=None)
@given(phq9=st.one_of(st.none(), st.lists(st.integers(0, 3), min_size=9, max_size=9),
                     st.lists(st.one_of(st.none(), st.integers(0, 3)), min_size=9, max_size=9),
                     st.lists(ANSWER, min_size=9, max_size=9)), support=SUPPORT)
def test_no_check_in_with_a_risk_signal_is_kept_in_a_rounds_queue(phq9, support):
    raw = {"session_id": 1, "client_id": "client-1", "mood": 5, "phq9": phq9,
           "needs_support": support}
    try:
        valid = SubmitCheckIn.model_validate(raw)
    except ValidationError:
        return  # refused `invalid` whether it waited or not
    if risk_reasons(valid.phq9, bool(valid.needs_support)):
        assert may_signal_risk(raw), "a risk signal never waits behind a round"


@pytest.mark.parametrize(("raw", "urgent"), [
    ({"phq9": [1] * 8 + [0]}, False), ({"phq9": [0] * 8 + [1]}, True),
    ({"phq9": [None] * 8 + [3]}, True), ({"phq9": [2] * 8 + [None]}, False),
    ({"needs_support": True}, True), ({"needs_support": False, "phq9": None}, False),
    ({}, False), ("not an object", False), (None, False)])
def test_which_check_ins_skip_a_rounds_queue(raw, urgent):
    assert may_signal_risk(raw) is urgent


@pytest.mark.parametrize(("given", "stored", "count", "total"), [
    (None, None, 0, None),
    ([None] * 9, None, 0, None),
    ([None] * 8 + [3], [None] * 8 + [3], 1, None),
    ([1, 2, None, 0, 3, None, None, None, 1], [1, 2, None, 0, 3, None, None, None, 1], 5, None),
    ([1] * 8 + [None], [1] * 8 + [None], 8, None),
    ([1] * 9, [1] * 9, 9, 9),
])
def test_a_partial_phq9_is_kept_but_has_no_total(given, stored, count, total):
    assert answered_phq9(given) == stored
    assert answered_count(given) == count
    assert complete_total(given) == total


def test_item9_grades_are_words_for_every_answer():
    assert [item9_grade(n) for n in range(4)] == [
        "not at all", "several days", "more than half the days", "nearly every day"]
    assert item9_grade(None) is None and set(ITEM9_GRADES) == {0, 1, 2, 3}
