"""Programme outcome and attendance rules, as pure functions of plain values.

Nothing here reads the database: callers pass PHQ-9 totals, moods and attendance in course order.

The outcome rules (see ``docs`` and the domain notes), comparing a participant's *first* PHQ-9
total with their *latest* one. The first measure is the complete baseline PHQ-9 of their
pre-group meeting when there is one (``services.baseline``), else their first PHQ-9 in the group:

- **response**: the total went down by 50% or more;
- **remission**: the latest total is below 5;
- **reliable improvement**: the total went down by 6 or more;
- **recovery**: the first total was 10 or above and the latest is below 10.

Each session counts once: a participant's latest check-in of a session is their measure for it
(a second check-in in the same session corrects the first).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

MAX_TOTAL = 27
REMISSION_BELOW = 5
RELIABLE_DROP = 6
RECOVERY_CUTOFF = 10
MISSED_IN_A_ROW = 2
# Where a participant's first measure came from (``Outcome.first_measure``).
FROM_BASELINE, FROM_GROUP = "baseline", "in_group"


def check_total(total: int) -> int:
    """Return ``total`` if it is a PHQ-9 total (a whole number 0-27), else raise ValueError."""
    if isinstance(total, bool) or not isinstance(total, int) or not 0 <= total <= MAX_TOTAL:
        raise ValueError(f"A PHQ-9 total is a whole number from 0 to {MAX_TOTAL}, not {total!r}")
    return total


def is_response(first: int, latest: int) -> bool:
    """Tell whether the total went down by 50% or more from the first measure.

    Whole-number arithmetic, so a drop of exactly half counts (10 to 5). A first total of 0
    cannot go down, so it is never a response.
    """
    first, latest = check_total(first), check_total(latest)
    return first > 0 and 2 * (first - latest) >= first


def is_remission(latest: int) -> bool:
    """Tell whether the latest total is below 5 (minimal symptoms): 4 is, 5 is not."""
    return check_total(latest) < REMISSION_BELOW


def is_reliable_improvement(first: int, latest: int) -> bool:
    """Tell whether the total went down by 6 or more: a drop of 6 is, a drop of 5 is not."""
    return check_total(first) - check_total(latest) >= RELIABLE_DROP


def is_recovery(first: int, latest: int) -> bool:
    """Tell whether the total went from 10 or above to below 10 (10 to 9 is; 9 to 8 is not)."""
    return check_total(first) >= RECOVERY_CUTOFF > check_total(latest)


@dataclass(frozen=True)
class Outcome:
    """A participant's outcomes over the course; each flag is None until two measures exist.

    ``first_measure`` says where ``first`` came from: ``baseline`` (the pre-group meeting),
    ``in_group`` (the first PHQ-9 in the group) or None (no measure yet). ``measures`` counts
    the baseline too.
    """

    first: int | None
    latest: int | None
    measures: int
    response: bool | None = None
    remission: bool | None = None
    reliable_improvement: bool | None = None
    recovery: bool | None = None
    first_measure: str | None = None

    @property
    def change(self) -> int | None:
        """Latest total minus first total (negative is better), or None before two measures."""
        return None if self.measures < 2 else self.latest - self.first

    def as_dict(self) -> dict:
        """The outcome as plain JSON-ready values."""
        return {"first_phq9": self.first, "latest_phq9": self.latest, "measures": self.measures,
                "change": self.change, "response": self.response, "remission": self.remission,
                "reliable_improvement": self.reliable_improvement, "recovery": self.recovery,
                "first_measure": self.first_measure}


def course_outcome(totals: Iterable[int | None], baseline: int | None = None) -> Outcome:
    """Work out the outcomes from one participant's PHQ-9 totals in course order.

    ``None`` stands for a session without a PHQ-9 and is skipped. ``baseline``, the complete
    PHQ-9 total of the pre-group meeting, comes before them all and is then the first measure;
    without one the first PHQ-9 in the group is. The first and latest totals are shown from the
    first measure on; the four outcomes need a second, later measure to compare with, so with
    fewer than two measures they are all None ("not yet known").
    """
    measured = [check_total(t) for t in totals if t is not None]
    source = FROM_GROUP
    if baseline is not None:
        measured, source = [check_total(baseline), *measured], FROM_BASELINE
    if not measured:
        return Outcome(first=None, latest=None, measures=0)
    first, latest = measured[0], measured[-1]
    if len(measured) < 2:
        return Outcome(first=first, latest=latest, measures=1, first_measure=source)
    return Outcome(first=first, latest=latest, measures=len(measured),
                   response=is_response(first, latest), remission=is_remission(latest),
                   reliable_improvement=is_reliable_improvement(first, latest),
                   recovery=is_recovery(first, latest), first_measure=source)


@dataclass(frozen=True)
class Measure:
    """One check-in reduced to what the charts need; ``order`` grows with time (the id)."""

    session_number: int
    order: int
    mood: int
    phq9_total: int | None


@dataclass(frozen=True)
class Point:
    """A participant's measure for one session."""

    session_number: int
    mood: int | None
    phq9_total: int | None


