"""Who may do what: a signed-in person and the session or group they act on."""

from ..extensions import db
from ..models import Alert, Card, GroupSession, Participant
from . import Refused, loading


def is_facilitator(user) -> bool:
    """Tell whether the signed-in user is a facilitator."""
    return getattr(user, "kind", None) == "facilitator"


def require_facilitator(user) -> None:
    """Refuse anyone but a facilitator."""
    if not is_facilitator(user):
        raise Refused("forbidden", "Only a facilitator can do this.")


def require_participant(user) -> None:
    """Refuse anyone but a participant."""
    if getattr(user, "kind", None) != "participant":
        raise Refused("forbidden", "Only a participant can do this.")


def may_access_group(user, group_id: int) -> bool:
    """Tell whether ``user`` belongs to the group: its facilitator, or an enrolled member.

    A member who is invited, meeting done, referred or declined has their pre-group page
    only (``facilitator.pregroup``): no session page and no live event of the group.
    """
    if is_facilitator(user):
        return user.runs(group_id)
    return getattr(user, "group_id", None) == group_id and is_enrolled(user)


def check_group(user, group_id: int) -> None:
    """Refuse a user who does not belong to the group."""
    if not may_access_group(user, group_id):
        raise Refused("forbidden", "You are not a member of this group.")


def load_session(user, session_id: int, facilitator_only: bool = False) -> GroupSession:
    """Load a session the user may act on, or refuse."""
    if facilitator_only:
        require_facilitator(user)
    session = loading.get(GroupSession, session_id)
    if session is None:
        raise Refused("not_found", "There is no such session.")
    check_group(user, session.group_id)
    return session


def require_live(session: GroupSession) -> None:
    """Refuse a submission to a session that is not running."""
    if session.status == "scheduled":
        raise Refused("conflict", "The session has not started yet.")
    if session.status == "ended":
        raise Refused("conflict", "The session has ended.")


def in_my_group(user, model, row_id: int, what: str):
    """Load a row of ``model`` that belongs to one of the user's groups, or refuse."""
    row = db.session.get(model, row_id)
    if row is None:
        raise Refused("not_found", f"There is no such {what}.")
    check_group(user, row.group_id)
    return row


def load_alert(user, alert_id: int) -> Alert:
    """Load an alert of one of the facilitator's groups, or refuse."""
    require_facilitator(user)
    return in_my_group(user, Alert, alert_id, "alert")


def load_card(user, card_id: int) -> Card:
    """Load a card of one of the facilitator's groups, or refuse."""
    require_facilitator(user)
    return in_my_group(user, Card, card_id, "card")


def load_own_card(user, card_id: int) -> Card:
    """Load a card the signed-in participant wrote, or refuse (anyone else's: forbidden)."""
    require_participant(user)
    card = in_my_group(user, Card, card_id, "card")
    if card.participant_id != user.id:
        raise Refused("forbidden", "Only the person who wrote a card can withdraw it.")
    return card


def member_of(session: GroupSession, participant_id: int) -> Participant:
    """Load a participant of the session's group, or refuse."""
    member = db.session.get(Participant, participant_id)
    if member is None or member.group_id != session.group_id:
        raise Refused("not_found", "There is no such participant in this group.")
    return member


def is_enrolled(user) -> bool:
    """Whether a participant's status lets them into the group sessions (enrolled only)."""
    participant = getattr(user, "participant", None)
    return getattr(participant, "status", "enrolled") == "enrolled"


def require_enrolled(user) -> None:
    """Refuse a participant who is not enrolled (yet, or any more): no live event for them."""
    if getattr(user, "kind", None) == "participant" and not is_enrolled(user):
        raise Refused("forbidden", "Your group sessions have not started for you. Your "
                                   "facilitator will talk with you.")


def load_member(user, group_id: int, participant_id: int) -> Participant:
    """A member of a group the facilitator runs, or refuse (someone else's group: forbidden)."""
    require_facilitator(user)
    if not user.runs(group_id):
        raise Refused("forbidden", "You do not run this group.")
    member = db.session.get(Participant, participant_id)
    if member is None or member.group_id != group_id:
        raise Refused("not_found", "There is no such member in this group.")
    return member
