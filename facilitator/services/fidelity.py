"""The fidelity record of a session: scores pre-filled from the session's own record.

Each pre-fill rule is one plain function of a session id returning a ``Prefill`` (or None
when the record says nothing). Scores: 0 not done, 1 partly, 2 done, None not applicable.
The facilitator confirms or corrects every pre-filled score.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ..extensions import db
from ..models import Alert, Assignment, Attendance, CheckIn, Participant, RiskRecord, RoundEntry
from . import roleplay
from .access import takes_part_sql
from .vocabulary import FIDELITY_WORDS


@dataclass(frozen=True)
class Prefill:
    """A score read from the session's record, with the count it rests on."""

    score: int | None
    basis: str


def share(done: int, total: int) -> int | None:
    """Score a share: all of them 2, some 1, none 0; nothing to count is not applicable."""
    if total == 0:
        return None
    if done >= total:
        return 2
    return 1 if done else 0


def present(session_id: int) -> set[int]:
    """The ids of the members who attended the session (enrolled members only)."""
    return set(db.session.scalars(
        select(Attendance.participant_id)
        .join(Participant, Attendance.participant_id == Participant.id)
        .where(Attendance.session_id == session_id, takes_part_sql())))


def members_prefill(done: set[int], everyone: set[int]) -> Prefill | None:
    """A members' share as a pre-fill; None when nobody attended."""
    if not everyone:
        return None
    counted = len(done & everyone)
    return Prefill(share(counted, len(everyone)),
                   FIDELITY_WORDS["of_members"].format(done=counted, total=len(everyone)))


def measures_everyone(session_id: int) -> Prefill | None:
    """A check-in from every member present."""
    done = set(db.session.scalars(select(CheckIn.participant_id)
                                  .where(CheckIn.session_id == session_id)))
    return members_prefill(done, present(session_id))


def everyone_turn(session_id: int) -> Prefill | None:
    """Every member present reached in the round."""
    done = set(db.session.scalars(select(RoundEntry.participant_id).where(
        RoundEntry.session_id == session_id, RoundEntry.reached_at.is_not(None))))
    return members_prefill(done, present(session_id))


def mood_event_link(session_id: int) -> Prefill | None:
    """Every member present had their mood linked to the week's events (round technique)."""
    entries = db.session.scalars(select(RoundEntry).where(RoundEntry.session_id == session_id))
    done = {e.participant_id for e in entries if "mood_event" in (e.techniques or [])}
    return members_prefill(done, present(session_id))


def task_per_member(session_id: int) -> Prefill | None:
    """Every member present left with a personal task tied to one of their goals."""
    done = set(db.session.scalars(select(Assignment.participant_id).where(
        Assignment.session_id == session_id, Assignment.goal_id.is_not(None))))
    return members_prefill(done, present(session_id))


def roleplay_debriefed(session_id: int) -> Prefill | None:
    """A rehearsal was talked over: done once any debrief is recorded, else unknown."""
    count = roleplay.debriefed_count(session_id)
    if not count:
        return None
    return Prefill(2, FIDELITY_WORDS["of_members"].format(done=count, total=count))


def alerts_handled(session_id: int) -> Prefill | None:
    """Every alert of the session has a risk record; not applicable without alerts."""
    alerts = list(db.session.scalars(select(Alert.id).where(Alert.session_id == session_id)))
    if not alerts:
        return Prefill(None, FIDELITY_WORDS["of_alerts"].format(done=0, total=0))
    done = len(set(db.session.scalars(select(RiskRecord.alert_id)
                                      .where(RiskRecord.alert_id.in_(alerts)))))
    return Prefill(share(done, len(alerts)),
                   FIDELITY_WORDS["of_alerts"].format(done=done, total=len(alerts)))


RULES = {
    "measures_everyone": measures_everyone,
    "everyone_turn": everyone_turn,
    "mood_event_link": mood_event_link,
    "task_per_member": task_per_member,
    "roleplay_debriefed": roleplay_debriefed,
    "alerts_handled": alerts_handled,
}


def prefill(session_id: int) -> dict[str, Prefill]:
    """Every pre-fill the session's record supports, by fidelity key."""
    found = {key: rule(session_id) for key, rule in RULES.items()}
    return {key: value for key, value in found.items() if value is not None}