def session_points(measures: Iterable[Measure]) -> dict[int, Point]:
    """Reduce a participant's check-ins to one point per session number.

    The mood is that of their latest check-in of the session; the PHQ-9 total is that of their
    latest check-in of the session that had one (a later mood-only check-in keeps it).
    """
    moods: dict[int, tuple[int, int]] = {}
    totals: dict[int, tuple[int, int]] = {}
    for m in measures:
        if m.session_number not in moods or m.order > moods[m.session_number][0]:
            moods[m.session_number] = (m.order, m.mood)
        if m.phq9_total is not None and (
            m.session_number not in totals or m.order > totals[m.session_number][0]
        ):
            totals[m.session_number] = (m.order, m.phq9_total)
    return {n: Point(n, moods[n][1], totals[n][1] if n in totals else None)
            for n in sorted(moods)}


def mean(values: Iterable[float | None]) -> float | None:
    """The mean of the values that are not None, to one decimal; None if there are none."""
    present = [v for v in values if v is not None]
    return round(sum(present) / len(present), 1) if present else None


def change(previous: int | None, current: int | None) -> int | None:
    """The change from ``previous`` to ``current`` (negative is a drop), or None if unknown."""
    if previous is None or current is None:
        return None
    return current - previous


def was_expected(session_ended_at: datetime | None, member_since: datetime) -> bool:
    """Tell whether a participant was a member when an ended session ended (so could attend)."""
    return session_ended_at is not None and session_ended_at >= member_since


def missed_runs(attended: Sequence[tuple[int, bool]],
                in_a_row: int = MISSED_IN_A_ROW) -> list[list[int]]:
    """List each run of ``in_a_row`` or more consecutive sessions a participant missed.

    ``attended`` holds ``(session_number, came)`` for the ended sessions the participant was
    expected at, in course order. Each run is the list of session numbers missed.
    """
    runs: list[list[int]] = []
    current: list[int] = []
    for number, came in attended:
        if came:
            current = []
            continue
        current.append(number)
        if len(current) == in_a_row:
            runs.append(current)  # the same list keeps growing while the run goes on
    return runs


def missing_now(attended: Sequence[tuple[int, bool]], in_a_row: int = MISSED_IN_A_ROW) -> bool:
    """Tell whether the participant missed the last ``in_a_row`` or more sessions, up to now."""
    runs = missed_runs(attended, in_a_row)
    return bool(runs) and bool(attended) and runs[-1][-1] == attended[-1][0]


NO_MEASURE, ONE_MEASURE, MEASURED = "no_measure", "one_measure", "measured"


def data_state(measures: int) -> str:
    """Say what a participant's PHQ-9 measures allow: ``no_measure``, ``one_measure`` or
    ``measured`` (two or more, so the outcomes are known).

    Intention to treat counts everyone enrolled; those without two measures are "no data" and
    count as not having reached an outcome.
    """
    if measures >= 2:
        return MEASURED
    return ONE_MEASURE if measures == 1 else NO_MEASURE


def share(count: int, of: int) -> float | None:
    """``count`` as a share 0-1 of ``of``, to three places; None when ``of`` is 0."""
    return round(count / of, 3) if of else None
