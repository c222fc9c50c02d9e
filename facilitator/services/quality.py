"""The programme's quality: fidelity (the facilitators' own records and the supervisors'
reviews), the share of sessions reviewed and referrals pending, per group, per facilitator and
per calendar month; and the rule for "facilitators whose fidelity is falling".

A session counts for every facilitator on its group's team (lead or co-facilitator, never a
supervisor) and for the month its ``ended_at`` falls in. A record's percent is the sum of its
scores over twice the number of items scored (not applicable left out); a figure's percent is
the mean of its sessions' percents. The safety and outcome figures are ``services.programme``'s
own, reused here. Read only: nothing here writes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from statistics import mean

from sqlalchemy import select

from ..extensions import db
from ..models import SUPERVISOR, Facilitator, FidelityRating, GroupFacilitator, GroupSession
from . import ending, programme
from .fidelity import ENDED, REVIEW, SELF
from .tally import Tally, add_areas, area_list

# The falling rule: the last FALLING_SESSIONS sessions with a record against the ones before.
FALLING_SESSIONS = 3
FALLING_POINTS = 10


def record_percent(scores: dict) -> float | None:
    """A record's percent: sum of scores / (2 x items scored); None when nothing was scored."""
    scored = [v for v in (scores or {}).values() if v is not None]
    return 100 * sum(scored) / (2 * len(scored)) if scored else None


def mean_percent(percents: list[float]) -> float | None:
    """The mean of some percents to one decimal, or None when there are none."""
    return round(mean(percents), 1) if percents else None


@dataclass
class SessionQuality:
    """One ended session: its group, month, and its records' percents (None: no percent)."""

    session: GroupSession
    has_self: bool = False
    has_review: bool = False
    self_percent: float | None = None
    review_percent: float | None = None

    @property
    def month(self) -> str:
        """The calendar month the session ended in, "YYYY-MM"."""
        return self.session.ended_at.strftime("%Y-%m")

    @property
    def best_percent(self) -> float | None:
        """The supervisor's review when there is one, else the facilitators' own record."""
        return self.review_percent if self.review_percent is not None else self.self_percent


@dataclass
class Figures:
    """Fidelity figures added up over some ended sessions."""

    sessions_ended: int = 0
    with_record: int = 0
    reviewed: int = 0
    self_percents: list[float] = field(default_factory=list)
    review_percents: list[float] = field(default_factory=list)

    def count(self, found: SessionQuality) -> None:
        """Count one ended session and its records."""
        self.sessions_ended += 1
        self.with_record += found.has_self
        self.reviewed += found.has_review
        if found.self_percent is not None:
            self.self_percents.append(found.self_percent)
        if found.review_percent is not None:
            self.review_percents.append(found.review_percent)

    @property
    def self_percent(self) -> float | None:
        """Mean percent of the facilitators' own records."""
        return mean_percent(self.self_percents)

    @property
    def review_percent(self) -> float | None:
        """Mean percent of the supervisors' reviews."""
        return mean_percent(self.review_percents)

    @property
    def share_reviewed(self) -> float | None:
        """Share of the ended sessions a supervisor reviewed, 0-1, or None before any."""
        return round(self.reviewed / self.sessions_ended, 3) if self.sessions_ended else None

    def as_dict(self) -> dict:
        """The figures as JSON-ready counts and shares (no names, no free text)."""
        return {"sessions_ended": self.sessions_ended, "sessions_with_record": self.with_record,
                "sessions_reviewed": self.reviewed, "share_reviewed": self.share_reviewed,
                "self_percent": self.self_percent, "review_percent": self.review_percent}


@dataclass
class Fidelity:
    """Fidelity figures overall and by month ("YYYY-MM", oldest first)."""

    total: Figures = field(default_factory=Figures)
    months: dict[str, Figures] = field(default_factory=dict)

    def count(self, found: SessionQuality) -> None:
        """Count one session in the total and in its month."""
        self.total.count(found)
        self.months.setdefault(found.month, Figures()).count(found)

    def month_list(self) -> list[tuple[str, Figures]]:
        """The months in order, each with its figures."""
        return sorted(self.months.items())

    def as_dict(self) -> dict:
        """The figures, overall and by month, as JSON-ready values keyed by code."""
        return {"fidelity": self.total.as_dict(),
                "by_month": [{"month": month, **f.as_dict()} for month, f in self.month_list()]}


