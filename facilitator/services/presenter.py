"""Presenter mode: a facilitator shares their console's screen with the group.

While it is on for a facilitator and a session, that facilitator's consoles of the session
are given only what a participant may see (``realtime.rooms.for_presenter``,
``realtime.state``): no check-ins, notes, alerts, pending cards, reflections or authors of
anonymous cards. It is kept in the database, so a reconnect or a reload stays in it.
"""

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import GroupSession, PresenterMode
from . import audit, checkins


def is_on(user, session_id: int) -> bool:
    """Tell whether ``user`` (a facilitator) presents the session's console."""
    if getattr(user, "kind", None) != "facilitator":
        return False
    return db.session.get(PresenterMode, (user.id, session_id)) is not None


def set_mode(user, session: GroupSession, on: bool) -> None:
    """Turn presenter mode on or off for the facilitator in this session; audit it."""
    if on and not is_on(user, session.id):
        db.session.add(PresenterMode(facilitator_id=user.id, session_id=session.id))
        try:
            db.session.commit()
        except IntegrityError:  # another tab turned it on at the same moment
            db.session.rollback()
    elif not on:
        db.session.execute(delete(PresenterMode).where(
            PresenterMode.facilitator_id == user.id, PresenterMode.session_id == session.id))
    audit.record(user, session.group_id, "presenter.on" if on else "presenter.off",
                 f"session {session.number}")


def alerts_waiting(group_id: int) -> int:
    """How many of the group's alerts are open: a number, nothing about whom or why."""
    return len(checkins.open_alerts(group_id))
