"""Counting outcomes honestly: a ``Tally`` of attendance and outcomes over one group or several,
for the whole group and by each member's problem area.

Intention to treat: everyone enrolled counts, whether or not they still come; those without two
PHQ-9 measures (the meeting's baseline counts as one) are "no data" and have not reached an
outcome. A member who is not enrolled (still to meet, meeting done, or referred elsewhere or
declined without ever taking part) is not counted; one who took part and then left still is.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..models import Group
from . import reporting
from .outcomes import (
    FROM_BASELINE,
    FROM_GROUP,
    MEASURED,
    NO_MEASURE,
    ONE_MEASURE,
    Outcome,
    data_state,
    share,
)
from .vocabulary import PROBLEM_AREAS

OUTCOME_KEYS = ("response", "remission", "reliable_improvement", "recovery")
# The problem areas outcomes are read by, in screen order; None: no problem area yet.
AREA_KEYS: tuple[str | None, ...] = (*PROBLEM_AREAS, None)


@dataclass
class Tally:
    """Attendance and outcome counts, added up over one group or several.

    Outcomes are counted by intention to treat: ``participants`` is everyone enrolled (every
    participant of the group, whether or not they still come or their join link was revoked);
    those without two PHQ-9 measures are "no data" (``no_measure`` + ``one_measure``) and count
    as not having reached an outcome. ``measured`` are those with two or more measures.
    ``from_baseline`` / ``from_group`` count those whose first measure was their meeting's
    baseline / their first PHQ-9 in the group; ``not_enrolled`` the members left out because
    they never joined the group (``in_intention_to_treat``).
    """

    participants: int = 0
    attended: int = 0
    expected: int = 0
    measured: int = 0
    outcomes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOME_KEYS, 0))
    no_measure: int = 0
    one_measure: int = 0
    groups: int = 0
    groups_complete: int = 0
    from_baseline: int = 0
    from_group: int = 0
    not_enrolled: int = 0

    @property
    def attendance_rate(self) -> float | None:
        """Share of expected attendances that happened, 0-1, or None before any."""
        return round(self.attended / self.expected, 3) if self.expected else None

    @property
    def no_data(self) -> int:
        """How many enrolled have fewer than two PHQ-9 measures."""
        return self.no_measure + self.one_measure

    @property
    def so_far(self) -> bool:
        """Tell whether a group counted here has not finished its course yet."""
        return self.groups_complete < self.groups

    def rate(self, key: str) -> float | None:
        """Share of participants with two measures who reached outcome ``key``."""
        return share(self.outcomes[key], self.measured)

    def rate_enrolled(self, key: str) -> float | None:
        """Share of everyone enrolled who reached outcome ``key`` (intention to treat)."""
        return share(self.outcomes[key], self.participants)

    def count(self, outcome: Outcome) -> None:
        """Count one enrolled participant and their outcomes."""
        self.participants += 1
        state = data_state(outcome.measures)
        self.no_measure += state == NO_MEASURE
        self.one_measure += state == ONE_MEASURE
        self.from_baseline += outcome.first_measure == FROM_BASELINE
        self.from_group += outcome.first_measure == FROM_GROUP
        if state == MEASURED:
            self.measured += 1
            for key in OUTCOME_KEYS:
                self.outcomes[key] += bool(getattr(outcome, key))

    def add(self, other: Tally) -> None:
        """Add another tally's counts to this one."""
        for name in ("participants", "attended", "expected", "measured", "no_measure",
                     "one_measure", "groups", "groups_complete", "from_baseline", "from_group",
                     "not_enrolled"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for key in OUTCOME_KEYS:
            self.outcomes[key] += other.outcomes[key]

    def as_dict(self) -> dict:
        """The tally as JSON-ready values: counts and shares by code, no names, no free text."""
        return {"participants": self.participants, "sessions_attended": self.attended,
                "sessions_expected": self.expected, "attendance_rate": self.attendance_rate,
                "measured": self.measured, **{k: self.outcomes[k] for k in OUTCOME_KEYS},
                "enrolled": self.participants, "no_data": self.no_data,
                "no_measure": self.no_measure, "one_measure": self.one_measure,
                "so_far": self.so_far,
                "rates_enrolled": {k: self.rate_enrolled(k) for k in OUTCOME_KEYS},
                "rates_measured": {k: self.rate(k) for k in OUTCOME_KEYS},
                "first_measure_baseline": self.from_baseline,
                "first_measure_in_group": self.from_group, "not_enrolled": self.not_enrolled}


@dataclass
class GroupTallies:
    """A group's tally, one tally per problem area (``AREA_KEYS``) of its members, and the
    ids of the members left out of both (not enrolled)."""

    total: Tally
    by_area: dict[str | None, Tally]
    left_out: set[int] = field(default_factory=set)


def area_key(problem_area: str | None) -> str | None:
    """The key a member is counted under: their primary problem area, or None for none yet."""
    return problem_area if problem_area in PROBLEM_AREAS else None


def in_intention_to_treat(person: reporting.ParticipantCourse, attended: int) -> bool:
    """Tell whether a member counts in the outcomes: enrolled now, or took part in the group
    (came to a session or checked in) before being referred elsewhere or declining."""
    return person.participant.status == "enrolled" or attended > 0 or bool(person.points)


def group_tallies(group: Group) -> GroupTallies:
    """Count a group's attendance and, over everyone enrolled, its participants' outcomes:
    for the whole group and by each member's (primary) problem area."""
    rows = {row.participant.id: row for row in reporting.attendance_rows(group)}
    complete = int(reporting.course_complete(group))
    total = Tally(groups=1, groups_complete=complete)
    by_area = {key: Tally() for key in AREA_KEYS}
    left_out = set()
    for person in reporting.course_measures(group).people:
        row = rows[person.participant.id]
        counted = in_intention_to_treat(person, row.attended)
        if not counted:
            left_out.add(person.participant.id)
        for tally in (total, by_area[area_key(person.participant.problem_area)]):
            if not counted:
                tally.not_enrolled += 1
                continue
            tally.attended += row.attended
            tally.expected += row.expected
            tally.count(person.outcome)
    for tally in by_area.values():
        if tally.participants:
            tally.groups, tally.groups_complete = 1, complete
    return GroupTallies(total, by_area, left_out)


def add_areas(tallies: list[dict[str | None, Tally]]) -> dict[str | None, Tally]:
    """Add up several groups' tallies by problem area, every area of ``AREA_KEYS`` present."""
    summed = {key: Tally() for key in AREA_KEYS}
    for by_area in tallies:
        for key, tally in by_area.items():
            summed[key].add(tally)
    return summed


def area_list(by_area: dict[str | None, Tally]) -> list[dict]:
    """Tallies by problem area as JSON lists them: every area in order, then none yet (null)."""
    return [{"problem_area": key, "totals": by_area[key].as_dict()} for key in AREA_KEYS]
