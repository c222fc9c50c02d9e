"""The programme view: every group's alerts, attendance and outcomes, per group and per
facilitator, and who runs which group. For programme administrators."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from ..extensions import db
from ..models import Alert, Facilitator, Group, GroupFacilitator
from . import Refused, reporting
from .tokens import revoke_all

ROLES = ("lead", "co")
OUTCOME_KEYS = ("response", "remission", "reliable_improvement", "recovery")


def set_admin(facilitator: Facilitator, admin: bool = True) -> None:
    """Make a facilitator a programme administrator (or not)."""
    facilitator.is_admin = admin
    if not admin:
        revoke_all(facilitator)  # final: making them administrator again revives none
    db.session.commit()


def may_read_group(user, group_id: int) -> bool:
    """Tell whether a facilitator may read a group's reports: they run it, or are an admin."""
    return getattr(user, "kind", None) == "facilitator" and (
        user.runs(group_id) or bool(user.is_admin))


@dataclass
class Tally:
    """Attendance and outcome counts, added up over one group or several."""

    participants: int = 0
    attended: int = 0
    expected: int = 0
    measured: int = 0
    outcomes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOME_KEYS, 0))

    @property
    def attendance_rate(self) -> float | None:
        """Share of expected attendances that happened, 0-1, or None before any."""
        return round(self.attended / self.expected, 3) if self.expected else None

    def rate(self, key: str) -> float | None:
        """Share of participants with two measures who reached outcome ``key``."""
        return round(self.outcomes[key] / self.measured, 3) if self.measured else None

    def add(self, other: Tally) -> None:
        """Add another tally's counts to this one."""
        self.participants += other.participants
        self.attended += other.attended
        self.expected += other.expected
        self.measured += other.measured
        for key in OUTCOME_KEYS:
            self.outcomes[key] += other.outcomes[key]

    def as_dict(self) -> dict:
        """The tally as JSON-ready values."""
        return {"participants": self.participants, "sessions_attended": self.attended,
                "sessions_expected": self.expected, "attendance_rate": self.attendance_rate,
                "measured": self.measured, **{k: self.outcomes[k] for k in OUTCOME_KEYS}}


def group_tally(group: Group) -> Tally:
    """Count a group's attendance and its participants' outcomes."""
    rows = reporting.attendance_rows(group)
    people = reporting.course_measures(group).people
    tally = Tally(participants=len(people), attended=sum(r.attended for r in rows),
                  expected=sum(r.expected for r in rows))
    for person in people:
        if person.outcome.measures >= 2:
            tally.measured += 1
            for key in OUTCOME_KEYS:
                tally.outcomes[key] += bool(getattr(person.outcome, key))
    return tally


@dataclass
class GroupLine:
    """One group in the programme view."""

    group: Group
    open_alerts: int
    sessions_ended: int
    tally: Tally
    team: list[tuple[Facilitator, str]]


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


def team_of(group_id: int) -> list[tuple[Facilitator, str]]:
    """The facilitators of a group and their roles, leads first."""
    rows = db.session.execute(
        select(Facilitator, GroupFacilitator.role)
        .join(GroupFacilitator, GroupFacilitator.facilitator_id == Facilitator.id)
        .where(GroupFacilitator.group_id == group_id)
        .order_by(GroupFacilitator.role.desc(), Facilitator.name))
    return [(person, role) for person, role in rows]


def group_lines() -> list[GroupLine]:
    """Every group of the programme with its alerts, attendance, outcomes and team."""
    alerts = open_alert_counts()
    groups = db.session.scalars(select(Group).order_by(Group.name, Group.id))
    return [GroupLine(g, alerts.get(g.id, 0), sum(s.status == "ended" for s in g.sessions),
                      group_tally(g), team_of(g.id)) for g in groups]


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
