"""Who may do what: a signed-in person and the session or group they act on.

Each permission is written once, here, in two forms side by side: a check on rows already
loaded (the ordinary way) and a SQL condition that the fast ways put inside their own
statements (``checkins``, ``collab``, ``live``), so the two can never disagree:

- a join link *holds*: it was not revoked (``link_holds`` / ``link_holds_sql``);
- its holder *takes part* in group sessions: their status is enrolled
  (``takes_part`` / ``takes_part_sql``);
- a session *is live*: started and not ended (``is_live`` / ``is_live_sql``);
- a facilitator *runs* a group, with the session version they signed in with
  (``Facilitator.runs`` after ``auth.facilitator_from`` / ``runs_group_sql``): a team row
  of a role other than supervisor (``models.RUNS_GROUP``);
- a facilitator *supervises* a group: a supervisor row of its team, or a programme
  administrator (``supervises``); whoever runs or supervises a group may *read* it
  (``may_read_group``), but a supervisor never runs the live session.

``tests/security/test_authz_matrix.py`` runs every event with the fast ways on and off.
"""

from sqlalchemy import and_, bindparam, exists

from ..db import loading
from ..extensions import db
from ..models import (
    SUPERVISOR,
    Alert,
    Card,
    Facilitator,
    GroupFacilitator,
    GroupSession,
    JoinLink,
    Participant,
)
from . import Refused

ENROLLED = "enrolled"
LIVE = "live"


def link_holds(revoked_at) -> bool:
    """A join link signs its holder in until it is revoked."""
    return revoked_at is None


def link_holds_sql(link=JoinLink):
    """``link_holds`` as a SQL condition on a join link (table or entity)."""
    return link.revoked_at.is_(None)


def takes_part(status: str | None) -> bool:
    """A member takes part in group sessions once enrolled (after the pre-group meeting)."""
    return status == ENROLLED


def takes_part_sql(participant=Participant):
    """``takes_part`` as a SQL condition on a participant (table or entity)."""
    return participant.status == ENROLLED


def is_live(session: GroupSession) -> bool:
    """A session is live between its start and its end."""
    return session.status == LIVE


def is_live_sql(session=GroupSession):
    """``is_live`` as a SQL condition on a session (table or entity)."""
    return session.status == LIVE


def version_holds(session_version, claimed: str) -> bool:
    """A facilitator's sign-in holds while their account's session version is the claimed one.

    Signing out moves the version on, so every cookie issued before stops working.
    """
    return session_version is not None and str(session_version) == claimed


def version_holds_sql(account=Facilitator):
    """``version_holds`` as a SQL condition: ``account``'s version is ``:version``."""
    return account.session_version == bindparam("version")


def runs_group_sql(group_id):
    """A SQL condition: facilitator ``:facilitator`` runs group ``group_id``, at ``:version``.

    The same rule as ``auth.facilitator_from`` (the session version they signed in with)
    and ``Facilitator.runs`` (the team), for a fast way's checked write.
    """
    runs, accounts = GroupFacilitator.__table__, Facilitator.__table__
    return exists().where(runs.c.group_id == group_id,
                          runs.c.facilitator_id == bindparam("facilitator"),
                          runs.c.role != SUPERVISOR,
                          accounts.c.id == runs.c.facilitator_id,
                          version_holds_sql(accounts.c))


def sender_may_post_sql(link=JoinLink, participant=Participant, session=GroupSession):
    """A participant's fast way: their link holds, they take part, the session is live."""
    return and_(link_holds_sql(link), takes_part_sql(participant), is_live_sql(session))


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


def runs_group(user, group_id: int) -> bool:
    """Tell whether ``user`` is a facilitator who runs the group (a supervisor row never
    counts): the Python twin of ``runs_group_sql``."""
    return is_facilitator(user) and user.runs(group_id)


def supervises(user, group_id: int) -> bool:
    """Tell whether a facilitator supervises a group: a supervisor of its team, or a
    programme administrator (who may supervise every group)."""
    if not is_facilitator(user):
        return False
    return bool(user.is_admin) or any(g.id == group_id for g in user.supervised_groups)


def may_read_group(user, group_id: int) -> bool:
    """Tell whether a facilitator may read a group (its console read only, reports,
    profiles, risk records, audit trail, supervision notes): they run or supervise it."""
    return runs_group(user, group_id) or supervises(user, group_id)


def leads_group(user, group_id: int) -> bool:
    """Tell whether a facilitator leads a group (its team's lead), or is a programme
    administrator: they choose the group's supervisors."""
    if not is_facilitator(user):
        return False
    row = db.session.get(GroupFacilitator, (group_id, user.id))
    return bool(user.is_admin) or (row is not None and row.role == "lead")