def session_qualities(group_ids=None) -> list[SessionQuality]:
    """Every ended session (of ``group_ids``, or all) with its records' percents, oldest first.

    Two queries: the sessions, then every record of them.
    """
    query = select(GroupSession).where(GroupSession.status == ENDED,
                                       GroupSession.ended_at.is_not(None))
    if group_ids is not None:
        query = query.where(GroupSession.group_id.in_(list(group_ids)))
    found = {s.id: SessionQuality(s) for s in db.session.scalars(
        query.order_by(GroupSession.ended_at, GroupSession.id))}
    rows = db.session.execute(select(FidelityRating.session_id, FidelityRating.kind,
                                     FidelityRating.scores)
                              .where(FidelityRating.session_id.in_(list(found))))
    for session_id, kind, scores in rows:
        line = found[session_id]
        if kind == SELF:
            line.has_self, line.self_percent = True, record_percent(scores)
        elif kind == REVIEW:
            line.has_review, line.review_percent = True, record_percent(scores)
    return list(found.values())


def teams(group_ids=None) -> dict[int, list[Facilitator]]:
    """The facilitators running each group (leads and co-facilitators, never supervisors)."""
    query = (select(GroupFacilitator.group_id, Facilitator)
             .join(Facilitator, GroupFacilitator.facilitator_id == Facilitator.id)
             .where(GroupFacilitator.role != SUPERVISOR))
    if group_ids is not None:
        query = query.where(GroupFacilitator.group_id.in_(list(group_ids)))
    found: dict[int, list[Facilitator]] = defaultdict(list)
    for group_id, person in db.session.execute(query):
        found[group_id].append(person)
    return found


def by_group(sessions: list[SessionQuality]) -> dict[int, Fidelity]:
    """Fidelity figures per group id."""
    found: dict[int, Fidelity] = defaultdict(Fidelity)
    for line in sessions:
        found[line.session.group_id].count(line)
    return found


def by_facilitator(sessions: list[SessionQuality],
                   team: dict[int, list[Facilitator]]) -> dict[int, Fidelity]:
    """Fidelity figures per facilitator id: each session counts for its group's whole team."""
    found: dict[int, Fidelity] = defaultdict(Fidelity)
    for line in sessions:
        for person in team.get(line.session.group_id, []):
            found[person.id].count(line)
    return found


def programme_fidelity(sessions: list[SessionQuality]) -> Fidelity:
    """Fidelity figures over the whole programme."""
    found = Fidelity()
    for line in sessions:
        found.count(line)
    return found


def falling(percents: list[float]) -> tuple[float, float] | None:
    """(earlier mean, recent mean) when the mean of the last 3 percents is at least 10 points
    below the mean of the 3 before; None otherwise, or with fewer than 6 percents."""
    if len(percents) < 2 * FALLING_SESSIONS:
        return None
    recent = mean(percents[-FALLING_SESSIONS:])
    earlier = mean(percents[-2 * FALLING_SESSIONS:-FALLING_SESSIONS])
    # Rounded so that a drop of exactly 10 points is not lost to floating point.
    if round(earlier - recent, 6) >= FALLING_POINTS:
        return round(earlier, 1), round(recent, 1)
    return None


@dataclass
class Falling:
    """A facilitator whose fidelity is falling: the two means and the six sessions behind them."""

    facilitator: Facilitator
    earlier: float
    recent: float
    sessions: list[GroupSession]


def falling_facilitators(group_ids) -> list[Falling]:
    """The facilitators of these groups whose fidelity is falling (``falling``), by name.

    Each facilitator's sessions with a record in these groups, oldest first; a session's
    percent is the supervisor's review when there is one, else the own record.
    """
    sessions = [s for s in session_qualities(group_ids) if s.best_percent is not None]
    team = teams(group_ids)
    mine: dict[int, list[SessionQuality]] = defaultdict(list)
    people: dict[int, Facilitator] = {}
    for line in sessions:
        for person in team.get(line.session.group_id, []):
            mine[person.id].append(line)
            people[person.id] = person
    found = []
    for person_id, lines in mine.items():
        means = falling([line.best_percent for line in lines])
        if means:
            found.append(Falling(people[person_id], *means,
                                 [line.session for line in lines[-2 * FALLING_SESSIONS:]]))
    return sorted(found, key=lambda f: (f.facilitator.name, f.facilitator.id))


