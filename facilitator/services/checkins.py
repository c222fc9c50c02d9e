"""Check-ins and the alerts they raise."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, insert, inspect, select, tuple_

from ..db.groupcommit import GroupCommit
from ..extensions import db
from ..models import Alert, CheckIn, GroupSession, JoinLink, Participant, utcnow
from . import Refused, access
from .access import require_live
from .helptexts import support_reply_of, urgent_help_of
from .receipts import ADD_RECEIPT, actor_key, answer_or_refusal, find_receipts, key_of
from .scoring import answered_phq9, complete_total, risk_reasons, severity


@dataclass
class Submission:
    """A validated check-in waiting for its transaction, in plain values only."""

    actor: str
    client_id: str
    session_id: int
    group_id: int
    participant_id: int
    data: Any
    reasons: list[str]
    support: str | None
    refusal: Refused | None
    support_reply: str | None = None


def submit_checkin(user, session: GroupSession, data) -> tuple[dict, CheckIn | None, list[Alert]]:
    """Store a participant's check-in once and raise alerts for risk signals.

    Returns the ack answer, the new check-in (None on a resubmission) and new alerts, all
    committed and in this event's database session. Only a live session takes a new
    check-in; a resubmission gets its first answer even after the session ended (its first
    ack may have been lost). Check-ins sent together are committed together (``COMMITS``).
    A partly answered PHQ-9 is stored as it came; its item 9 alerts like a complete one's.
    """
    reasons = risk_reasons(data.phq9, bool(data.needs_support))
    try:
        require_live(session)
        refusal = None
    except Refused as exc:
        refusal = exc
    texts = support_texts(session.group, reasons) if not refusal else (None, None)
    answer, checkin, alerts = COMMITS.submit(Submission(
        actor=actor_key(user), client_id=data.client_id, session_id=session.id,
        group_id=session.group_id, participant_id=user.id, data=data, reasons=reasons,
        support=texts[0], refusal=refusal, support_reply=texts[1]))
    if checkin is None:
        return answer, None, []
    checkin = db.session.merge(checkin, load=False)
    return answer, checkin, [db.session.merge(alert, load=False) for alert in alerts]


def support_texts(group, reasons: list[str]) -> tuple[str | None, str | None]:
    """What a participant is shown for a risk signal: urgent help, and the support reply.

    Any risk signal gets the group's urgent-help text; a request for support also gets the
    group's reply to it (each as a participant reads it: ``helptexts``).
    """
    if not reasons:
        return None, None
    reply = support_reply_of(group) if "needs_support" in reasons else None
    return urgent_help_of(group), reply


def write_checkins(items: list[Submission]) -> list:
    """Add the rows of a batch of check-ins (no commit); one result or refusal per item.

    A result is ``(answer, checkin, alerts)``; a resubmission, in an earlier transaction or
    earlier in this batch, gets the first answer, ``None`` and no alerts. The rows go in
    as one multi-row INSERT per table (SQLAlchemy's bulk INSERT with RETURNING).
    """
    earlier = find_receipts([(item.actor, item.client_id) for item in items])
    results: list = [None] * len(items)
    first: dict[tuple[str, str], int] = {}
    for n, item in enumerate(items):
        key = (item.actor, item.client_id)
        if key in earlier:
            results[n] = answer_or_refusal(earlier[key], EVENT)
        elif key in first:
            continue  # the same submission twice in this batch: answered below
        elif item.refusal is not None:
            results[n] = item.refusal
        else:
            first[key] = n
    stored = insert_checkins([items[n] for n in first.values()])
    receipts = []
    for n, checkin in zip(first.values(), stored, strict=True):
        results[n] = finish(items[n], checkin)
        receipts.append({"actor": items[n].actor, "client_id": items[n].client_id,
                         "event": EVENT, "answer": results[n][0]})
    if receipts:
        db.session.connection().execute(ADD_RECEIPT, receipts)
    db.session.flush()
    for n, item in enumerate(items):
        if results[n] is None:
            results[n] = (results[first[(item.actor, item.client_id)]][0], None, [])
    return results


def insert_checkins(items: list[Submission]) -> list[CheckIn]:
    """Insert the check-in rows of new submissions; return them in the same order."""
    if not items:
        return []
    rows = []
    for item in items:
        phq9 = answered_phq9(item.data.phq9)
        total = complete_total(phq9)
        rows.append({"session_id": item.session_id, "participant_id": item.participant_id,
                     "mood": item.data.mood, "phq9": phq9, "phq9_total": total,
                     "severity": None if total is None else severity(total),
                     "note": item.data.note or None,
                     "needs_support": bool(item.data.needs_support),
                     "flagged": bool(item.reasons), "created_at": utcnow()})
    statement = insert(CheckIn).returning(CheckIn, sort_by_parameter_order=True)
    return list(db.session.scalars(statement, rows))


def finish(item: Submission, checkin: CheckIn) -> tuple[dict, CheckIn, list[Alert]]:
    """Add the alerts of a stored check-in; return its answer, the check-in and the alerts."""
    alerts = [Alert(group_id=item.group_id, session_id=item.session_id,
                    participant_id=item.participant_id, checkin_id=checkin.id, reason=reason)
              for reason in item.reasons]
    db.session.add_all(alerts)
    answer = {"checkin_id": checkin.id, "phq9_total": checkin.phq9_total,
              "severity": checkin.severity}
    if item.reasons:
        answer["support"] = item.support
    if "needs_support" in item.reasons:
        answer["support_reply"] = item.support_reply
    return answer, checkin, alerts


EVENT = "checkin:submit"
COMMITS = GroupCommit(write_checkins)


# A participant's check-in without a risk signal, signed in with the rest of its batch
# (``submit_checkin_as``): which of the batch's (join link, session) pairs name a link that
# holds and a live session of its holder's group, in one query.
LINKED_SENDERS = (
    select(JoinLink.id.label("link_id"), GroupSession.id.label("session_id"),
           Participant.id, Participant.display_name, Participant.group_id)
    .join_from(JoinLink, Participant, JoinLink.participant)
    .join(GroupSession, GroupSession.group_id == Participant.group_id)
    .where(tuple_(JoinLink.id, GroupSession.id).in_(bindparam("pairs", expanding=True)),
           access.sender_may_post_sql())
)


@dataclass
class Unsigned:
    """A check-in from the holder of join link ``link_id``, who is not signed in yet."""

    link_id: int
    data: Any


def submit_checkin_as(link_id: int, data) -> tuple[dict, CheckIn | None] | None:
    """Store the check-in of a join link's holder, signed in with the rest of its batch.

    What ``submit_checkin`` does for a participant whose check-in raises no alert, without
    loading anyone per check-in: returns the answer and the stored check-in (a copy outside
    any database session, with its author's name; None for a resubmission), or None with
    nothing stored when the link was revoked or the session is not a live one of their
    group. A check-in with a risk signal also gets None at once: alerts always go the
    ordinary way (sign-in, ``access.load_session``, ``submit_checkin``).
    """
    if risk_reasons(data.phq9, bool(data.needs_support)):
        return None
    return UNSIGNED_COMMITS.submit(Unsigned(link_id, data))


def write_unsigned_checkins(items: list[Unsigned]) -> list:
    """``write_checkins`` for a batch of ``Unsigned``; None for an item it cannot sign in."""
    pairs = sorted({(item.link_id, item.data.session_id) for item in items})
    found = db.session.connection().execute(LINKED_SENDERS, {"pairs": pairs})
    senders = {(row.link_id, row.session_id): row for row in found}
    signed = [(n, senders[key]) for n, item in enumerate(items)
              if (key := (item.link_id, item.data.session_id)) in senders]
    written = write_checkins([Submission(
        actor=key_of("participant", sender.id), client_id=items[n].data.client_id,
        session_id=items[n].data.session_id, group_id=sender.group_id,
        participant_id=sender.id, data=items[n].data, reasons=[], support=None,
        refusal=None) for n, sender in signed])
    results: list = [None] * len(items)  # None: not signed in, the ordinary way decides
    for (n, sender), result in zip(signed, written, strict=True):
        if isinstance(result, BaseException):
            results[n] = result
        else:
            answer, checkin, _alerts = result  # no alerts: no risk signal came this way
            results[n] = (answer, checkin and detached_copy(checkin, sender.display_name))
    return results


def detached_copy(checkin: CheckIn, display_name: str) -> CheckIn:
    """A copy of a stored check-in outside any database session, with its author's name."""
    copy = CheckIn(**{prop.key: getattr(checkin, prop.key)
                      for prop in inspect(CheckIn).column_attrs})
    copy.participant = Participant(id=checkin.participant_id, display_name=display_name)
    return copy


UNSIGNED_COMMITS = GroupCommit(write_unsigned_checkins)


def acknowledge_alert(user, alert: Alert, note: str | None) -> Alert:
    """Record that a facilitator has seen to an alert (once; later calls change nothing)."""
    if alert.acknowledged_at is not None:
        return alert
    alert.acknowledged_at = utcnow()
    alert.acknowledged_by_id = user.id
    alert.ack_note = note or None
    db.session.flush()  # the handler commits, with the audit row (one transaction)
    return alert


# A member's newest check-in in a session: each snapshot of theirs reads it (built once).
LATEST_CHECKIN = (select(CheckIn)
                  .where(CheckIn.session_id == bindparam("session_id"),
                         CheckIn.participant_id == bindparam("participant_id"))
                  .order_by(CheckIn.id.desc()).limit(1))


def latest_checkin(session_id: int, participant_id: int) -> CheckIn | None:
    """Return the participant's newest check-in in the session."""
    return db.session.scalar(LATEST_CHECKIN, {"session_id": session_id,
                                              "participant_id": participant_id})


# A facilitator's snapshot reads these (built once, like LATEST_CHECKIN).
SESSION_CHECKINS = (select(CheckIn).where(CheckIn.session_id == bindparam("session_id"))
                    .order_by(CheckIn.id))
OPEN_ALERTS = (select(Alert).where(Alert.group_id == bindparam("group_id"),
                                   Alert.acknowledged_at.is_(None)).order_by(Alert.id))


def session_checkins(session_id: int) -> list[CheckIn]:
    """List every check-in of a session, oldest first."""
    return list(db.session.scalars(SESSION_CHECKINS, {"session_id": session_id}))


def open_alerts(group_id: int) -> list[Alert]:
    """List the group's alerts that nobody has acknowledged yet, oldest first."""
    return list(db.session.scalars(OPEN_ALERTS, {"group_id": group_id}))

