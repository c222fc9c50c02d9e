"""The risk-record page of an alert: the record and its follow-up, between sessions too.

The same record the console keeps through ``risk:record``, as an HTTP form (Flask-WTF for
the CSRF token), for the group's facilitators only. Rules are in ``services/risk.py``.
"""

from datetime import datetime, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from realtime.publish import risk_updated

from ..extensions import db
from ..models import Alert, RiskRecord, utcnow
from ..services import Refused, access, audit, meeting, risk
from ..services.scoring import item9_grade, item9_of
from .guards import my_alert

bp = Blueprint("risk", __name__)
bp.add_app_template_global(risk.words, "risk_words")


class RiskPageForm(FlaskForm):
    """The page's forms carry only a CSRF token; ``services.risk`` checks the answers."""




def yes_no(value: str | None) -> bool | None:
    """A yes/no radio's answer, or None when neither was chosen."""
    return {"yes": True, "no": False}.get(value or "")


def due_from_form(form) -> datetime | None:
    """The follow-up time of the form: the browser's local time and its offset from UTC.

    ``utc_offset`` is JavaScript's ``getTimezoneOffset()`` for that time (the page's script
    fills it in); without it the time is read as UTC, as the page says.
    """
    text = (form.get("follow_up_due") or "").strip()
    if not text:
        return None
    try:
        local = datetime.fromisoformat(text)
        offset = int(form.get("utc_offset") or 0)
    except ValueError:
        raise Refused("invalid", risk.message("follow_up_due", "give a date and time.")) from None
    if local.tzinfo is not None or abs(offset) > 24 * 60:
        raise Refused("invalid", risk.message("follow_up_due", "give a date and time."))
    return local + timedelta(minutes=offset)


def fields_from_form(form) -> risk.RiskFields:
    """The record's answers as the form sent them."""
    return risk.RiskFields(
        asked_directly=yes_no(form.get("asked_directly")), thoughts=form.get("thoughts") or None,
        plan=yes_no(form.get("plan")), means=yes_no(form.get("means")),
        past_attempt=yes_no(form.get("past_attempt")),
        protective_factors=(form.get("protective_factors") or "").strip(),
        risk_level=form.get("risk_level") or None, actions=tuple(form.getlist("actions")),
        follow_up_due=due_from_form(form))


def values_of(record: RiskRecord | None) -> dict:
    """A stored record as the form shows it."""
    if record is None:
        return {"actions": []}
    answer = {True: "yes", False: "no"}
    values = {name: answer[getattr(record, name)] for name in risk.YES_NO_QUESTIONS}
    values.update(thoughts=record.thoughts, risk_level=record.risk_level,
                  protective_factors=record.protective_factors, actions=list(record.actions),
                  follow_up_due_utc=record.follow_up_due.isoformat(timespec="minutes") + "Z")
    return values


def render(alert: Alert, values: dict, errors: dict, status: int = 200):
    """The risk page of ``alert``."""
    return render_template("risk/record.html", alert=alert, record=alert.risk_record,
                           values=values, errors=errors, form=RiskPageForm(),
                           read_only=not access.runs_group(current_user, alert.group_id),
                           overdue=risk.is_overdue(alert, utcnow()), due=risk.due_of(alert),
                           grade=item9_grade(item9_of(meeting.alert_answers(alert)))), status


@bp.route("/alerts/<id:alert_id>/risk", methods=["GET", "POST"])
@login_required
def record_page(alert_id: int):
    """Show the alert's risk record; save it (a second save changes it)."""
    alert = my_alert(alert_id, read=request.method == "GET")
    if request.method == "GET":
        audit.record(current_user, alert.group_id, "risk.open", f"alert {alert.id}")
        return render(alert, values_of(alert.risk_record), {})
    if not RiskPageForm().validate_on_submit():
        abort(400, "The form expired; reload the page.")
    values = {**request.form.to_dict(), "actions": request.form.getlist("actions")}
    try:
        fields = fields_from_form(request.form)
        found = risk.problems(fields, utcnow(), alert.risk_record and
                              alert.risk_record.follow_up_due)
        if found:
            return render(alert, values, found)
        risk.save_record(current_user, alert, fields)
    except Refused as exc:
        return render(alert, values, {"form": exc.message})
    risk_updated(alert)  # sent once the record and its audit row are committed
    db.session.commit()
    flash("The risk record is saved.", "success")
    return redirect(url_for("risk.record_page", alert_id=alert.id))


@bp.post("/alerts/<id:alert_id>/risk/follow-up")
@login_required
def follow_up(alert_id: int):
    """Record the follow-up as done, with its outcome: the alert is then closed."""
    alert = my_alert(alert_id)
    if not RiskPageForm().validate_on_submit():
        abort(400, "The form expired; reload the page.")
    try:
        risk.record_follow_up(current_user, alert, request.form.get("outcome"))
    except Refused as exc:
        return render(alert, values_of(alert.risk_record),
                      {"outcome": exc.message, "outcome_text": request.form.get("outcome")})
    risk_updated(alert)  # sent once the follow-up and its audit row are committed
    db.session.commit()
    flash("The follow-up is recorded; this alert is closed.", "success")
    return redirect(url_for("groups.show", group_id=alert.group_id))
