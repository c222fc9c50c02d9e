"""What the console's weekly round shows for each member: facilitators only.

For the member in focus: their goals (with this session's progress note), last week's
task(s) and their reflection, this week's check-in with the change since last week (item 9
marked), what the round recorded (reached, techniques, the private note) and the tasks
given this session, whether they are getting worse since last week (``services.worsening``)
and flagged for supervision. Plain data, shaped for the snapshot's ``round`` and
``round:member``.

Everything is read for all the members at once (``RoundData``: one query per kind), so a
facilitator's snapshot costs the same few queries however large the group.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import bindparam, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import (
    Assignment,
    CheckIn,
    Goal,
    GoalProgress,
    GroupSession,
    Participant,
    Reflection,
    RoundEntry,
    iso,
)
from .access import takes_part
from .scoring import item9_of
from .worsening import worsening_ids

# The group's session of a given number (last week's, for the round).
SESSION_NUMBER = select(GroupSession).where(GroupSession.group_id == bindparam("group_id"),
                                            GroupSession.number == bindparam("number"))


# The round's reads for all members at once, built once (expanding lists of ids).
SESSION_CHECKINS_OF = (select(CheckIn)
                       .where(CheckIn.session_id == bindparam("session_id"),
                              CheckIn.participant_id.in_(bindparam("ids", expanding=True)))
                       .order_by(CheckIn.id))
SESSION_TASKS = (select(Assignment)
                 .where(Assignment.session_id.in_(bindparam("session_ids", expanding=True)))
                 .options(selectinload(Assignment.goal)).order_by(Assignment.id))
REFLECTIONS_ON = (select(Reflection)
                  .where(Reflection.assignment_id.in_(bindparam("assignment_ids", expanding=True)),
                         Reflection.participant_id.in_(bindparam("ids", expanding=True)))
                  .order_by(Reflection.id))
CURRENT_GOALS = (select(Goal).where(Goal.participant_id.in_(bindparam("ids", expanding=True)),
                                    Goal.retired_at.is_(None)).order_by(Goal.position))
PROGRESS_NOTES = (select(GoalProgress.goal_id, GoalProgress.note)
                  .where(GoalProgress.session_id == bindparam("session_id")))


def previous_session(session: GroupSession) -> GroupSession | None:
    """The group's session before this one (last week), if any."""
    return db.session.scalar(SESSION_NUMBER, {"group_id": session.group_id,
                                              "number": session.number - 1})


def newest_checkins(session_id: int | None, ids: list[int],
                    taken: list[CheckIn] | None = None) -> dict[int, CheckIn]:
    """Each member's newest check-in in a session; ``taken``: the session's check-ins,
    oldest first, when the caller read them already."""
    if session_id is None or not ids:
        return {}
    if taken is None:
        taken = db.session.scalars(SESSION_CHECKINS_OF, {"session_id": session_id, "ids": ids})
    wanted = set(ids)
    return {c.participant_id: c for c in taken if c.participant_id in wanted}  # newest wins


def session_tasks(session_ids: list[int]) -> dict[int, list[Assignment]]:
    """The tasks given in each of the sessions (the group's and members' own), oldest first."""
    found: dict[int, list[Assignment]] = defaultdict(list)
    for a in db.session.scalars(SESSION_TASKS, {"session_ids": session_ids}):
        found[a.session_id].append(a)
    return found


def newest_reflections(assignment_ids: list[int], ids: list[int]) -> dict[tuple, Reflection]:
    """Each member's newest reflection on each of the tasks, by (task, member)."""
    if not assignment_ids or not ids:
        return {}
    rows = db.session.scalars(REFLECTIONS_ON, {"assignment_ids": assignment_ids, "ids": ids})
    return {(r.assignment_id, r.participant_id): r for r in rows}  # the newest wins


