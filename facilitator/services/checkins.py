"""Check-ins and the alerts they raise."""

from sqlalchemy import select

from ..extensions import db
from ..models import Alert, CheckIn, GroupSession, utcnow
from .access import require_live
from .receipts import submit_once
from .scoring import phq9_total, risk_reasons, severity


def submit_checkin(user, session: GroupSession, data) -> tuple[dict, CheckIn | None, list[Alert]]:
    """Store a participant's check-in once and raise alerts for risk signals.

    Returns the ack answer, the new check-in (None on a resubmission) and new alerts.
    Only a live session takes a new check-in; a resubmission gets its first answer even
    after the session ended (its first ack may have been lost).
    """
    alerts: list[Alert] = []

    def store():
        require_live(session)
        total = None if data.phq9 is None else phq9_total(data.phq9)
        reasons = risk_reasons(data.phq9, bool(data.needs_support))
        checkin = CheckIn(
            session_id=session.id, participant_id=user.id, mood=data.mood, phq9=data.phq9,
            phq9_total=total, severity=None if total is None else severity(total),
            note=data.note or None, needs_support=bool(data.needs_support), flagged=bool(reasons),
        )
        db.session.add(checkin)
        db.session.flush()
        for reason in reasons:
            alerts.append(Alert(group_id=session.group_id, session_id=session.id,
                                participant_id=user.id, checkin_id=checkin.id, reason=reason))
        db.session.add_all(alerts)
        db.session.flush()
        answer = {"checkin_id": checkin.id, "phq9_total": total, "severity": checkin.severity}
        if reasons:
            answer["support"] = session.group.crisis_resources
        return checkin, answer

    answer, checkin = submit_once(user, data.client_id, "checkin:submit", store)
    return answer, checkin, alerts if checkin else []


def acknowledge_alert(user, alert: Alert, note: str | None) -> Alert:
    """Record that a facilitator has seen to an alert (once; later calls change nothing)."""
    if alert.acknowledged_at is not None:
        return alert
    alert.acknowledged_at = utcnow()
    alert.acknowledged_by_id = user.id
    alert.ack_note = note or None
    db.session.commit()
    return alert


def latest_checkin(session_id: int, participant_id: int) -> CheckIn | None:
    """Return the participant's newest check-in in the session."""
    return db.session.scalar(
        select(CheckIn)
        .where(CheckIn.session_id == session_id, CheckIn.participant_id == participant_id)
        .order_by(CheckIn.id.desc())
        .limit(1)
    )


def session_checkins(session_id: int) -> list[CheckIn]:
    """List every check-in of a session, oldest first."""
    return list(
        db.session.scalars(
            select(CheckIn).where(CheckIn.session_id == session_id).order_by(CheckIn.id)
        )
    )


def open_alerts(group_id: int) -> list[Alert]:
    """List the group's alerts that nobody has acknowledged yet, oldest first."""
    return list(
        db.session.scalars(
            select(Alert)
            .where(Alert.group_id == group_id, Alert.acknowledged_at.is_(None))
            .order_by(Alert.id)
        )
    )

