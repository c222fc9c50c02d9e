"""Setting up: facilitators, groups and their course, participants and join links."""

from sqlalchemy import func, select

from ..course import plan_for
from ..extensions import db
from ..models import (
    AgendaItem,
    Facilitator,
    Group,
    GroupSession,
    JoinLink,
    Participant,
    utcnow,
)
from . import Refused
from .helptexts import DEFAULT_SUPPORT_REPLY, DEFAULT_URGENT_HELP, tidy
from .passwords import check_password_rules
from .round import forget_ticks_of


def create_facilitator(email: str, name: str, password: str) -> Facilitator:
    """Create a facilitator account with a hashed password (see ``passwords``)."""
    email = email.strip().lower()
    if db.session.scalar(select(Facilitator).where(Facilitator.email == email)):
        raise Refused("conflict", "An account with this e-mail address already exists.")
    check_password_rules(password, email)
    facilitator = Facilitator(email=email, name=name.strip())
    facilitator.set_password(password)
    db.session.add(facilitator)
    db.session.commit()
    return facilitator


def create_group(lead: Facilitator, name: str, crisis_resources: str, template: str,
                 support_reply: str | None = None) -> Group:
    """Create a group with its whole course of sessions, as its course plan specifies them.

    A blank urgent-help text or support reply gets the careful default of ``helptexts``.
    """
    plan = plan_for(template)
    if plan is None:
        raise Refused("invalid", "Unknown course plan.")
    group = Group(name=name.strip(),
                  crisis_resources=tidy(crisis_resources) or DEFAULT_URGENT_HELP,
                  support_reply=tidy(support_reply or "") or DEFAULT_SUPPORT_REPLY,
                  template=template)
    group.facilitators.append(lead)
    db.session.add(group)
    for spec in plan.specs:
        session = GroupSession(number=spec.number, phase=spec.phase,
                               title=f"Session {spec.number}: {spec.title}"[:120], group=group)
        for position, item in enumerate(spec.items):
            session.agenda.append(AgendaItem(position=position, title=item.title, kind=item.kind))
        db.session.add(session)
    db.session.commit()
    return group


def add_participant(group: Group, display_name: str, status: str = "invited") -> Participant:
    """Add a participant by display name and give them a join link.

    A new member is ``invited``: their pre-group meeting comes next (services.meeting).
    """
    participant = Participant(group=group, display_name=display_name.strip(), status=status)
    participant.links.append(JoinLink())
    db.session.add(participant)
    db.session.commit()
    return participant


def revoke_link(participant: Participant) -> JoinLink:
    """Revoke the participant's join links and issue a fresh one; return the new link."""
    for link in participant.links:
        if link.revoked_at is None:
            link.revoked_at = utcnow()
    fresh = JoinLink()
    participant.links.append(fresh)
    db.session.commit()
    return fresh


def link_by_token(token: str) -> JoinLink | None:
    """Return the join link with this token if it is still valid."""
    link = db.session.scalar(select(JoinLink).where(JoinLink.token == token))
    if link is None or link.revoked_at is not None:
        return None
    return link


def current_session(group: Group) -> GroupSession | None:
    """The session a participant should land in: live, else next scheduled, else the last."""
    sessions = group.sessions
    for status in ("live", "scheduled"):
        for session in sessions:
            if session.status == status:
                return session
    return sessions[-1] if sessions else None


def previous_session(session: GroupSession) -> GroupSession | None:
    """Return the session before this one in the course, if any."""
    return db.session.scalar(select(GroupSession).where(
        GroupSession.group_id == session.group_id, GroupSession.number == session.number - 1))


def add_agenda_item(session: GroupSession, title: str, kind: str = "other") -> AgendaItem:
    """Append an item to a session's agenda."""
    last = db.session.scalar(select(func.max(AgendaItem.position))
                             .where(AgendaItem.session_id == session.id))
    item = AgendaItem(session_id=session.id, position=(last or 0) + 1, title=title.strip(),
                      kind=kind)
    db.session.add(item)
    db.session.commit()
    return item


def rename_agenda_item(item: AgendaItem, title: str) -> None:
    """Give an agenda item a new title."""
    item.title = title.strip()
    db.session.commit()


def move_agenda_item(item: AgendaItem, offset: int) -> None:
    """Move an agenda item up (-1) or down (+1) in its session's agenda."""
    items = list(item.session.agenda)
    index = items.index(item)
    target = index + offset
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
        for position, each in enumerate(items):
            each.position = position
        db.session.commit()


def remove_agenda_item(item: AgendaItem) -> None:
    """Remove an agenda item; the current item cannot be removed."""
    session = item.session
    if session.current_item_id == item.id and session.status == "live":
        raise Refused("conflict", "The current item cannot be removed while the session runs.")
    if session.current_item_id == item.id:
        session.current_item_id = None
    forget_ticks_of(item.id)
    db.session.delete(item)
    db.session.commit()
