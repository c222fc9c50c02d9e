"""Live events of the script's ticks and the weekly round: facilitators of the group only.

Each event loads the session as one of its facilitators (``access.load_session``: anyone
else is ``forbidden``), calls a rule of ``services.round``, adds its audit row (never the
note's words) and publishes to the session's facilitators only (``publish``).
"""

from typing import Annotated

from pydantic import Field

from facilitator.services import access, audit
from facilitator.services import round as rounds
from facilitator.services.roundview import member_view

from . import publish
from .dispatch import event
from .schemas import Id, OptionalText, SessionRef, Text


class TickStep(SessionRef):
    item_id: Id
    step: Annotated[int, Field(ge=0, le=100)]
    done: bool


class RoundMember(SessionRef):
    participant_id: Id


class RoundReach(RoundMember):
    reached: bool = True


class RoundTechnique(RoundMember):
    technique: Annotated[str, Field(min_length=1, max_length=40)]
    on: bool


class RoundFlag(RoundMember):
    on: bool


class RoundNote(RoundMember):
    note: OptionalText(rounds.NOTE_LENGTH)


class RoundProgress(RoundMember):
    goal_id: Id
    note: Text(2000)


@event("script:tick", TickStep)
def script_tick(user, data):
    """Tick (or untick) one step of an agenda item's script."""
    session = access.load_session(user, data.session_id, True)
    rounds.tick(session, data.item_id, data.step, data.done, user)
    audit.add(user, session.group_id, "script.tick" if data.done else "script.untick",
              f"session {session.number} item {data.item_id} step {data.step}")
    payload = {"session_id": session.id, "item_id": data.item_id, "step": data.step,
               "done": data.done}
    publish.script_ticked(session.id, payload)
    return payload


def turn(user, data):
    """The session and the enrolled member an event of the round is about."""
    session = access.load_session(user, data.session_id, True)
    return session, access.enrolled_member_of(session, data.participant_id)


def answer(user, session, member, entry, action: str) -> dict:
    """Audit the change (no note text), publish the member's turn and answer with it."""
    audit.add(user, session.group_id, action,
              f"session {session.number} participant {member.id}")
    view = member_view(session, member, entry)
    publish.round_member(session.id, view)
    return {"member": view}


@event("round:reach", RoundReach)
def round_reach(user, data):
    """Mark that the round reached a member (``reached: false`` takes it back)."""
    session, member = turn(user, data)
    entry = rounds.reach(session, member, data.reached)
    return answer(user, session, member, entry, "round.reach")


@event("round:technique", RoundTechnique)
def round_technique(user, data):
    """Mark (or unmark) a technique used with a member."""
    session, member = turn(user, data)
    entry = rounds.mark_technique(session, member, data.technique, data.on)
    return answer(user, session, member, entry, f"round.technique.{data.technique}")


@event("round:flag", RoundFlag)
def round_flag(user, data):
    """Flag a member for supervision (``on: false`` takes the flag back)."""
    session, member = turn(user, data)
    entry = rounds.flag(session, member, data.on)
    return answer(user, session, member, entry, "round.flag" if data.on else "round.unflag")


@event("round:note", RoundNote)
def round_note(user, data):
    """Keep the facilitators' short private note on a member's turn."""
    session, member = turn(user, data)
    entry = rounds.save_note(session, member, data.note)
    return answer(user, session, member, entry, "round.note")


@event("round:progress", RoundProgress)
def round_progress(user, data):
    """Keep a progress note on one of the member's goals for this session."""
    session, member = turn(user, data)
    rounds.note_progress(session, member, data.goal_id, data.note, user)
    entry = rounds.entries(session.id).get(member.id)
    return answer(user, session, member, entry, "goal.progress")
