"""The risk protocol: the structured record a facilitator keeps of an alert, and its follow-up.

An alert is acknowledged (``checkins.acknowledge_alert``), then recorded here: asked
directly, thoughts, plan, means, past attempt, protective factors, a risk level, the actions
taken and when to follow up. The alert stays open until its follow-up is recorded done.
Every step writes an audit row in the same transaction; nothing here is ever logged.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import bindparam, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Alert, RiskRecord, utcnow
from . import Refused, audit
from .meeting import alert_answers
from .scoring import item9_of

# The words a person reads, defined once (the console and the risk page get them from here).
YES_NO_QUESTIONS = {
    "asked_directly": "Did you ask the person directly about thoughts of suicide?",
    "plan": "Do they have a plan?",
    "means": "Do they have access to the means?",
    "past_attempt": "Have they made an attempt in the past?",
}
THOUGHTS = {
    "none": "None",
    "passive": "Passive: wishing to be dead, without intent",
    "active": "Active: thinking of ending their life",
}
RISK_LEVELS = {"low": "Low", "medium": "Medium", "high": "High"}
ACTIONS = {
    "safety_plan": "Safety plan made",
    "stayed_with_person": "Stayed with the person",
    "supervisor_told": "Supervisor or clinical lead told",
    "referral": "Referral",
    "emergency_services": "Emergency services",
}
LABELS = {
    "asked_directly": "Asked directly",
    "thoughts": "Thoughts of suicide",
    "plan": "A plan",
    "means": "Access to means",
    "past_attempt": "A past attempt",
    "protective_factors": "Protective factors",
    "risk_level": "Risk level",
    "actions": "Actions taken",
    "follow_up_due": "Follow-up due",
    "outcome": "Outcome of the follow-up",
}
MISSING = {
    "asked_directly": "answer yes or no.",
    "thoughts": "choose none, passive or active.",
    "plan": "answer yes or no.",
    "means": "answer yes or no.",
    "past_attempt": "answer yes or no.",
    "risk_level": "choose low, medium or high.",
    "follow_up_due": "give the date and time of the follow-up.",
}
REQUIRED = tuple(MISSING)
# An acknowledged alert without a record is overdue after this long (the same day).
RECORD_WITHIN = timedelta(hours=24)
MAX_TEXT = 2000


@dataclass(frozen=True)
class RiskFields:
    """The fields of a risk record as sent; None where a required answer is missing."""

    asked_directly: bool | None = None
    thoughts: str | None = None
    plan: bool | None = None
    means: bool | None = None
    past_attempt: bool | None = None
    protective_factors: str = ""
    risk_level: str | None = None
    actions: tuple[str, ...] = field(default_factory=tuple)
    follow_up_due: datetime | None = None  # naive UTC, as stored


def words() -> dict:
    """Every word of the risk record a person reads, for the pages and their scripts."""
    return {"questions": YES_NO_QUESTIONS, "thoughts": THOUGHTS, "risk_levels": RISK_LEVELS,
            "actions": ACTIONS, "labels": LABELS}


def message(name: str, text: str) -> str:
    """An error message that names the field first, e.g. "Risk level: choose …"."""
    return f"{LABELS[name]}: {text}"


def parse_due(text: str | None) -> datetime | None:
    """Read an ISO 8601 date and time with its offset (``…Z`` or ``…+01:00``) as naive UTC.

    Refuses a time without an offset: the server cannot tell whose clock it meant.
    """
    if text is None or not text.strip():
        return None
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise Refused("invalid", message("follow_up_due", "give a date and time such as "
                                         "2026-12-08T14:00:00Z.")) from None
    if moment.tzinfo is None:
        raise Refused("invalid", message("follow_up_due", "give the time zone too, e.g. "
                                         "2026-12-08T14:00:00Z."))
    return moment.astimezone(UTC).replace(tzinfo=None)


def problems(fields: RiskFields, now: datetime, current_due: datetime | None = None
             ) -> dict[str, str]:
    """Every problem of a record, by field name, in the form's order (empty when fine).

    A new follow-up time must be in the future; a record changed later may keep its time.
    """
    found = {name: message(name, MISSING[name]) for name in REQUIRED
             if getattr(fields, name) is None}
    if fields.thoughts is not None and fields.thoughts not in THOUGHTS:
        found["thoughts"] = message("thoughts", MISSING["thoughts"])
    if fields.risk_level is not None and fields.risk_level not in RISK_LEVELS:
        found["risk_level"] = message("risk_level", MISSING["risk_level"])
    unknown = [a for a in fields.actions if a not in ACTIONS]
    if unknown:
        found["actions"] = message("actions", "choose from the list.")
    if len(fields.protective_factors) > MAX_TEXT:
        found["protective_factors"] = message("protective_factors",
                                              f"at most {MAX_TEXT} characters.")
    due = fields.follow_up_due
    if due is not None and due <= now and due != current_due:
        found["follow_up_due"] = message("follow_up_due", "choose a time in the future.")
    order = list(LABELS)
    return dict(sorted(found.items(), key=lambda item: order.index(item[0])))


def check_open(alert: Alert) -> None:
    """Refuse a record for an alert not yet acknowledged, or one whose follow-up is done."""
    if alert.acknowledged_at is None:
        raise Refused("conflict", "Acknowledge the alert first, then fill in its record.")
    record = alert.risk_record
    if record is not None and record.follow_up_done_at is not None:
        raise Refused("conflict", "The follow-up of this alert is done; its record is closed.")


def save_record(user, alert: Alert, fields: RiskFields,
                now: datetime | None = None) -> RiskRecord:
    """Create the alert's risk record, or change it; nothing is saved when a field is wrong.

    Adds the audit row (``risk.record`` or ``risk.change``); the caller commits both at once.
    """
    now = now or utcnow()
    check_open(alert)
    record = alert.risk_record
    found = problems(fields, now, None if record is None else record.follow_up_due)
    if found:
        raise Refused("invalid", next(iter(found.values())))
    action = "risk.change" if record is not None else "risk.record"
    if record is None:
        record = RiskRecord(alert_id=alert.id, group_id=alert.group_id,
                            participant_id=alert.participant_id, created_at=now)
        alert.risk_record = record
    record.recorded_by_id = user.id
    for name in ("asked_directly", "thoughts", "plan", "means", "past_attempt",
                 "protective_factors", "risk_level", "follow_up_due"):
        setattr(record, name, getattr(fields, name))
    record.actions = [a for a in ACTIONS if a in fields.actions]
    record.updated_at = now
    db.session.add(record)
    audit.add(user, alert.group_id, action, f"alert {alert.id}")  # the caller commits both
    db.session.flush()
    return record


def record_follow_up(user, alert: Alert, outcome: str | None,
                     now: datetime | None = None) -> RiskRecord:
    """Record the follow-up as done, with its outcome; the alert is then closed."""
    check_open(alert)
    record = alert.risk_record
    if record is None:
        raise Refused("conflict", "Fill in the risk record before the follow-up.")
    outcome = (outcome or "").strip()
    if not outcome:
        raise Refused("invalid", message("outcome", "say briefly what happened."))
    if len(outcome) > MAX_TEXT:
        raise Refused("invalid", message("outcome", f"at most {MAX_TEXT} characters."))
    now = now or utcnow()
    record.follow_up_done_at = now
    record.follow_up_outcome = outcome
    record.follow_up_by_id = user.id
    record.updated_at = now
    audit.add(user, alert.group_id, "risk.follow_up", f"alert {alert.id}")  # caller commits
    db.session.flush()
    return record


def is_open(alert: Alert) -> bool:
    """An alert is open until its follow-up is recorded done."""
    record = alert.risk_record
    return record is None or record.follow_up_done_at is None


def due_of(alert: Alert) -> datetime | None:
    """When the alert's next step is due: its follow-up, or the record itself (a day after
    the acknowledgement); None while unacknowledged or once done."""
    record = alert.risk_record
    if record is not None:
        return None if record.follow_up_done_at else record.follow_up_due
    if alert.acknowledged_at is None:
        return None
    return alert.acknowledged_at + RECORD_WITHIN


def is_overdue(alert: Alert, now: datetime) -> bool:
    """Whether the alert's next step is past its time."""
    due = due_of(alert)
    return due is not None and due < now


