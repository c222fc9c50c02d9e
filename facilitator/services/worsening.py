"""Who is getting worse since last week: the one definition the console, the fidelity
record and the supervisor's queue share.

A member is *worsening* in a session when, from their newest check-in of that session:
their PHQ-9 total is ``PHQ9_RISE`` or more above their previous PHQ-9 (the newest of an
earlier session of the group), or PHQ-9 item 9 went above 0 (it was 0, or not answered,
at their previous PHQ-9), or their mood fell by ``MOOD_FALL`` or more since their check-in
of the session before (last week). Only check-in fields are used; nothing is stored.
"""

from dataclasses import dataclass

from sqlalchemy import bindparam, select

from ..extensions import db
from ..models import CheckIn, GroupSession
from .scoring import item9_of

PHQ9_RISE = 5
MOOD_FALL = 2


@dataclass(frozen=True)
class Measure:
    """One check-in's numbers: the session's number, mood, PHQ-9 total and item 9."""

    number: int
    mood: int
    phq9_total: int | None
    item9: int | None


def is_worsening(now: Measure, last_week: Measure | None, previous_phq9: Measure | None
                 ) -> bool:
    """The rule on plain numbers (see the module's docstring)."""
    if last_week is not None and last_week.mood - now.mood >= MOOD_FALL:
        return True
    if now.item9 and (previous_phq9 is None or not previous_phq9.item9):
        return True
    return (now.phq9_total is not None and previous_phq9 is not None
            and now.phq9_total - previous_phq9.phq9_total >= PHQ9_RISE)


def member_worsening(measures: list[Measure], number: int) -> bool:
    """Whether a member is worsening in session ``number`` from their check-ins in course
    order (the newest of each session counts)."""
    newest = {m.number: m for m in measures if m.number <= number}
    now = newest.get(number)
    if now is None:
        return False
    with_phq9 = [m for m in measures if m.number < number and m.phq9_total is not None]
    return is_worsening(now, newest.get(number - 1), with_phq9[-1] if with_phq9 else None)


# The group's check-ins up to a session (built once: each facilitator's snapshot reads them).
MEASURES_UNTIL = (select(CheckIn.participant_id, GroupSession.number, CheckIn.mood,
                         CheckIn.phq9_total, CheckIn.phq9)
                  .join(GroupSession, GroupSession.id == CheckIn.session_id)
                  .where(GroupSession.group_id == bindparam("group_id"),
                         GroupSession.number <= bindparam("number"))
                  .order_by(GroupSession.number, CheckIn.created_at, CheckIn.id))
MEMBER_MEASURES_UNTIL = MEASURES_UNTIL.where(CheckIn.participant_id == bindparam("participant_id"))


def measures_until(session: GroupSession, participant_id: int | None = None
                   ) -> dict[int, list[Measure]]:
    """The group's check-ins up to this session by member, in course order (one query)."""
    values = {"group_id": session.group_id, "number": session.number}
    query = MEASURES_UNTIL
    if participant_id is not None:
        query = MEMBER_MEASURES_UNTIL
        values["participant_id"] = participant_id
    found: dict[int, list[Measure]] = {}
    for pid, number, mood, total, answers in db.session.execute(query, values):
        found.setdefault(pid, []).append(Measure(number, mood, total, item9_of(answers)))
    return found


def worsening_ids(session: GroupSession) -> set[int]:
    """The members (any with a check-in this session) worsening in this session."""
    return {pid for pid, measures in measures_until(session).items()
            if member_worsening(measures, session.number)}


def is_member_worsening(session: GroupSession, participant_id: int) -> bool:
    """Whether one member is worsening in this session."""
    measures = measures_until(session, participant_id).get(participant_id, [])
    return member_worsening(measures, session.number)
