"""A member's IPT plan: status, problem areas, shared summary and one to three goals.

Rules here add and flush; they never commit. The view or handler that calls them commits
once, with the audit row of the same action (services.audit.add).
"""

from sqlalchemy import bindparam, select

from ..extensions import db
from ..models import Goal, GoalChange, GoalProgress, Participant, utcnow
from . import Refused
from .text import clean_text
from .vocabulary import MEMBER_STATUSES, PROBLEM_AREAS

MAX_GOALS = 3
GOAL_LENGTH = 300
SUMMARY_LENGTH = 300
PROGRESS_LENGTH = 2000

# Which status may follow which (the meeting's outcome, then enrolment).
NEXT_STATUSES = {
    "invited": {"meeting_done", "enrolled", "referred", "declined"},
    "meeting_done": {"enrolled", "referred", "declined", "invited"},
    "enrolled": {"declined", "referred"},
    "referred": {"invited"},
    "declined": {"invited"},
}


def set_status(participant: Participant, status: str) -> None:
    """Move a member to ``status``; a step the course of a meeting does not allow is refused."""
    if status not in MEMBER_STATUSES:
        raise Refused("invalid", "Unknown member status.")
    if status == participant.status:
        return
    if status not in NEXT_STATUSES[participant.status]:
        raise Refused("conflict", f"A member who is {participant.status} cannot become {status}.")
    participant.status = status
    participant.status_changed_at = utcnow()


def set_problem_areas(participant: Participant, primary: str, second: str | None) -> None:
    """Set the member's primary problem area and an optional second, different one."""
    if primary not in PROBLEM_AREAS:
        raise Refused("invalid", "Choose the member's main problem area.")
    second = second or None
    if second is not None and (second not in PROBLEM_AREAS or second == primary):
        raise Refused("invalid", "The second problem area must be a different one, or none.")
    participant.problem_area = primary
    participant.second_problem_area = second


def set_shared_summary(participant: Participant, text: str | None) -> None:
    """Set the one line the member agreed to share with the group (blank: none)."""
    participant.shared_summary = clean_text(text or "", SUMMARY_LENGTH, "Shared summary") or None


def add_goal(participant: Participant, text: str, by=None) -> Goal:
    """Add a goal in the member's own words; a member has at most three at a time."""
    text = _goal_text(text)
    if len(participant.goals) >= MAX_GOALS:
        raise Refused("invalid", f"A member has at most {MAX_GOALS} goals.")
    position = max((goal.position for goal in participant.goals), default=0) + 1
    goal = Goal(participant_id=participant.id, position=position, text=text)
    db.session.add(goal)
    db.session.flush()
    db.session.add(GoalChange(goal_id=goal.id, old_text=None, new_text=text,
                              changed_by_id=getattr(by, "id", None)))
    db.session.expire(participant, ["goals"])
    return goal


def edit_goal(goal: Goal, text: str, by=None) -> None:
    """Change a goal's words; the old words stay in its history with the date."""
    text = _goal_text(text)
    if text == goal.text:
        return
    db.session.add(GoalChange(goal_id=goal.id, old_text=goal.text, new_text=text,
                              changed_by_id=getattr(by, "id", None)))
    goal.text = text


def retire_goal(goal: Goal, by=None) -> None:
    """Drop a goal from the member's plan; its history and progress notes stay."""
    if goal.retired_at is not None:
        return
    goal.retired_at = utcnow()
    db.session.add(GoalChange(goal_id=goal.id, old_text=goal.text, new_text=None,
                              changed_by_id=getattr(by, "id", None)))
    db.session.expire(goal.participant, ["goals"])


def note_progress(goal: Goal, session_id: int, note: str, by=None) -> GoalProgress:
    """Keep a progress note on a goal for one session (a second note replaces the first)."""
    note = clean_text(note, PROGRESS_LENGTH, "Progress note")
    if not note:
        raise Refused("invalid", "Write a progress note.")
    row = db.session.scalar(select(GoalProgress).where(
        GoalProgress.goal_id == goal.id, GoalProgress.session_id == session_id))
    if row is None:
        row = GoalProgress(goal_id=goal.id, session_id=session_id, note=note)
        db.session.add(row)
    row.note = note
    row.facilitator_id = getattr(by, "id", None)
    row.updated_at = utcnow()
    db.session.flush()
    return row


def goal_history(goal: Goal) -> list[GoalChange]:
    """Every change of a goal, oldest first."""
    return list(db.session.scalars(select(GoalChange).where(GoalChange.goal_id == goal.id)
                                   .order_by(GoalChange.id)))


# A member's current goals, in order: each snapshot of theirs reads them (built once).
OWN_GOALS = (select(Goal.id, Goal.text)
             .where(Goal.participant_id == bindparam("participant_id"), Goal.retired_at.is_(None))
             .order_by(Goal.position))


def own_goals(participant: Participant) -> list[dict]:
    """The member's current goals as their own phone shows them: ``[{id, text}]``.

    Plain Core on the event's connection (the ORM's own execution costs twice the query),
    after a flush, so goals this event changed are read as they now are.
    """
    db.session.flush()
    rows = db.session.connection().execute(OWN_GOALS, {"participant_id": participant.id})
    return [{"id": goal_id, "text": text} for goal_id, text in rows]


def _goal_text(text: str) -> str:
    """A goal's words, cleaned; empty or too long is refused with a plain message."""
    text = clean_text(text or "", GOAL_LENGTH, "Goal")
    if not text:
        raise Refused("invalid", "Write the goal in the member's own words.")
    return text
