"""PHQ-9 scoring, severity bands and the risk rule, as plain functions."""

import pytest

from facilitator.services.scoring import phq9_total, risk_reasons, severity

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
])
def test_risk_reasons(given, needs_support, reasons):
    assert risk_reasons(given, needs_support) == reasons


def test_a_severe_total_alone_is_not_a_risk_signal():
    """Only item 9 or a request for support alerts; a high total is shown, not alerted."""
    assert severity(phq9_total([3] * 8 + [0])) == "severe"
    assert risk_reasons([3] * 8 + [0], False) == []
