"""Supervision: a group's supervisors, their notes with actions, and the supervisor's queue.

A supervisor is a team row of role ``models.SUPERVISOR``: they read the group
(``access.may_read_group``) and never run it (``access`` and ``models.RUNS_GROUP``). Rules
here add and flush; the view commits once, with its audit row (never a note's text).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import (
    SUPERVISOR,
    Facilitator,
    Group,
    GroupFacilitator,
    GroupSession,
    Participant,
    RoundEntry,
    SupervisionAction,
    SupervisionNote,
    utcnow,
)
from . import Refused, access, ending, review, risk

NOTE_MAX = 2000
ACTION_MAX = 300
# Ended sessions this recent are waiting for review until one has a supervision note.
REVIEW_WINDOW = timedelta(days=14)
ROLE_NAMES = {"lead": "Lead", "co": "Co-facilitator", SUPERVISOR: "Supervisor"}


def team(group_id: int) -> list[tuple[Facilitator, str]]:
    """Everyone on a group's team with their role: leads, co-facilitators, supervisors."""
    order = {"lead": 0, "co": 1, SUPERVISOR: 2}
    rows = db.session.execute(
        select(Facilitator, GroupFacilitator.role)
        .join(GroupFacilitator, GroupFacilitator.facilitator_id == Facilitator.id)
        .where(GroupFacilitator.group_id == group_id))
    return sorted(((person, role) for person, role in rows),
                  key=lambda row: (order.get(row[1], 3), row[0].name))


def add_supervisor(group: Group, email: str) -> Facilitator:
    """Put the facilitator account with this e-mail on the group's team as its supervisor."""
    person = db.session.scalar(select(Facilitator).where(
        func.lower(Facilitator.email) == (email or "").strip().lower()))
    if person is None:
        raise Refused("not_found", "There is no facilitator account with this e-mail.")
    row = db.session.get(GroupFacilitator, (group.id, person.id))
    if row is not None:
        raise Refused("conflict", f"{person.name} is already on this group's team.")
    db.session.add(GroupFacilitator(group_id=group.id, facilitator_id=person.id,
                                    role=SUPERVISOR))
    db.session.flush()
    return person


def remove_supervisor(group: Group, facilitator_id: int) -> Facilitator:
    """Take a supervisor off the group's team (a lead or co-facilitator is not one)."""
    row = db.session.get(GroupFacilitator, (group.id, facilitator_id))
    if row is None or row.role != SUPERVISOR:
        raise Refused("not_found", "This person does not supervise this group.")
    person = db.session.get(Facilitator, facilitator_id)
    db.session.delete(row)
    db.session.flush()
    return person


def supervised_group_ids(user) -> list[int]:
    """The groups a facilitator supervises: a programme administrator, every group."""
    if user.is_admin:
        return list(db.session.scalars(select(Group.id).order_by(Group.id)))
    return [group.id for group in user.supervised_groups]


def supervised_groups(user) -> list[Group]:
    """The groups on a supervisor's dashboard: those they supervise and do not run."""
    if user.is_admin:
        groups = db.session.scalars(select(Group).order_by(Group.name, Group.id))
    else:
        groups = user.supervised_groups
    return [group for group in groups if not access.runs_group(user, group.id)]


@dataclass
class ActionDraft:
    """One action of a note being written: what, who (a team member's id), by when."""

    what: str
    owner_id: int
    due_on: date


def write_note(user, group: Group, text: str, session: GroupSession | None = None,
               actions: list[ActionDraft] = ()) -> SupervisionNote:
    """A supervisor's note on the group (or one of its sessions), with its actions."""
    if not access.supervises(user, group.id):
        raise Refused("forbidden", "Only a supervisor of this group writes supervision notes.")
    text = (text or "").strip()
    if not text or len(text) > NOTE_MAX:
        raise Refused("invalid", f"A note needs some text, up to {NOTE_MAX} characters.")
    if session is not None and session.group_id != group.id:
        raise Refused("not_found", "There is no such session in this group.")
    members = {person.id for person, _ in team(group.id)}
    note = SupervisionNote(group_id=group.id, session_id=session and session.id,
                           author_id=user.id, text=text)
    for draft in actions:
        what = (draft.what or "").strip()
        if not what or len(what) > ACTION_MAX:
            raise Refused("invalid", f"An action needs a few words, up to {ACTION_MAX}.")
        if draft.owner_id not in members:
            raise Refused("invalid", "An action is for someone on the group's team.")
        note.actions.append(SupervisionAction(what=what, owner_id=draft.owner_id,
                                              due_on=draft.due_on))
    db.session.add(note)
    db.session.flush()
    return note


