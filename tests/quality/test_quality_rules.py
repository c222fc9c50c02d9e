"""The quality figures (issue 23 item 5) on a hand-made programme, and the falling rule."""

import pytest
from helpers.quality import make_quality_world

from facilitator.extensions import db
from facilitator.services import quality


@pytest.fixture
def made(app):
    """The hand-made programme of ``helpers.quality``."""
    return make_quality_world(app)


def figures(found: quality.Figures) -> tuple:
    """A figure's counts and percents as one tuple."""
    return (found.sessions_ended, found.with_record, found.reviewed, found.share_reviewed,
            found.self_percent, found.review_percent)


@pytest.mark.parametrize(("scores", "percent"), [
    ({"a": 2, "b": 1, "c": None}, 75.0), ({"a": None}, None), ({}, None),
    ({"a": 0, "b": 0}, 0.0), ({"a": 2}, 100.0)])
def test_a_record_percent_leaves_not_applicable_out(scores, percent):
    assert quality.record_percent(scores) == percent


def test_per_group_figures_match_the_hand_count(app, made):
    with app.app_context():
        found = {g.line.group.id: g for g in quality.programme_quality().groups}
        tue, thu = found[made.groups["tue"]], found[made.groups["thu"]]
        assert figures(tue.fidelity.total) == (3, 2, 1, 0.333, 83.3, 75.0)
        assert figures(thu.fidelity.total) == (2, 2, 1, 0.5, 50.0, 50.0)
        assert (tue.referrals_pending, thu.referrals_pending) == (1, 1)
        assert (tue.line.safety.unacknowledged, thu.line.safety.overdue_follow_ups) == (1, 1)
        assert thu.line.safety.median_seconds == 1800


def test_per_month_figures_follow_the_sessions_end(app, made):
    with app.app_context():
        result = quality.programme_quality()
        tue = next(g for g in result.groups if g.line.group.id == made.groups["tue"])
        months = dict(tue.fidelity.month_list())
        assert figures(months["2025-01"]) == (2, 2, 1, 0.5, 83.3, 75.0)
        assert figures(months["2025-02"]) == (1, 0, 0, 0.0, None, None)
        everyone = dict(result.programme.month_list())
        assert list(everyone) == ["2025-01", "2025-02"]
        assert figures(everyone["2025-02"]) == (3, 2, 1, 0.333, 50.0, 50.0)
        assert figures(result.programme.total) == (5, 4, 2, 0.4, 72.2, 62.5)


def test_every_facilitator_on_the_team_counts_and_a_supervisor_does_not(app, made):
    with app.app_context():
        found = {f.facilitator.id: f for f in quality.programme_quality().facilitators}
        assert set(found) == {made.people["sam"], made.people["cleo"], made.people["bo"]}
        sam, cleo, bo = (found[made.people[k]] for k in ("sam", "cleo", "bo"))
        assert figures(sam.fidelity.total) == figures(cleo.fidelity.total) == (
            3, 2, 1, 0.333, 83.3, 75.0)
        assert figures(bo.fidelity.total) == (2, 2, 1, 0.5, 50.0, 50.0)
        assert (cleo.referrals_pending, cleo.safety.unacknowledged) == (1, 1)
        assert (bo.safety.median_seconds, bo.safety.overdue_follow_ups) == (1800, 1)
        assert cleo.tally.participants == 3 and sam.group_ids == [made.groups["tue"]]


def test_the_queries_do_not_grow_with_the_sessions(app, made):
    from sqlalchemy import event

    statements = []
    with app.app_context():
        engine = db.engine
        listen = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listen)
        try:
            quality.session_qualities()
        finally:
            event.remove(engine, "before_cursor_execute", listen)
    assert len(statements) == 2


@pytest.mark.parametrize(("percents", "flagged"), [
    ([80, 80, 80, 71, 71, 71], False),  # 9 points: not flagged
    ([80, 80, 80, 70, 70, 70], True),  # 10 points: flagged
    ([90, 70, 80, 80, 60, 70], True),  # means 80 and 70
    # 83.33... to 73.33...: exactly 10 points, whatever floating point makes of it.
    ([100 * 5 / 6] * 3 + [100 * 11 / 15] * 3, True),
    ([80, 80, 70, 70, 70], False),  # fewer than six sessions
    ([10, 10, 10, 80, 80, 80, 70, 70, 70], True),  # only the last six count
])
def test_fidelity_falls_at_ten_points_or_more(percents, flagged):
    assert (quality.falling(percents) is not None) == flagged
