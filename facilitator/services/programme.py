"""The programme view: every group's alerts, attendance and outcomes, per group and per
facilitator, and who runs which group. For programme administrators."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from statistics import median

from sqlalchemy import func, select

from ..extensions import db
from ..models import SUPERVISOR, Alert, Facilitator, Group, GroupFacilitator, utcnow
from . import Refused, risk
from .tally import OUTCOME_KEYS as OUTCOME_KEYS  # re-exported for the views
from .tally import Tally, add_areas, group_tallies
from .tokens import revoke_all

ROLES = ("lead", "co")


def set_admin(facilitator: Facilitator, admin: bool = True) -> None:
    """Make a facilitator a programme administrator (or not)."""
    facilitator.is_admin = admin
    if not admin:
        revoke_all(facilitator)  # final: making them administrator again revives none
    db.session.commit()


def group_tally(group: Group) -> Tally:
    """Count a group's attendance and, over everyone enrolled, its participants' outcomes."""
    return group_tallies(group).total


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
    areas: dict[str | None, Tally] = field(default_factory=dict)


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
    """The facilitators of a group and their roles, leads first (never its supervisors)."""
    rows = db.session.execute(
        select(Facilitator, GroupFacilitator.role)
        .join(GroupFacilitator, GroupFacilitator.facilitator_id == Facilitator.id)
        .where(GroupFacilitator.group_id == group_id, GroupFacilitator.role != SUPERVISOR)
        .order_by(GroupFacilitator.role.desc(), Facilitator.name))
    return [(person, role) for person, role in rows]


def group_lines() -> list[GroupLine]:
    """Every group of the programme with its alerts, attendance, outcomes, team and safety."""
    alerts = open_alert_counts()
    safety = safety_figures()
    lines = []
    for g in db.session.scalars(select(Group).order_by(Group.name, Group.id)):
        tallies = group_tallies(g)
        lines.append(GroupLine(g, alerts.get(g.id, 0), sum(s.status == "ended" for s in g.sessions),
                               tallies.total, team_of(g.id), safety.get(g.id, Safety()),
                               tallies.by_area))
    return lines


def area_lines(groups: list[GroupLine]) -> dict[str | None, Tally]:
    """The programme's outcomes by problem area, added up over every group."""
    return add_areas([line.areas for line in groups])


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