@dataclass
class GroupQuality:
    """One group: its programme line (team, outcomes, safety), fidelity, referrals pending."""

    line: programme.GroupLine
    fidelity: Fidelity
    referrals_pending: int

    def as_dict(self) -> dict:
        """The group's figures by code: ids and counts, no names of people, no free text."""
        return {"group_id": self.line.group.id,
                "facilitator_ids": sorted(person.id for person, _ in self.line.team),
                **self.fidelity.as_dict(), "referrals_pending": self.referrals_pending,
                "safety": self.line.safety.as_dict(), "totals": self.line.tally.as_dict(),
                "by_problem_area": area_list(self.line.areas)}


@dataclass
class FacilitatorQuality:
    """One facilitator, over the groups they run: fidelity, outcomes, safety, referrals."""

    facilitator: Facilitator
    group_ids: list[int]
    fidelity: Fidelity
    tally: Tally
    areas: dict[str | None, Tally]
    safety: programme.Safety
    referrals_pending: int

    def as_dict(self) -> dict:
        """The facilitator's figures by code (their name, as the API's groups list it)."""
        return {"facilitator_id": self.facilitator.id, "name": self.facilitator.name,
                "group_ids": self.group_ids, **self.fidelity.as_dict(),
                "referrals_pending": self.referrals_pending, "safety": self.safety.as_dict(),
                "totals": self.tally.as_dict(), "by_problem_area": area_list(self.areas)}


@dataclass
class Quality:
    """The programme's quality: per group, per facilitator, and the whole programme."""

    groups: list[GroupQuality]
    facilitators: list[FacilitatorQuality]
    programme: Fidelity

    def as_dict(self) -> dict:
        """Everything as the API serves it."""
        return {"months": sorted(self.programme.months), "programme": self.programme.as_dict(),
                "groups": [g.as_dict() for g in self.groups],
                "facilitators": [f.as_dict() for f in self.facilitators]}


def team_safety(lines: list[programme.GroupLine], waits: dict) -> programme.Safety:
    """Several groups' safety figures together: counts added, the median over all their waits."""
    found = programme.Safety()
    every = [wait for line in lines for wait in waits.get(line.group.id, [])]
    for line in lines:
        found.acknowledged += line.safety.acknowledged
        found.unacknowledged += line.safety.unacknowledged
        found.overdue_follow_ups += line.safety.overdue_follow_ups
    found.median_seconds = programme.median_seconds(every)
    return found


def facilitator_quality(lines: list[GroupQuality], fidelity: dict[int, Fidelity],
                        waits: dict) -> list[FacilitatorQuality]:
    """Every facilitator who runs a group, by name, with the figures of the groups they run."""
    runs: dict[int, list[GroupQuality]] = defaultdict(list)
    people: dict[int, Facilitator] = {}
    for found in lines:
        for person, _ in found.line.team:
            runs[person.id].append(found)
            people[person.id] = person
    result = []
    for person_id, mine in runs.items():
        tally = Tally()
        for found in mine:
            tally.add(found.line.tally)
        result.append(FacilitatorQuality(
            people[person_id], [f.line.group.id for f in mine],
            fidelity.get(person_id, Fidelity()), tally,
            add_areas([f.line.areas for f in mine]),
            team_safety([f.line for f in mine], waits),
            sum(f.referrals_pending for f in mine)))
    return sorted(result, key=lambda f: (f.facilitator.name, f.facilitator.id))


def programme_quality() -> Quality:
    """The quality figures of every group and every facilitator who runs one.

    Outcomes and safety come from ``programme.group_lines``; fidelity from two queries over
    every ended session; referrals pending from ``ending.referrals_needed`` per group.
    """
    sessions = session_qualities()
    lines = programme.group_lines()
    team = {line.group.id: [person for person, _ in line.team] for line in lines}
    fidelity = by_group(sessions)
    groups = [GroupQuality(line, fidelity.get(line.group.id, Fidelity()),
                           len(ending.referrals_needed(line.group))) for line in lines]
    waits, _ = programme.alert_waits()
    return Quality(groups, facilitator_quality(groups, by_facilitator(sessions, team), waits),
                   programme_fidelity(sessions))
