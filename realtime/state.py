"""The ``state`` snapshot a client gets on ``session:join``: everything it may have missed."""

from flask import g, has_app_context
from sqlalchemy import bindparam, event, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from facilitator.extensions import db
from facilitator.models import (
    SUPERVISOR,
    AgendaItem,
    Facilitator,
    GroupFacilitator,
    GroupSession,
    Participant,
    iso,
    utcnow,
)
from facilitator.services import (
    access,
    boardsafety,
    checkins,
    collab,
    ending,
    helptexts,
    live,
    plans,
    presenter,
    risk,
    roleplay,
)
from facilitator.services import round as rounds
from facilitator.services.roundview import round_view

from . import payloads, shared
from .shared import SharedPart

_PRESENCE = "presence_by_session"


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_soft_rollback")
def _forget_presence(*_args) -> None:
    """A commit or a rollback may change who is here: drop the event's presence cache."""
    if has_app_context():
        g.pop(_PRESENCE, None)


# What every snapshot reads of a session besides the session itself, one plain statement
# each (built once): selectin loaders cost more than these queries (docs/performance.md).
AGENDA = (select(AgendaItem).where(AgendaItem.session_id == bindparam("session_id"))
          .order_by(AgendaItem.position))
MEMBERS = (select(Participant).where(Participant.group_id == bindparam("group_id"))
           .order_by(Participant.id))
RUNNERS = (select(Facilitator)
           .join(GroupFacilitator, GroupFacilitator.facilitator_id == Facilitator.id)
           .where(GroupFacilitator.group_id == bindparam("group_id"),
                  GroupFacilitator.role != SUPERVISOR)
           .order_by(Facilitator.id))


def preload(session: GroupSession) -> None:
    """Load what every snapshot reads of a session, one query per kind instead of a lazy load
    per attribute: its agenda, and its group's members and the facilitators who run it (the
    same rows and order as the relationships ``GroupSession.agenda``, ``Group.participants``
    and ``Group.facilitators``)."""
    group = session.group
    set_committed_value(session, "agenda",
                        list(db.session.scalars(AGENDA, {"session_id": session.id})))
    set_committed_value(group, "participants",
                        list(db.session.scalars(MEMBERS, {"group_id": group.id})))
    set_committed_value(group, "facilitators",
                        list(db.session.scalars(RUNNERS, {"group_id": group.id})))


def presence(session: GroupSession) -> dict:
    """Payload of ``presence``: every member of the group, online or not, hands raised.

    ``session:join`` broadcasts it and then puts it in the snapshot; between two commits of
    one event it is the same, so it is built once (kept on ``g``, which lives for one event).
    """
    cache = g.setdefault(_PRESENCE, {}) if has_app_context() else {}
    if session.id not in cache:
        cache[session.id] = presence_of(session.id, *people(session))
    return cache[session.id]


def people(session: GroupSession) -> tuple[tuple, tuple]:
    """The group's facilitators and enrolled members as ``(id, display_name)`` pairs: from
    the session's shared part while it is valid, else from the database."""
    part = shared.snapshots().get(session.id, session.group_id) if has_app_context() else None
    if part is not None:
        return part.facilitators, part.members
    group = session.group
    return (tuple((f.id, f.display_name) for f in group.facilitators),
            tuple((p.id, p.display_name) for p in members(group)))


def presence_of(session_id: int, facilitators: tuple, enrolled: tuple) -> dict:
    """Build the ``presence`` payload: who of these people is online, whose hand is up."""
    online, hands = live.who_is_here(session_id)
    everyone = [{"kind": "facilitator", "id": fid, "display_name": name,
                 "online": ("facilitator", fid) in online, "hand_raised": False,
                 "hand_raised_at": None} for fid, name in facilitators]
    everyone += [{"kind": "participant", "id": pid, "display_name": name,
                  "online": ("participant", pid) in online, "hand_raised": pid in hands,
                  "hand_raised_at": iso(hands.get(pid))} for pid, name in enrolled]
    return {"session_id": session_id, "people": everyone}