def on_team(user, group_id: int) -> bool:
    """Tell whether a facilitator is on a group's team (runs or supervises it): they may
    close the group's supervision actions."""
    return may_read_group(user, group_id)


def writes_fidelity_self(user, group_id: int) -> bool:
    """Tell whether a facilitator writes a session's own fidelity record: they run the group
    (a supervisor who does not run it reviews instead)."""
    return runs_group(user, group_id)


def writes_fidelity_review(user, group_id: int) -> bool:
    """Tell whether a facilitator writes the supervisor's fidelity review of a session: they
    supervise the group (or are a programme administrator) and do not run it."""
    return supervises(user, group_id) and not runs_group(user, group_id)


def check_readable(user, group_id: int) -> None:
    """Refuse a user who may not read the group (a participant: as ``check_group``)."""
    if is_facilitator(user) and may_read_group(user, group_id):
        return
    check_group(user, group_id)


def may_access_group(user, group_id: int) -> bool:
    """Tell whether ``user`` belongs to the group, as facilitator or enrolled participant."""
    if is_facilitator(user):
        return runs_group(user, group_id)
    participant = getattr(user, "participant", None)
    return (getattr(user, "group_id", None) == group_id and participant is not None
            and takes_part(participant.status))


def check_group(user, group_id: int) -> None:
    """Refuse a user who does not belong to the group."""
    if not may_access_group(user, group_id):
        raise Refused("forbidden", "You are not a member of this group.")


def load_session(user, session_id: int, facilitator_only: bool = False,
                 read: bool = False) -> GroupSession:
    """Load a session the user may act on, or refuse.

    ``read``: only to look (``session:join``): its supervisors may too (``may_read_group``).
    """
    if facilitator_only:
        require_facilitator(user)
    session = loading.get(GroupSession, session_id)
    if session is None:
        raise Refused("not_found", "There is no such session.")
    (check_readable if read else check_group)(user, session.group_id)
    return session


def require_live(session: GroupSession) -> None:
    """Refuse a submission to a session that is not running."""
    if is_live(session):
        return
    if session.status == "scheduled":
        raise Refused("conflict", "The session has not started yet.")
    if session.status == "ended":
        raise Refused("conflict", "The session has ended.")


def in_my_group(user, model, row_id: int, what: str, read: bool = False):
    """Load a row of ``model`` that belongs to one of the user's groups, or refuse
    (``read``: also of a group they supervise, to look only)."""
    row = db.session.get(model, row_id)
    if row is None:
        raise Refused("not_found", f"There is no such {what}.")
    (check_readable if read else check_group)(user, row.group_id)
    return row


def load_alert(user, alert_id: int, read: bool = False) -> Alert:
    """Load an alert of one of the facilitator's groups (``read``: or one they supervise),
    or refuse."""
    require_facilitator(user)
    return in_my_group(user, Alert, alert_id, "alert", read)


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


def load_member(user, group_id: int, participant_id: int, edit: bool = False) -> Participant:
    """Load a member of a group for their profile, or refuse.

    Reading is for those who may read the group (its facilitators and programme
    administrators, ``may_read_group``); changing the plan is for its facilitators only.
    """
    require_facilitator(user)
    allowed = runs_group(user, group_id) if edit else may_read_group(user, group_id)
    if not allowed:
        raise Refused("forbidden", "You do not run this group.")
    member = db.session.get(Participant, participant_id)
    if member is None or member.group_id != group_id:
        raise Refused("not_found", "There is no such member in this group.")
    return member


def member_of(session: GroupSession, participant_id: int) -> Participant:
    """Load a participant of the session's group, or refuse."""
    member = db.session.get(Participant, participant_id)
    if member is None or member.group_id != session.group_id:
        raise Refused("not_found", "There is no such participant in this group.")
    return member


def enrolled_member_of(session: GroupSession, participant_id: int) -> Participant:
    """Load a member of the session's group who takes part in its sessions, or refuse.

    For the weekly round: anyone else (another group's, one not enrolled) is ``invalid``.
    """
    member = db.session.get(Participant, participant_id)
    if member is None or member.group_id != session.group_id or not takes_part(member.status):
        raise Refused("invalid", "Choose a member enrolled in this group.")
    return member


def is_enrolled(user) -> bool:
    """Whether a participant takes part in the group sessions (``takes_part``)."""
    participant = getattr(user, "participant", None)
    return participant is not None and takes_part(participant.status)


def require_enrolled(user) -> None:
    """Refuse a participant who is not enrolled (yet, or any more): no live event for them."""
    if getattr(user, "kind", None) == "participant" and not is_enrolled(user):
        raise Refused("forbidden", "Your group sessions have not started for you. Your "
                                   "facilitator will talk with you.")
