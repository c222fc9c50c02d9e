"""The audit trail: facilitator actions that touch participant data, append-only."""

from sqlalchemy import select

from ..extensions import db
from ..models import AuditEvent


def add(user, group_id: int | None, action: str, subject: str | None = None) -> None:
    """Append one audit event (who, what, when) to the caller's transaction.

    The row commits, or rolls back, with the action it records: the view or handler that
    runs the action commits once.
    """
    db.session.add(AuditEvent(group_id=group_id, facilitator_id=user.id, action=action,
                              subject=subject))


def record(user, group_id: int | None, action: str, subject: str | None = None) -> None:
    """Append one audit event (who, what, when) and commit it."""
    add(user, group_id, action, subject)
    db.session.commit()


def trail(group_id: int, facilitator_id: int | None = None,
          action: str | None = None) -> list[AuditEvent]:
    """List a group's audit events, newest first; only one person's or one action's if asked."""
    query = select(AuditEvent).where(AuditEvent.group_id == group_id)
    if facilitator_id is not None:
        query = query.where(AuditEvent.facilitator_id == facilitator_id)
    if action is not None:
        query = query.where(AuditEvent.action == action)
    return list(db.session.scalars(query.order_by(AuditEvent.id.desc())))


def trail_choices(group_id: int) -> tuple[list[tuple[int, str]], list[str]]:
    """The people (id, name) and the actions a group's trail holds, to filter it by."""
    events = trail(group_id)
    people = {e.facilitator_id: e.facilitator.name for e in events if e.facilitator}
    return sorted(people.items(), key=lambda p: p[1]), sorted({e.action for e in events})


# Reading a page or document that shows participants' health data (docs/security.md).
READS = {
    "summary": "read.summary",
    "outcomes": "read.outcomes",
    "outcomes_json": "read.outcomes_json",
    "attendance": "read.attendance",
    "profile": "read.profile",
    "supervision": "read.supervision",
    "fidelity": "read.fidelity",
}


def record_read(user, group_id: int, what: str, subject: str | None = None) -> None:
    """Append that ``user`` opened the health-data page ``what`` (a key of ``READS``)."""
    record(user, group_id, READS[what], subject)
