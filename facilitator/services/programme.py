"""The programme view: every group's alerts, attendance and outcomes, per group and per
facilitator, and who runs which group. For programme administrators."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from statistics import median

from sqlalchemy import func, select

from ..extensions import db
from ..models import Alert, Facilitator, Group, GroupFacilitator, utcnow
from . import Refused, reporting, risk
from .outcomes import MEASURED, NO_MEASURE, ONE_MEASURE, Outcome, data_state, share
from .tokens import revoke_all

ROLES = ("lead", "co")
OUTCOME_KEYS = ("response", "remission", "reliable_improvement", "recovery")


def set_admin(facilitator: Facilitator, admin: bool = True) -> None:
    """Make a facilitator a programme administrator (or not)."""
    facilitator.is_admin = admin
    if not admin:
        revoke_all(facilitator)  # final: making them administrator again revives none
    db.session.commit()


@dataclass
class Tally:
    """Attendance and outcome counts, added up over one group or several.

    Outcomes are counted by intention to treat: ``participants`` is everyone enrolled (every
    participant of the group, whether or not they still come or their join link was revoked);
    those without two PHQ-9 measures are "no data" (``no_measure`` + ``one_measure``) and count
    as not having reached an outcome. ``measured`` are those with two or more measures.
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
        if state == MEASURED:
            self.measured += 1
            for key in OUTCOME_KEYS:
                self.outcomes[key] += bool(getattr(outcome, key))

    def add(self, other: Tally) -> None:
        """Add another tally's counts to this one."""
        for name in ("participants", "attended", "expected", "measured", "no_measure",
                     "one_measure", "groups", "groups_complete"):
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
                "rates_measured": {k: self.rate(k) for k in OUTCOME_KEYS}}


def group_tally(group: Group) -> Tally:
    """Count a group's attendance and, over everyone enrolled, its participants' outcomes."""
    rows = reporting.attendance_rows(group)
    tally = Tally(attended=sum(r.attended for r in rows), expected=sum(r.expected for r in rows),
                  groups=1, groups_complete=int(reporting.course_complete(group)))
    for person in reporting.course_measures(group).people:
        tally.count(person.outcome)
    return tally


@dataclass
class Safety:
    """A group's safety figures: alerts acknowledged and not, the median time from an alert to
    its acknowledgement, and risk follow-ups past their due time and not done. Counts only."""

    acknowledged: int = 0
    unacknowledged: int = 0
    median_seconds: int | None = None
    overdue_follow_ups: int = 0
    oldest_overdue_due: datetime | None = None

    def as_dict(self) -> dict:
        """The figures as JSON-ready values (no names, no free text)."""
        return {"acknowledged_alerts": self.acknowledged,
                "unacknowledged_alerts": self.unacknowledged,
                "median_seconds_to_acknowledge": self.median_seconds,
                "overdue_follow_ups": self.overdue_follow_ups}


@dataclass
class GroupLine:
    """One group in the programme view."""

    group: Group
    open_alerts: int
    sessions_ended: int
    tally: Tally
    team: list[tuple[Facilitator, str]]
    safety: Safety = field(default_factory=Safety)


@dataclass
class FacilitatorLine:
    """One facilitator in the programme view, with the tally of the groups they run."""

    facilitator: Facilitator
    roles: dict[str, int]
    tally: Tally


def open_alert_counts() -> dict[int, int]:
    """Map group id to its number of alerts nobody has acknowledged."""
    rows = db.session.execute(select(Alert.group_id, func.count()).where(
        Alert.acknowledged_at.is_(None)).group_by(Alert.group_id))
    return dict(rows.all())


def median_seconds(waits: list[timedelta]) -> int | None:
    """The median of the waits in whole seconds (rounded), or None when there are none.

    A wait below zero (a clock set back between the alert and its acknowledgement) counts as 0.
    """
    return round(median(max(0.0, w.total_seconds()) for w in waits)) if waits else None


def duration_words(seconds: int | None) -> str:
    """A wait for people: "45 s", "4 min", "1 h 5 min", "2 d 3 h"; an em dash when unknown."""
    if seconds is None:
        return "—"
    if seconds < 60:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"


