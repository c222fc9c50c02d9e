"""The audit trail: facilitator actions that touch participant data, append-only."""

from sqlalchemy import select

from ..extensions import db
from ..models import AuditEvent


def record(user, group_id: int | None, action: str, subject: str | None = None) -> None:
    """Append one audit event (who, what, when) and commit it."""
    db.session.add(AuditEvent(group_id=group_id, facilitator_id=user.id, action=action,
                              subject=subject))
    db.session.commit()


def trail(group_id: int) -> list[AuditEvent]:
    """List a group's audit events, newest first."""
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.group_id == group_id)
                                   .order_by(AuditEvent.id.desc())))