@dataclass
class RoundData:
    """What the round shows of a session's members, read once for all of them."""

    before: GroupSession | None
    goals: dict[int, list[Goal]] = field(default_factory=dict)
    notes: dict[int, str] = field(default_factory=dict)
    tasks: dict[int, list[Assignment]] = field(default_factory=dict)
    reflections: dict[tuple, Reflection] = field(default_factory=dict)
    now: dict[int, CheckIn] = field(default_factory=dict)
    then: dict[int, CheckIn] = field(default_factory=dict)
    worsening: set[int] = field(default_factory=set)

    @classmethod
    def load(cls, session: GroupSession, ids: list[int],
             taken: list[CheckIn] | None = None) -> RoundData:
        """Read the round's data for the members ``ids``: one query per kind (``taken``:
        the session's check-ins, oldest first, when the caller read them already)."""
        data = cls(before=previous_session(session))
        for goal in db.session.scalars(CURRENT_GOALS, {"ids": ids}):
            data.goals.setdefault(goal.participant_id, []).append(goal)
        data.notes = dict(db.session.execute(PROGRESS_NOTES, {"session_id": session.id}).all())
        before_id = data.before.id if data.before else None
        data.tasks = session_tasks([session.id] + ([before_id] if before_id else []))
        data.reflections = newest_reflections(
            [a.id for a in data.tasks.get(before_id, [])], ids)
        data.now = newest_checkins(session.id, ids, taken)
        data.then = newest_checkins(before_id, ids)
        data.worsening = worsening_ids(session)
        return data

    def tasks_of(self, session_id: int | None, participant_id: int) -> list[Assignment]:
        """The tasks a member was given in one session: the group's and their own."""
        return [a for a in self.tasks.get(session_id, [])
                if a.participant_id is None or a.participant_id == participant_id]


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


def task_view(a: Assignment, reflection: Reflection | None | bool = False) -> dict:
    """One task, with the goal it is tied to and (for last week's) the member's reflection;
    ``reflection=False`` leaves the reflection out (this week's tasks)."""
    view = {"assignment_id": a.id, "text": a.text, "for_everyone": a.participant_id is None,
            "goal_id": a.goal_id, "goal": a.goal.text if a.goal is not None else None}
    if reflection is not False:
        view["reflection"] = None if reflection is None else {
            "text": reflection.text, "times_practised": reflection.times_practised}
    return view


def goals_view(data: RoundData, member: Participant) -> list[dict]:
    """The member's current goals, each with this session's progress note (or None)."""
    return [{"id": g.id, "text": g.text, "progress": data.notes.get(g.id)}
            for g in data.goals.get(member.id, [])]


def member_view(session: GroupSession, member: Participant, entry: RoundEntry | None,
                data: RoundData | None = None) -> dict:
    """One member's turn in the round, as the console shows it."""
    data = data or RoundData.load(session, [member.id])
    before_id = data.before.id if data.before else None
    return {
        "session_id": session.id, "participant_id": member.id,
        "display_name": member.display_name,
        "problem_areas": [a for a in (member.problem_area, member.second_problem_area) if a],
        "reached": entry is not None and entry.reached_at is not None,
        "reached_at": iso(entry.reached_at) if entry else None,
        "techniques": list(entry.techniques or []) if entry else [],
        "note": entry.note if entry else None,
        "flagged_for_supervision": entry is not None and entry.flagged_at is not None,
        "worsening": member.id in data.worsening,
        "goals": goals_view(data, member),
        "last_tasks": [task_view(a, data.reflections.get((a.id, member.id)))
                       for a in data.tasks_of(before_id, member.id)],
        "tasks": [task_view(a) for a in data.tasks_of(session.id, member.id)
                  if a.participant_id == member.id],
        "checkin": checkin_view(data.now.get(member.id), data.then.get(member.id)),
    }


def round_view(session: GroupSession, taken: list[CheckIn] | None = None) -> list[dict]:
    """The whole round: every enrolled member of the group, in the group's order
    (``taken``: the session's check-ins, oldest first, when the caller read them already)."""
    from .round import entries

    kept = entries(session.id)
    members = [p for p in session.group.participants if takes_part(p.status)]
    data = RoundData.load(session, [p.id for p in members], taken)
    return [member_view(session, p, kept.get(p.id), data) for p in members]
