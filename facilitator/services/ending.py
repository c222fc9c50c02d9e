"""A real ending: the countdown, each member's staying-well plan, and who needs a referral.

- **Countdown** (``countdown``): from the first session of the termination phase, the
  console and the phones say calmly how many sessions are left (``vocabulary.ENDING_WORDS``).
- **Staying-well plan** (``save_plan``): three short texts a member writes on their phone;
  they read and write only their own, their group's facilitators read it.
- **Referral** (``referral_reasons``, one plain rule): a member needs one when their latest
  PHQ-9 is 10 or more, when they are *not responding* (two measures or more, the latest not
  down by half from the first and not below 5: no response and no remission), or when they
  are at risk (an alert whose risk record says ``high``, or a follow-up still open). The group
  page lists those who need one and have none recorded (``referrals_needed``).

The final measure is the latest check-in of the course's last session: ``outcomes`` compares
the first measure with the latest, so the last session's PHQ-9 is the one it uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select

from ..extensions import db
from ..models import (
    AgendaItem,
    Alert,
    Group,
    GroupSession,
    Participant,
    Referral,
    RiskRecord,
    StayingWellPlan,
    iso,
    utcnow,
)
from . import Refused, access, outcomes, reporting, risk
from .vocabulary import ENDING_WORDS, REFERRAL_OUTCOME_WORDS, WELLPLAN_FIELDS

MAINTENANCE = "maintenance"
# A maintenance session's short agenda; each kind has a ``[maintenance.*]`` script
# (facilitator/data/session-scripts.toml).
MAINTENANCE_AGENDA = (
    ("Check-in", "checkin"),
    ("How it has gone", "review"),
    ("Staying-well plan review", "relapse_plan"),
    ("Close", "close"),
)
PLAN_LENGTH = 1000
PLAN_KEYS = tuple(key for key, _, _ in WELLPLAN_FIELDS)
STILL_UNWELL_FROM = 10
REFERRAL_OUTCOMES = tuple(REFERRAL_OUTCOME_WORDS)
TO_WHOM_LENGTH = 200
REASON_LENGTH = 1000


# --- Countdown ---------------------------------------------------------------------------

def countdown(phase: str, number: int, total: int, left: int) -> str | None:
    """The calm countdown line for a session of ``phase``, or None before the ending.

    Only termination sessions of the planned course count down; a session after the course
    (``number > total``, maintenance) has none.
    """
    if phase != "termination" or number > total:
        return None
    if left <= 0:
        return ENDING_WORDS["last"]
    if left == 1:
        return ENDING_WORDS["one"]
    return ENDING_WORDS["many"].format(left=left)


def is_final(number: int, total: int) -> bool:
    """Whether session ``number`` is the planned course's last: its check-ins are the final
    measure (a maintenance session after it is not)."""
    return number == total


# --- Staying-well plan -------------------------------------------------------------------

# A member's staying-well plan: each snapshot of theirs reads it (built once).
PLAN_OF = select(StayingWellPlan).where(
    StayingWellPlan.participant_id == bindparam("participant_id"))


def plan_of(participant_id: int) -> StayingWellPlan | None:
    """The member's staying-well plan, if they started one."""
    return db.session.scalar(PLAN_OF, {"participant_id": participant_id})


GROUP_PLANS = (select(StayingWellPlan).where(StayingWellPlan.group_id == bindparam("group_id"))
               .order_by(StayingWellPlan.participant_id))


def group_plans(group_id: int) -> list[StayingWellPlan]:
    """Every staying-well plan of the group's members (for its facilitators only)."""
    return list(db.session.scalars(GROUP_PLANS, {"group_id": group_id}))


def save_plan(member: Participant, texts: dict[str, str]) -> StayingWellPlan:
    """Keep the member's own plan as they wrote it (a later save replaces the texts)."""
    for key in PLAN_KEYS:
        if len(texts.get(key, "")) > PLAN_LENGTH:
            raise Refused("invalid", f"Each part of the plan is at most {PLAN_LENGTH} "
                                     "characters.")
    plan = plan_of(member.id)
    if plan is None:
        plan = StayingWellPlan(participant_id=member.id, group_id=member.group_id)
        db.session.add(plan)
    for key in PLAN_KEYS:
        setattr(plan, key, texts.get(key, ""))
    plan.updated_at = utcnow()
    db.session.flush()
    return plan


def plan_view(plan: StayingWellPlan | None) -> dict | None:
    """The plan as events and snapshots carry it: its three texts and when it was saved."""
    if plan is None:
        return None
    view = {key: getattr(plan, key) for key in PLAN_KEYS}
    view.update(participant_id=plan.participant_id, updated_at=iso(plan.updated_at))
    return view


def plan_text(member: Participant, plan: StayingWellPlan | None) -> str:
    """The member's plan as a plain text file to keep."""
    lines = [f"My staying-well plan ({member.display_name})", ""]
    for key, label, _ in WELLPLAN_FIELDS:
        text = getattr(plan, key, "") if plan is not None else ""
        lines += [label, "-" * len(label), text.strip() or "(not written yet)", ""]
    return "\n".join(lines)