def load_action(user, action_id: int) -> SupervisionAction:
    """An action of a group the user is on the team of, or refuse."""
    action = db.session.get(SupervisionAction, action_id)
    if action is None:
        raise Refused("not_found", "There is no such action.")
    if not access.on_team(user, action.note.group_id):
        raise Refused("forbidden", "You are not on this group's team.")
    return action


def close_action(user, action: SupervisionAction) -> SupervisionAction:
    """Mark an action done, with who and when."""
    if action.closed_at is not None:
        raise Refused("conflict", "This action is already done.")
    action.closed_at, action.closed_by_id = utcnow(), user.id
    db.session.flush()
    return action


def notes_of(group_id: int, session_id: int | None = None) -> list[SupervisionNote]:
    """A group's supervision notes (or one session's), newest first, with their actions."""
    query = (select(SupervisionNote).where(SupervisionNote.group_id == group_id)
             .options(selectinload(SupervisionNote.actions), selectinload(SupervisionNote.author))
             .order_by(SupervisionNote.created_at.desc(), SupervisionNote.id.desc()))
    if session_id is not None:
        query = query.where(SupervisionNote.session_id == session_id)
    return list(db.session.scalars(query))


def is_overdue(action: SupervisionAction, today: date) -> bool:
    """An open action past its date."""
    return action.closed_at is None and action.due_on < today


@dataclass
class Queue:
    """The supervisor's queue: what waits for them, oldest first in each part."""

    follow_ups: list  # overdue risk follow-ups (Alert)
    sessions: list  # ended sessions of the last 14 days with no supervision note
    actions: list  # open supervision actions
    groups: dict  # group id -> Group
    # Members flagged "review in supervision" at the mid-course review: (Group, MemberReview).
    review_flags: list = field(default_factory=list)
    # Members who need a referral and have none recorded: (Group, ending.Needed).
    referrals: list = field(default_factory=list)
    # Members flagged in the round, in sessions with no supervision note yet:
    # (GroupSession, Participant).
    round_flags: list = field(default_factory=list)


def open_actions(group_ids: list[int]) -> list[SupervisionAction]:
    """The open actions of these groups' notes, oldest date first."""
    return list(db.session.scalars(
        select(SupervisionAction).join(SupervisionNote)
        .where(SupervisionNote.group_id.in_(group_ids), SupervisionAction.closed_at.is_(None))
        .options(selectinload(SupervisionAction.note), selectinload(SupervisionAction.owner))
        .order_by(SupervisionAction.due_on, SupervisionAction.id)))


def sessions_to_review(group_ids: list[int], now: datetime) -> list[GroupSession]:
    """Sessions ended in the last 14 days that have no supervision note yet, oldest first."""
    noted = select(SupervisionNote.session_id).where(SupervisionNote.session_id.is_not(None))
    return list(db.session.scalars(
        select(GroupSession)
        .where(GroupSession.group_id.in_(group_ids), GroupSession.status == "ended",
               GroupSession.ended_at >= now - REVIEW_WINDOW, GroupSession.id.not_in(noted))
        .order_by(GroupSession.ended_at, GroupSession.id)))


def queue(user, now: datetime | None = None) -> Queue:
    """The queue of everything the user supervises (a programme administrator: all)."""
    now = now or utcnow()
    ids = supervised_group_ids(user)
    overdue = [a for a in risk.open_follow_ups(ids) if risk.is_overdue(a, now)]
    groups = {g.id: g for g in db.session.scalars(select(Group).where(Group.id.in_(ids)))}
    flags, referrals = members_waiting(groups.values())
    return Queue(overdue, sessions_to_review(ids, now), open_actions(ids), groups,
                 flags, referrals, flagged_in_round(ids))


def flagged_in_round(group_ids: list[int]) -> list[tuple[GroupSession, Participant]]:
    """Members flagged for supervision in a session's round, until a supervision note on
    that session is written; oldest session first."""
    noted = select(SupervisionNote.session_id).where(SupervisionNote.session_id.is_not(None))
    return list(db.session.execute(
        select(GroupSession, Participant)
        .join(RoundEntry, RoundEntry.session_id == GroupSession.id)
        .join(Participant, Participant.id == RoundEntry.participant_id)
        .where(GroupSession.group_id.in_(group_ids), RoundEntry.flagged_at.is_not(None),
               GroupSession.id.not_in(noted))
        .order_by(GroupSession.group_id, GroupSession.number, Participant.id)).all())


def members_waiting(groups) -> tuple[list, list]:
    """Members flagged at their group's mid-course review, and members who need a referral
    without one (``review.group_review``, ``ending.referrals_needed``), group by group."""
    flags, referrals = [], []
    for group in sorted(groups, key=lambda g: g.id):
        found = review.group_review(group)
        if found is not None and found.reached:
            flags += [(group, member) for member in found.flagged]
        referrals += [(group, needed) for needed in ending.referrals_needed(group)]
    return flags, referrals
