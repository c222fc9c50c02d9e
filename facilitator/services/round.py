"""The script's ticks and the weekly round: the facilitators' own record of a session.

A facilitator ticks the steps of an agenda item's script as done (one ``ScriptTick`` row per
step done), and takes the members one at a time in the weekly round (one ``RoundEntry`` per
session and member: reached, techniques used, a private note). Both are for facilitators
only and are countable for the fidelity record (``counts``). Rules add and flush; the
handler commits once, with its audit row.
"""

from dataclasses import dataclass

from sqlalchemy import bindparam, delete, func, select

from ..extensions import db
from ..models import (
    AgendaItem,
    Assignment,
    GroupSession,
    Participant,
    RoundEntry,
    ScriptTick,
    utcnow,
)
from . import Refused, plans, scripts
from .text import clean_text
from .vocabulary import ROUND_TECHNIQUES

NOTE_LENGTH = 500


def item_of(session: GroupSession, item_id: int) -> AgendaItem:
    """One agenda item of the session, or ``invalid``."""
    item = next((i for i in session.agenda if i.id == item_id), None)
    if item is None:
        raise Refused("invalid", "That agenda item is not in this session.")
    return item


def tick(session: GroupSession, item_id: int, step: int, done: bool, by) -> bool:
    """Mark step ``step`` (0-based) of an agenda item's script as done, or not done.

    Ticking twice, or unticking a step not ticked, changes nothing. Returns ``done``.
    """
    item = item_of(session, item_id)
    script = scripts.for_item(session.group.template, session.number, session.phase, item.kind)
    if not 0 <= step < len(script.steps):
        raise Refused("invalid", "That step is not in this item's script.")
    found = db.session.scalar(select(ScriptTick).where(
        ScriptTick.item_id == item.id, ScriptTick.step == step))
    if done and found is None:
        db.session.add(ScriptTick(session_id=session.id, item_id=item.id, step=step,
                                  facilitator_id=by.id))
    elif not done and found is not None:
        db.session.delete(found)
    db.session.flush()
    return done


# A session's ticked steps and round entries (built once: each facilitator's snapshot reads them).
TICKS = (select(ScriptTick.item_id, ScriptTick.step)
         .where(ScriptTick.session_id == bindparam("session_id"))
         .order_by(ScriptTick.item_id, ScriptTick.step))
ENTRIES = select(RoundEntry).where(RoundEntry.session_id == bindparam("session_id"))


def ticks(session_id: int) -> list[dict]:
    """The session's ticked steps: ``[{"item_id", "step"}]``, in order."""
    rows = db.session.execute(TICKS, {"session_id": session_id})
    return [{"item_id": item_id, "step": step} for item_id, step in rows]


def areas_present(session: GroupSession) -> list[str]:
    """The problem areas of the group's enrolled members (main or second), in the usual order."""
    from .access import takes_part
    from .vocabulary import PROBLEM_AREAS

    present = {area for p in session.group.participants if takes_part(p.status)
               for area in (p.problem_area, p.second_problem_area) if area}
    return [area for area in PROBLEM_AREAS if area in present]


def entry_of(session: GroupSession, member: Participant) -> RoundEntry:
    """The member's round entry in the session, made when first needed."""
    entry = db.session.scalar(select(RoundEntry).where(
        RoundEntry.session_id == session.id, RoundEntry.participant_id == member.id))
    if entry is None:
        entry = RoundEntry(session_id=session.id, participant_id=member.id, techniques=[])
        db.session.add(entry)
    return entry


def stamp(since, on: bool):
    """A mark's time: kept while it stays on, now when it goes on, None when it goes off."""
    return (since or utcnow()) if on else None


def reach(session: GroupSession, member: Participant, reached: bool) -> RoundEntry:
    """Mark that the round reached the member (or take the mark back)."""
    entry = entry_of(session, member)
    entry.reached_at = stamp(entry.reached_at, reached)
    return touched(entry)


def mark_technique(session: GroupSession, member: Participant, technique: str,
                   on: bool) -> RoundEntry:
    """Mark (or unmark) a technique used with the member; an unknown one is ``invalid``."""
    if technique not in ROUND_TECHNIQUES:
        raise Refused("invalid", "Unknown technique.")
    entry = entry_of(session, member)
    marked = set(entry.techniques or [])
    marked = marked | {technique} if on else marked - {technique}
    entry.techniques = [key for key in ROUND_TECHNIQUES if key in marked]  # a new list
    return touched(entry)