# --- Referrals ---------------------------------------------------------------------------

@dataclass(frozen=True)
class MemberFacts:
    """What the referral rule reads of one member: first and latest PHQ-9, risk."""

    first: int | None
    latest: int | None
    measures: int
    high_risk: bool = False
    open_follow_up: bool = False
    # The PHQ-9 reasons count from the termination phase on: at the start of a course most
    # members score 10 or more, which is why they joined.
    ending: bool = True


def referral_reasons(facts: MemberFacts) -> list[str]:
    """Why this member needs a referral (keys of ``vocabulary.REFERRAL_REASON_WORDS``).

    Empty when they need none. *Not responding*: two measures or more, no response (down by
    half) and no remission (below 5). Both PHQ-9 reasons wait for the ending (``ending``);
    being at risk counts at any time.
    """
    reasons = []
    if facts.ending and facts.latest is not None and facts.latest >= STILL_UNWELL_FROM:
        reasons.append("still_unwell")
    if (facts.ending and facts.measures >= 2 and facts.first is not None
            and facts.latest is not None
            and not outcomes.is_response(facts.first, facts.latest)
            and not outcomes.is_remission(facts.latest)):
        reasons.append("not_responding")
    if facts.high_risk or facts.open_follow_up:
        reasons.append("at_risk")
    return reasons


def risk_facts(group_id: int) -> tuple[set[int], set[int]]:
    """Members with a high risk level on record, and members with an open follow-up."""
    high = set(db.session.scalars(select(RiskRecord.participant_id).where(
        RiskRecord.group_id == group_id, RiskRecord.risk_level == "high")))
    waiting = {a.participant_id for a in risk.open_follow_ups([group_id])}
    waiting |= set(db.session.scalars(select(Alert.participant_id).where(
        Alert.group_id == group_id, Alert.acknowledged_at.is_(None))))
    return high, waiting


@dataclass(frozen=True)
class Needed:
    """A member the group page lists: needs a referral, has none recorded."""

    member: Participant
    reasons: list[str]


def ending_started(group: Group) -> bool:
    """Whether the course has reached its ending: a termination session has started (or a
    session after the course exists)."""
    return any(s.phase in ("termination", MAINTENANCE) and s.status != "scheduled"
               for s in group.sessions) or reporting.course_complete(group)


def referrals_needed(group: Group) -> list[Needed]:
    """The group's enrolled members who need a referral and have none recorded yet."""
    course = reporting.course_measures(group)
    ending = ending_started(group)
    high, waiting = risk_facts(group.id)
    referred = set(db.session.scalars(select(Referral.participant_id).where(
        Referral.group_id == group.id)))
    needed = []
    for person in course.people:
        member = person.participant
        if not access.takes_part(member.status) or member.id in referred:
            continue
        outcome = person.outcome
        reasons = referral_reasons(MemberFacts(outcome.first, outcome.latest, outcome.measures,
                                               member.id in high, member.id in waiting,
                                               ending))
        if reasons:
            needed.append(Needed(member, reasons))
    return needed


def referrals_of(member: Participant) -> list[Referral]:
    """The member's referrals, newest first."""
    return list(db.session.scalars(select(Referral).where(
        Referral.participant_id == member.id).order_by(Referral.id.desc())))


def record_referral(user, member: Participant, to_whom: str, reason: str, outcome: str,
                    referred_on: datetime, outcome_on: datetime | None) -> Referral:
    """Record a referral for a member (the view audits and commits)."""
    if outcome not in REFERRAL_OUTCOMES:
        raise Refused("invalid", "Choose how the referral went.")
    if outcome_on is not None and outcome_on < referred_on:
        raise Refused("invalid", "The outcome's date cannot come before the referral.")
    referral = Referral(group_id=member.group_id, participant_id=member.id,
                        to_whom=to_whom.strip(), reason=reason.strip(), outcome=outcome,
                        referred_on=referred_on, outcome_on=outcome_on,
                        recorded_by_id=user.id)
    db.session.add(referral)
    db.session.flush()
    return referral


# --- Maintenance sessions ----------------------------------------------------------------

def may_add_maintenance(group: Group) -> bool:
    """Monthly maintenance sessions can be added once the course's last session has ended."""
    return reporting.course_complete(group)


def add_maintenance_session(group: Group) -> GroupSession:
    """Add a maintenance session after the group's last session (the view audits, commits).

    Its counters say no sessions are left (it is after the planned course).
    """
    if not may_add_maintenance(group):
        raise Refused("conflict", "Maintenance sessions can be added once the course's last "
                                  "session has ended.")
    number = max(s.number for s in group.sessions) + 1
    held = sum(1 for s in group.sessions if s.phase == MAINTENANCE)
    session = GroupSession(group_id=group.id, number=number, phase=MAINTENANCE,
                           title=f"Session {number}: Staying well (monthly meeting {held + 1})")
    for position, (title, kind) in enumerate(MAINTENANCE_AGENDA):
        session.agenda.append(AgendaItem(position=position, title=title, kind=kind))
    db.session.add(session)
    db.session.flush()
    return session