def members(group) -> list:
    """The group's members who take part in its sessions (enrolled): a person still to meet,
    referred or declined is not in "who is here", the cast or the facilitators' lists."""
    return [p for p in group.participants if access.takes_part(p.status)]


def names(session: GroupSession) -> dict[int, str]:
    """Map participant id to display name for the session's group."""
    return {p.id: p.display_name for p in members(session.group)}


def board(session: GroupSession, for_facilitator: bool, cards: dict | None = None) -> dict:
    """The group's board: themes and published cards of the whole course (``cards``: the
    group's cards by status, when the caller read them already)."""
    if cards is None:
        themes, published = collab.board(session.group_id)
    else:
        themes, published = collab.themes(session.group_id), cards["published"]
    return {"themes": [payloads.theme(t) for t in themes],
            "cards": [payloads.card(c, for_facilitator) for c in published]}


def current_item(session: GroupSession):
    """The session's current agenda item, if any."""
    return next((i for i in session.agenda if i.id == session.current_item_id), None)


def build_state(user, session: GroupSession, presenting: bool = False) -> dict:
    """Build the snapshot for ``user``; only facilitators get the four private keys.

    ``presenting``: a facilitator's console in presenter mode gets what the group sees.
    """
    if user.kind == "participant":
        return participant_state(user, session)
    preload(session)
    facilitator = not presenting
    cards = collab.cards_by_status(session.group_id) if facilitator else None
    prompt = collab.current_prompt(session.id)
    state = {
        "session": payloads.session_info(session),
        "course": payloads.course(session),
        "me": me(user),
        "agenda": payloads.agenda(session, facilitator),
        "current_item_id": session.current_item_id,
        "prompt": None if prompt is None else payloads.prompt(prompt, names(session), None),
        "timer": payloads.timer(session),
        "presence": presence(session),
        "board": board(session, facilitator, cards),
    }
    if presenting:
        state.update(presenter_part(session))
    else:
        state.update(facilitator_part(session, cards))
        state["session"]["purpose"] = payloads.purpose(session)
    return state


def participant_state(user, session: GroupSession) -> dict:
    """A participant's snapshot: the session's shared part and their own."""
    part = shared_part(session)
    return {
        "session": part.session, "course": part.course, "me": me(user),
        "agenda": part.agenda, "current_item_id": part.current_item_id,
        "prompt": part.prompt_for(user.id), "timer": payloads.timer_of(session.id, *part.timer),
        "presence": presence(session), "board": part.board,
        **participant_part(user, session),
    }


def shared_part(session: GroupSession) -> SharedPart:
    """The session's shared part: this worker's, unless something was published since."""
    cache = shared.snapshots()
    part = cache.get(session.id, session.group_id)
    if part is None:
        stamp = cache.stamp(session.id, session.group_id)
        part = build_shared(session)
        cache.put(stamp, session.id, part)
    return part


def build_shared(session: GroupSession) -> SharedPart:
    """Read the session's shared part: what every member's snapshot holds alike."""
    preload(session)
    group = session.group
    prompt = collab.current_prompt(session.id)
    return SharedPart(
        group_id=session.group_id, session=payloads.session_info(session),
        course=payloads.course(session), agenda=payloads.agenda(session, False),
        current_item_id=session.current_item_id,
        prompt=None if prompt is None else payloads.prompt(prompt, names(session), None),
        roles=tuple(prompt.roles) if prompt is not None else (),
        timer=(session.timer_ends_at, session.timer_seconds, session.timer_label),
        board=board(session, False),
        facilitators=tuple((f.id, f.display_name) for f in group.facilitators),
        members=tuple((p.id, p.display_name) for p in members(group)))


def me(user) -> dict:
    """The snapshot's ``me``; a participant's carries their own plan and nobody else's.

    ``goals`` are the member's current goals (one small query: the participant row came
    with the sign-in), ``shared_summary`` the line they agreed to share, or null.
    """
    mine = {"kind": user.kind, "id": user.id, "display_name": user.display_name}
    if user.kind == "participant":
        member = user.participant
        mine["goals"] = plans.own_goals(member)
        mine["shared_summary"] = member.shared_summary
    return mine


