"""What the console's weekly round shows for each member: facilitators only.

For the member in focus: their goals (with this session's progress note), last week's
task(s) and their reflection, this week's check-in with the change since last week (item 9
marked), what the round recorded (reached, techniques, the private note) and the tasks
given this session, whether they are getting worse since last week (``services.worsening``)
and flagged for supervision. Plain data, shaped for the snapshot's ``round`` and ``round:member``.
"""

from sqlalchemy import or_, select

from ..extensions import db
from ..models import (
    Assignment,
    CheckIn,
    GoalProgress,
    GroupSession,
    Participant,
    Reflection,
    RoundEntry,
    iso,
)
from .access import takes_part
from .scoring import item9_of
from .worsening import is_member_worsening


def previous_session(session: GroupSession) -> GroupSession | None:
    """The group's session before this one (last week), if any."""
    return next((s for s in session.group.sessions if s.number == session.number - 1), None)


def tasks_of(session_id: int, participant_id: int) -> list[Assignment]:
    """The tasks a member was given in one session: the group's and their own."""
    return list(db.session.scalars(select(Assignment).where(
        Assignment.session_id == session_id,
        or_(Assignment.participant_id.is_(None), Assignment.participant_id == participant_id))
        .order_by(Assignment.id)))


def reflection_on(assignment_id: int, participant_id: int) -> Reflection | None:
    """The member's newest reflection on one task."""
    return db.session.scalar(select(Reflection).where(
        Reflection.assignment_id == assignment_id, Reflection.participant_id == participant_id)
        .order_by(Reflection.id.desc()).limit(1))


def last_checkin(session_id: int | None, participant_id: int) -> CheckIn | None:
    """The member's newest check-in in a session."""
    if session_id is None:
        return None
    return db.session.scalar(select(CheckIn).where(
        CheckIn.session_id == session_id, CheckIn.participant_id == participant_id)
        .order_by(CheckIn.id.desc()).limit(1))


def change(now: int | None, before: int | None) -> int | None:
    """The difference since last week, or None when either is missing."""
    return None if now is None or before is None else now - before


def checkin_view(now: CheckIn | None, before: CheckIn | None) -> dict | None:
    """This week's check-in and the change since last week; ``item9_marked`` when above 0."""
    if now is None:
        return None
    item9 = item9_of(now.phq9)
    return {"mood": now.mood, "phq9_total": now.phq9_total, "item9": item9,
            "item9_marked": bool(item9), "severity": now.severity,
            "mood_change": change(now.mood, before.mood if before else None),
            "phq9_change": change(now.phq9_total, before.phq9_total if before else None)}


def task_view(a: Assignment, participant_id: int, with_reflection: bool) -> dict:
    """One task, with the goal it is tied to and (for last week's) the member's reflection."""
    view = {"assignment_id": a.id, "text": a.text, "for_everyone": a.participant_id is None,
            "goal_id": a.goal_id, "goal": a.goal.text if a.goal is not None else None}
    if with_reflection:
        r = reflection_on(a.id, participant_id)
        view["reflection"] = None if r is None else {
            "text": r.text, "times_practised": r.times_practised}
    return view


def goals_view(session: GroupSession, member: Participant) -> list[dict]:
    """The member's current goals, each with this session's progress note (or None)."""
    notes = {row.goal_id: row.note for row in db.session.scalars(select(GoalProgress).where(
        GoalProgress.session_id == session.id,
        GoalProgress.goal_id.in_([g.id for g in member.goals])))} if member.goals else {}
    return [{"id": g.id, "text": g.text, "progress": notes.get(g.id)}
            for g in member.goals if g.retired_at is None]


def member_view(session: GroupSession, member: Participant, entry: RoundEntry | None) -> dict:
    """One member's turn in the round, as the console shows it."""
    before = previous_session(session)
    last_tasks = [] if before is None else tasks_of(before.id, member.id)
    return {
        "session_id": session.id, "participant_id": member.id,
        "display_name": member.display_name,
        "problem_areas": [a for a in (member.problem_area, member.second_problem_area) if a],
        "reached": entry is not None and entry.reached_at is not None,
        "reached_at": iso(entry.reached_at) if entry else None,
        "techniques": list(entry.techniques or []) if entry else [],
        "note": entry.note if entry else None,
        "flagged_for_supervision": entry is not None and entry.flagged_at is not None,
        "worsening": is_member_worsening(session, member.id),
        "goals": goals_view(session, member),
        "last_tasks": [task_view(a, member.id, True) for a in last_tasks],
        "tasks": [task_view(a, member.id, False) for a in tasks_of(session.id, member.id)
                  if a.participant_id == member.id],
        "checkin": checkin_view(last_checkin(session.id, member.id),
                                last_checkin(before.id if before else None, member.id)),
    }


def round_view(session: GroupSession) -> list[dict]:
    """The whole round: every enrolled member of the group, in the group's order."""
    from .round import entries

    kept = entries(session.id)
    return [member_view(session, p, kept.get(p.id)) for p in session.group.participants
            if takes_part(p.status)]