def flag(session: GroupSession, member: Participant, on: bool) -> RoundEntry:
    """Flag the member for supervision in the round (or take the flag back); the flag
    shows in the supervisor's queue and counts for the fidelity record."""
    entry = entry_of(session, member)
    entry.flagged_at = stamp(entry.flagged_at, on)
    return touched(entry)


def save_note(session: GroupSession, member: Participant, note: str) -> RoundEntry:
    """Keep the facilitators' short private note on the member's turn (blank: none)."""
    entry = entry_of(session, member)
    entry.note = clean_text(note, NOTE_LENGTH, "The note") or None
    return touched(entry)


def touched(entry: RoundEntry) -> RoundEntry:
    """Stamp the entry as changed now and flush it."""
    entry.updated_at = utcnow()
    db.session.flush()
    return entry


def current_goal(member: Participant, goal_id: int):
    """One of the member's current goals, or ``invalid``."""
    goal = next((g for g in member.goals if g.id == goal_id and g.retired_at is None), None)
    if goal is None:
        raise Refused("invalid", "Choose one of this member's current goals.")
    return goal


def note_progress(session: GroupSession, member: Participant, goal_id: int, note: str, by):
    """A progress note on one of the member's goals for this session (``plans.note_progress``)."""
    return plans.note_progress(current_goal(member, goal_id), session.id, note, by=by)


@dataclass
class Counts:
    """What the fidelity record counts of one session."""

    steps_ticked: int
    members_reached: int
    techniques_marked: int
    tasks_tied_to_goals: int


def counts(session_id: int) -> Counts:
    """Count the session's ticked steps, members reached, techniques and tasks tied to goals."""
    entries = list(db.session.scalars(select(RoundEntry).where(
        RoundEntry.session_id == session_id)))
    return Counts(
        steps_ticked=db.session.scalar(select(func.count(ScriptTick.id)).where(
            ScriptTick.session_id == session_id)) or 0,
        members_reached=sum(1 for e in entries if e.reached_at is not None),
        techniques_marked=sum(len(e.techniques or []) for e in entries),
        tasks_tied_to_goals=db.session.scalar(select(func.count(Assignment.id)).where(
            Assignment.session_id == session_id, Assignment.goal_id.is_not(None))) or 0)


def entries(session_id: int) -> dict[int, RoundEntry]:
    """The session's round entries by participant id."""
    return {e.participant_id: e for e in db.session.scalars(
        ENTRIES, {"session_id": session_id})}


def member_entries(participant_id: int) -> list[tuple[int, RoundEntry]]:
    """A member's round entries over the course: ``(session number, entry)``, oldest first."""
    return [(number, entry) for number, entry in db.session.execute(
        select(GroupSession.number, RoundEntry)
        .join(GroupSession, RoundEntry.session_id == GroupSession.id)
        .where(RoundEntry.participant_id == participant_id)
        .order_by(GroupSession.number))]


def forget_ticks_of(item_id: int) -> None:
    """Drop an agenda item's ticks (the item is being removed)."""
    db.session.execute(delete(ScriptTick).where(ScriptTick.item_id == item_id))


@dataclass
class RoundLine:
    """One member's turn in a session's round, for the session summary."""

    member: Participant
    entry: RoundEntry | None
    progress: list[tuple[str, str]]  # (goal, this session's progress note)

    @property
    def reached(self) -> bool:
        """Whether the round reached the member."""
        return self.entry is not None and self.entry.reached_at is not None


def summary_lines(session: GroupSession) -> list[RoundLine]:
    """Every member with a round entry or a goal progress note in the session."""
    from ..models import Goal, GoalProgress

    kept = entries(session.id)
    notes: dict[int, list[tuple[str, str]]] = {}
    for goal, row in db.session.execute(
            select(Goal, GoalProgress).join(GoalProgress, GoalProgress.goal_id == Goal.id)
            .where(GoalProgress.session_id == session.id).order_by(Goal.position)):
        notes.setdefault(goal.participant_id, []).append((goal.text, row.note))
    return [RoundLine(p, kept.get(p.id), notes.get(p.id, []))
            for p in session.group.participants if p.id in kept or p.id in notes]