def alert_waits() -> tuple[dict[int, list[timedelta]], dict[int, int]]:
    """Per group: the wait from each acknowledged alert to its acknowledgement, and how many
    alerts nobody has acknowledged."""
    waits: dict[int, list[timedelta]] = defaultdict(list)
    waiting: dict[int, int] = defaultdict(int)
    rows = db.session.execute(select(Alert.group_id, Alert.created_at, Alert.acknowledged_at))
    for group_id, created, acknowledged in rows:
        if acknowledged is None:
            waiting[group_id] += 1
        else:
            waits[group_id].append(acknowledged - created)
    return waits, waiting


def overdue_follow_ups(now: datetime | None = None) -> dict[int, tuple[int, datetime]]:
    """Per group: how many risk follow-ups are overdue, and the oldest due time.

    Overdue as the console and the group page say it (``risk.is_overdue``): a record's
    follow-up past its due time, or an acknowledged alert still without a record.
    """
    now = now or utcnow()
    found: dict[int, tuple[int, datetime]] = {}
    for alert in risk.open_follow_ups(db.session.scalars(select(Group.id))):
        if risk.is_overdue(alert, now):
            count, oldest = found.get(alert.group_id, (0, risk.due_of(alert)))
            found[alert.group_id] = (count + 1, min(oldest, risk.due_of(alert)))
    return found


def safety_figures(now: datetime | None = None) -> dict[int, Safety]:
    """The safety figures of every group that has any, by group id (for others: ``Safety()``)."""
    waits, waiting = alert_waits()
    overdue = overdue_follow_ups(now)
    figures: dict[int, Safety] = {}
    for group_id in {*waits, *waiting, *overdue}:
        count, oldest = overdue.get(group_id, (0, None))
        figures[group_id] = Safety(len(waits.get(group_id, [])), waiting.get(group_id, 0),
                                   median_seconds(waits.get(group_id, [])), count, oldest)
    return figures


def team_of(group_id: int) -> list[tuple[Facilitator, str]]:
    """The facilitators of a group and their roles, leads first."""
    rows = db.session.execute(
        select(Facilitator, GroupFacilitator.role)
        .join(GroupFacilitator, GroupFacilitator.facilitator_id == Facilitator.id)
        .where(GroupFacilitator.group_id == group_id)
        .order_by(GroupFacilitator.role.desc(), Facilitator.name))
    return [(person, role) for person, role in rows]


def group_lines() -> list[GroupLine]:
    """Every group of the programme with its alerts, attendance, outcomes, team and safety."""
    alerts = open_alert_counts()
    safety = safety_figures()
    groups = db.session.scalars(select(Group).order_by(Group.name, Group.id))
    return [GroupLine(g, alerts.get(g.id, 0), sum(s.status == "ended" for s in g.sessions),
                      group_tally(g), team_of(g.id), safety.get(g.id, Safety()))
            for g in groups]


def facilitator_lines(groups: list[GroupLine]) -> list[FacilitatorLine]:
    """Every facilitator with the added-up tally of the groups they run."""
    lines = {f.id: FacilitatorLine(f, dict.fromkeys(ROLES, 0), Tally())
             for f in db.session.scalars(select(Facilitator).order_by(Facilitator.name))}
    for line in groups:
        for person, role in line.team:
            lines[person.id].roles[role] = lines[person.id].roles.get(role, 0) + 1
            lines[person.id].tally.add(line.tally)
    return list(lines.values())


def assign(group: Group, facilitator: Facilitator, role: str) -> None:
    """Give a facilitator a role in a group (co-facilitators get the same live rights)."""
    if role not in ROLES:
        raise Refused("invalid", "A role is lead or co.")
    link = db.session.get(GroupFacilitator, (group.id, facilitator.id))
    if link is None:
        link = GroupFacilitator(group_id=group.id, facilitator_id=facilitator.id)
        db.session.add(link)
    link.role = role
    db.session.commit()


def unassign(group: Group, facilitator: Facilitator) -> None:
    """Take a facilitator off a group; a group always keeps at least one lead."""
    link = db.session.get(GroupFacilitator, (group.id, facilitator.id))
    if link is None:
        raise Refused("not_found", "This facilitator does not run this group.")
    leads = [person for person, role in team_of(group.id) if role == "lead"]
    if link.role == "lead" and leads == [facilitator]:
        raise Refused("conflict", "A group needs a lead: make someone else lead first.")
    db.session.delete(link)
    db.session.commit()