# What a follow-up's payload reads of each alert, loaded with the alerts, not one by one.
ALERT_PARTS = (selectinload(Alert.checkin), selectinload(Alert.participant),
               selectinload(Alert.acknowledged_by),
               selectinload(Alert.risk_record).selectinload(RiskRecord.recorded_by))

# Acknowledged alerts of some groups whose follow-up is not done (built once: a
# facilitator's snapshot reads them, and building the statement cost more than running it).
OPEN_FOLLOW_UPS = (select(Alert).outerjoin(RiskRecord, RiskRecord.alert_id == Alert.id)
                   .where(Alert.group_id.in_(bindparam("group_ids", expanding=True)),
                          Alert.acknowledged_at.is_not(None),
                          RiskRecord.follow_up_done_at.is_(None))
                   .order_by(Alert.id).options(*ALERT_PARTS))
# Every alert of a group, oldest first, with its check-in (built once, as above).
GROUP_ALERTS = (select(Alert).where(Alert.group_id == bindparam("group_id"))
                .order_by(Alert.created_at, Alert.id).options(selectinload(Alert.checkin)))


def open_follow_ups(group_ids: Iterable[int]) -> list[Alert]:
    """Acknowledged alerts of these groups whose follow-up is not done, soonest due first."""
    alerts = db.session.scalars(OPEN_FOLLOW_UPS, {"group_ids": list(group_ids)})
    return sorted(alerts, key=lambda a: due_of(a) or a.created_at)


@dataclass
class FollowUp:
    """An open follow-up as a page lists it."""

    alert: Alert
    due: datetime | None
    overdue: bool


def follow_up_list(group_id: int, now: datetime | None = None) -> list[FollowUp]:
    """The group's open follow-ups, soonest due first, overdue ones marked."""
    now = now or utcnow()
    return [FollowUp(a, due_of(a), is_overdue(a, now)) for a in open_follow_ups([group_id])]


def overdue_follow_ups(group_ids: Iterable[int], now: datetime | None = None) -> dict[int, int]:
    """How many open follow-ups are overdue, per group (every group asked for, zeros too)."""
    now = now or utcnow()
    ids = list(group_ids)
    counts = dict.fromkeys(ids, 0)
    for alert in open_follow_ups(ids):
        if is_overdue(alert, now):
            counts[alert.group_id] += 1
    return counts


@dataclass
class History:
    """One member's alerts in the course so far."""

    participant_id: int
    alerts: int = 0
    last_alert_at: datetime | None = None
    last_item9: int | None = None


def risk_history(group_id: int) -> list[History]:
    """Members of the group who had an alert in the course so far, with their last item 9.

    ``last_item9`` is the item-9 answer of the latest alert whose check-in (or pre-group
    baseline) answered it.
    """
    alerts = db.session.scalars(GROUP_ALERTS, {"group_id": group_id})
    people: dict[int, History] = {}
    for alert in alerts:
        entry = people.setdefault(alert.participant_id, History(alert.participant_id))
        entry.alerts += 1
        entry.last_alert_at = alert.created_at
        item9 = item9_of(alert_answers(alert))  # a check-in's, or a meeting's baseline
        if item9 is not None:
            entry.last_item9 = item9
    return list(people.values())
