"""The fidelity record of a session: scores pre-filled from the session's own record.

Each pre-fill rule is one plain function of a session id returning a ``Prefill`` (or None
when the record says nothing). Scores: 0 not done, 1 partly, 2 done, None not applicable.
The facilitator confirms or corrects every pre-filled score.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from ..extensions import db
from ..models import (
    Alert,
    Assignment,
    Attendance,
    CheckIn,
    FidelityRating,
    Goal,
    GoalProgress,
    GroupSession,
    Participant,
    RiskRecord,
    RoundEntry,
    utcnow,
)
from . import Refused, review, roleplay, scripts, worsening
from . import round as rounds
from .access import takes_part_sql
from .text import clean_text
from .vocabulary import (
    COMPETENCE_ITEMS,
    FIDELITY_GROUPS,
    FIDELITY_PHASE_ITEMS,
    FIDELITY_WORDS,
    REVIEW_MODES,
)

SELF, REVIEW = "self", "review"
COMMENTS_MAX = 2000
ENDED = "ended"


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


def area_technique(session_id: int) -> Prefill | None:
    """Every member present had a problem-area technique marked in the round (any technique
    but linking mood to events, which ``mood_event_link`` counts)."""
    entries = rounds.entries(session_id).values()
    done = {e.participant_id for e in entries if set(e.techniques or []) - {"mood_event"}}
    return members_prefill(done, present(session_id))


def worsening_flagged(session_id: int) -> Prefill:
    """Every member present who got worse since last week (``services.worsening``) was
    flagged for supervision in the round; not applicable when nobody got worse."""
    session = db.session.get(GroupSession, session_id)
    worse = worsening.worsening_ids(session) & present(session_id)
    if not worse:
        return Prefill(None, FIDELITY_WORDS["nobody_worsening"])
    flagged = {pid for pid, e in rounds.entries(session_id).items() if e.flagged_at}
    done = len(worse & flagged)
    return Prefill(share(done, len(worse)),
                   FIDELITY_WORDS["of_worsening"].format(done=done, total=len(worse)))


def goals_reviewed(session_id: int) -> Prefill | None:
    """Every member present has a progress note on one of their goals in this session (the
    mid-course review's own item)."""
    done = set(db.session.scalars(
        select(Goal.participant_id).join(GoalProgress, GoalProgress.goal_id == Goal.id)
        .where(GoalProgress.session_id == session_id)))
    return members_prefill(done, present(session_id))


RULES = {
    "measures_everyone": measures_everyone,
    "everyone_turn": everyone_turn,
    "mood_event_link": mood_event_link,
    "area_technique": area_technique,
    "task_per_member": task_per_member,
    "roleplay_debriefed": roleplay_debriefed,
    "alerts_handled": alerts_handled,
    "worsening_flagged": worsening_flagged,
    "goals_reviewed": goals_reviewed,
}


def steps_by_key(session: GroupSession, ticks: list[dict]
                 ) -> tuple[dict[str, int], dict[str, int]]:
    """Per fidelity key, the script steps of the session's items serving it (their plan's
    ``fidelity`` keys) and how many of them ``ticks`` holds: ``(ticked, steps)``."""
    ticked: dict[int, set[int]] = {}
    for row in ticks:
        ticked.setdefault(row["item_id"], set()).add(row["step"])
    done: dict[str, int] = {}
    steps: dict[str, int] = {}
    for item in session.agenda:
        script = scripts.for_item(session.group.template, session.number, session.phase,
                                  item.kind)
        count = len(script.steps)
        for key in script.fidelity:
            steps[key] = steps.get(key, 0) + count
            done[key] = done.get(key, 0) + len({s for s in ticked.get(item.id, ()) if s < count})
    return done, steps


def from_ticks(session: GroupSession) -> dict[str, Prefill]:
    """Scores from the script's ticks: all steps serving a key ticked 2, some 1, none 0.

    Nothing when the session has no tick at all: a facilitator who did not use the ticks
    gets no row of zeros.
    """
    ticks = rounds.ticks(session.id)
    if not ticks:
        return {}
    done, steps = steps_by_key(session, ticks)
    return {key: Prefill(share(done[key], total),
                         FIDELITY_WORDS["of_steps"].format(done=done[key], total=total))
            for key, total in steps.items()}


def prefill(session_id: int) -> dict[str, Prefill]:
    """Every pre-fill the session's record supports, by fidelity key; the script's ticks
    fill only the keys no other rule fills."""
    found = {key: rule(session_id) for key, rule in RULES.items()}
    filled = {key: value for key, value in found.items() if value is not None}
    for key, value in from_ticks(db.session.get(GroupSession, session_id)).items():
        filled.setdefault(key, value)
    return filled


def last_number(group_id: int) -> int:
    """The number of the group's last session."""
    return db.session.scalar(select(func.max(GroupSession.number))
                             .where(GroupSession.group_id == group_id)) or 0


def items_for(session: GroupSession) -> list[tuple[str, tuple[str, ...]]]:
    """The record's groups of keys for a session; session 1, the mid-course review's
    session (``review.review_number``) and the last add their phase's own."""
    found = list(FIDELITY_GROUPS.items())
    if session.number == 1:
        found.append(("phase", FIDELITY_PHASE_ITEMS["initial"]))
    elif session.number == review.review_number(session.group.template):
        found.append(("phase", FIDELITY_PHASE_ITEMS["middle"]))
    elif session.number == last_number(session.group_id):
        found.append(("phase", FIDELITY_PHASE_ITEMS["termination"]))
    return found


def keys_for(session: GroupSession) -> list[str]:
    """Every fidelity key the session's record scores, in order."""
    return [key for _, keys in items_for(session) for key in keys]


def has_ended(session: GroupSession) -> bool:
    """A fidelity record is kept once the session has ended."""
    return session.status == ENDED


def rating_of(session_id: int, kind: str) -> FidelityRating | None:
    """The session's own record (``SELF``) or the supervisor's review (``REVIEW``)."""
    return db.session.scalar(select(FidelityRating).where(
        FidelityRating.session_id == session_id, FidelityRating.kind == kind))


def checked_scores(session: GroupSession, scores: dict[str, int | None]) -> dict:
    """Every key of the session scored 0, 1, 2 or None; anything else is refused."""
    keys = keys_for(session)
    if set(scores) != set(keys) or any(v not in (0, 1, 2, None) for v in scores.values()):
        raise Refused("invalid", "Score every item: done, partly, not done or not applicable.")
    return {key: scores[key] for key in keys}


def save(session: GroupSession, kind: str, by, scores: dict, comments: str = "",
         mode: str | None = None, competence: dict | None = None) -> FidelityRating:
    """Write (or rewrite) the session's record of ``kind``; flushed, never committed."""
    if not has_ended(session):
        raise Refused("invalid", "The fidelity record is kept once the session has ended.")
    comments = clean_text(comments, COMMENTS_MAX, "Comments")
    if kind == REVIEW and mode not in REVIEW_MODES:
        raise Refused("invalid", "Say how you saw the session.")
    competence = competence or {}
    if any(k not in COMPETENCE_ITEMS or v not in (1, 2, 3, 4) for k, v in competence.items()):
        raise Refused("invalid", "Rate each skill from 1 to 4, or leave it out.")
    rating = rating_of(session.id, kind) or FidelityRating(
        session_id=session.id, group_id=session.group_id, kind=kind)
    rating.author_id = by.id
    rating.scores = checked_scores(session, scores)
    rating.comments = comments
    rating.mode = mode if kind == REVIEW else None
    rating.competence = competence if kind == REVIEW else {}
    rating.updated_at = utcnow()
    db.session.add(rating)
    db.session.flush()
    return rating


def total(scores: dict) -> int:
    """The sum of the scored items (not applicable counts nothing)."""
    return sum(v for v in scores.values() if v is not None)


def gap(own: FidelityRating | None, review: FidelityRating | None) -> dict[str, int | None]:
    """Per key, the supervisor's score minus the facilitators' (None if either is missing)."""
    if own is None or review is None:
        return {}
    return {key: (None if own.scores.get(key) is None or review.scores.get(key) is None
                  else review.scores[key] - own.scores[key]) for key in own.scores}


def ended_sessions(group_ids) -> list[GroupSession]:
    """The ended sessions of the groups, oldest first."""
    return list(db.session.scalars(
        select(GroupSession).where(GroupSession.group_id.in_(list(group_ids)),
                                   GroupSession.status == ENDED)
        .order_by(GroupSession.ended_at, GroupSession.id)))


def kinds_by_session(session_ids) -> dict[int, set[str]]:
    """Which records (self, review) each session has."""
    found: dict[int, set[str]] = {}
    for sid, kind in db.session.execute(select(FidelityRating.session_id, FidelityRating.kind)
                                        .where(FidelityRating.session_id.in_(session_ids))):
        found.setdefault(sid, set()).add(kind)
    return found


def missing(group_ids) -> list[GroupSession]:
    """Ended sessions without the facilitators' own record."""
    sessions = ended_sessions(group_ids)
    kinds = kinds_by_session([s.id for s in sessions])
    return [s for s in sessions if SELF not in kinds.get(s.id, set())]


def waiting_review(group_ids) -> list[GroupSession]:
    """Ended sessions with the facilitators' record and no supervisor's review."""
    sessions = ended_sessions(group_ids)
    kinds = kinds_by_session([s.id for s in sessions])
    return [s for s in sessions if kinds.get(s.id, set()) == {SELF}]