def own_checkin(session: GroupSession, mine) -> dict | None:
    """The participant's own latest check-in; one that raised an alert carries the group's
    urgent help and reply, read fresh (never a kept copy: a risk path)."""
    if mine is None:
        return None
    if not mine.flagged:
        return payloads.my_checkin(mine, "")
    group = session.group
    return payloads.my_checkin(mine, helptexts.urgent_help_of(group),
                               helptexts.support_reply_of(group))


def participant_part(user, session: GroupSession) -> dict:
    """What only the participant themself sees: their check-in, homework and own cards."""
    mine = checkins.latest_checkin(session.id, user.id)
    homework = []
    for a, r in collab.homework_with_reflections(session.group_id, user.id):
        entry = payloads.assignment(a)
        entry["reflection"] = None if r is None else payloads.reflection(r)
        homework.append(entry)
    pending, published = collab.my_cards(session.group_id, user.id)
    return {
        "my_checkin": own_checkin(session, mine),
        "homework": homework,
        "my_pending_cards": [payloads.card(c, False) for c in pending],
        "my_card_ids": published,
        "my_wellplan": ending.plan_view(ending.plan_of(user.id)),
    }


def presenter_part(session: GroupSession) -> dict:
    """A console in presenter mode: homework for everyone, and how many alerts wait."""
    return {
        "presenter": True,
        "my_checkin": None,
        "homework": [payloads.assignment(a) for a in collab.group_homework(session.group_id)
                     if a.participant_id is None],
        "alerts_waiting": presenter.alerts_waiting(session.group_id),
    }


def facilitator_part(session: GroupSession, cards: dict) -> dict:
    """What only facilitators see: check-ins, open alerts, the queue and reflections;
    ``cards``: the group's cards by status (``collab.cards_by_status``)."""
    group_id = session.group_id
    homework = [payloads.assignment(a) for a in collab.group_homework(group_id)]
    taken = checkins.session_checkins(session.id)
    removed = sorted((c for status in boardsafety.OFF_THE_BOARD for c in cards[status]),
                     key=lambda c: c.id)
    return {
        "my_checkin": None,
        "homework": homework,
        "checkins": [payloads.checkin(c) for c in taken],
        "alerts": [payloads.alert(a) for a in checkins.open_alerts(group_id)],
        **risk_part(group_id),
        "pending_cards": [payloads.card(c, True) for c in cards["pending"]],
        "removed_cards": [payloads.card(c, True) for c in removed],
        "presenter": False,
        "reflections": [payloads.reflection(r) for r in collab.group_reflections(group_id)],
        "participants": participants(session),
        **round_part(session, taken),
        "wellplans": [ending.plan_view(plan) for plan in ending.group_plans(group_id)],
    }


def round_part(session: GroupSession, taken: list) -> dict:
    """Facilitators only: the script's ticked steps, the problem areas present in the group
    (for the guidance cards) and the weekly round, member by member (``taken``: the
    session's check-ins, oldest first)."""
    return {"script_ticks": rounds.ticks(session.id),
            "areas_present": rounds.areas_present(session),
            "round": round_view(session, taken)}


def participants(session: GroupSession) -> list[dict]:
    """Facilitators only: the enrolled members for the pickers, with their problem areas and
    their important people's private labels (to start a role-play of their own conversation)."""
    people = members(session.group)
    cards = roleplay.inventory_choices(people)
    return [{"id": p.id, "display_name": p.display_name, "problem_area": p.problem_area,
             "second_problem_area": p.second_problem_area, "inventory": cards[p.id]}
            for p in people]


def risk_part(group_id: int) -> dict:
    """Facilitators only: open follow-ups (shown first) and who had an alert so far."""
    now = utcnow()
    return {"follow_ups": [payloads.follow_up(a, now) for a in risk.open_follow_ups([group_id])],
            "risk_history": [payloads.risk_history(h) for h in risk.risk_history(group_id)]}
