"""The checks and loaders views share: who may open a page, and the rows it is about.

Each answers as HTTP does: a participant on a facilitator's page gets 403, a row that does
not exist 404, a row of someone else's group 403. The rules behind them are the
predicates of ``services/access.py``.
"""

from flask import abort
from flask_login import current_user

from ..extensions import db
from ..models import Alert, Group, GroupSession, Participant
from ..services import Refused, access


def facilitator_required() -> None:
    """Refuse a participant on a facilitator's page."""
    if not access.is_facilitator(current_user):
        abort(403, "This page is for facilitators.")


def group_where(group_id: int, allowed) -> Group:
    """Load a group the facilitator passes ``allowed(user, group_id)`` for, or 404/403."""
    facilitator_required()
    group = db.get_or_404(Group, group_id)
    if not allowed(current_user, group.id):
        abort(403, "You do not run this group.")
    return group


def my_group(group_id: int) -> Group:
    """Load a group the signed-in facilitator runs, or answer 404/403."""
    return group_where(group_id, access.may_access_group)


def my_session(session_id: int) -> GroupSession:
    """Load a session of a group the signed-in facilitator runs."""
    session = db.get_or_404(GroupSession, session_id)
    my_group(session.group_id)
    return session


def readable_group(group_id: int) -> Group:
    """Load a group the facilitator may read (runs or supervises it, ``access.may_read_group``),
    or answer 404/403."""
    return group_where(group_id, access.may_read_group)


def readable_session(session_id: int) -> GroupSession:
    """Load a session of a group whose reports the facilitator may read."""
    session = db.get_or_404(GroupSession, session_id)
    readable_group(session.group_id)
    return session


def answered(load, *args):
    """Run a loader of ``services/access.py`` for the signed-in user; a refusal becomes
    404 (no such row) or 403 (not theirs), as HTTP answers it."""
    try:
        return load(current_user, *args)
    except Refused as exc:
        abort(404 if exc.code == "not_found" else 403, exc.message)


def my_alert(alert_id: int, read: bool = False) -> Alert:
    """Load an alert of a group the signed-in facilitator runs (``read``: or supervises),
    or answer 403/404."""
    return answered(access.load_alert, alert_id, read)


def my_member(group_id: int, participant_id: int, edit: bool = False) -> Participant:
    """Load a member of a group for their profile or meeting (``edit``: the group's own
    facilitators only; reading: also programme administrators), or answer 403/404."""
    return answered(access.load_member, group_id, participant_id, edit)
