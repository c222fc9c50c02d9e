"""The ending's pages: referrals on a member's profile, and a member's plan to keep as text.

Rules are in ``services/ending.py``. The profile and the group page show the ending's parts
through the template globals below, so their own views stay as they are.
"""

from datetime import datetime, time

from flask import Blueprint, Response, abort, flash, g, redirect, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ..extensions import db
from ..services import Refused, audit, ending
from ..services.text import check_text
from ..services.vocabulary import (
    REFERRAL_OUTCOME_WORDS,
    REFERRAL_REASON_WORDS,
    WELLPLAN_FIELDS,
)
from .guards import my_group, my_member
from .profile import render
from .safety import participant_required

bp = Blueprint("ending", __name__)
bp.add_app_template_global(ending.referrals_needed, "referrals_needed")
bp.add_app_template_global(ending.referrals_of, "referrals_of")
bp.add_app_template_global(ending.plan_of, "wellplan_of")
bp.add_app_template_global(WELLPLAN_FIELDS, "wellplan_fields")
bp.add_app_template_global(REFERRAL_REASON_WORDS, "referral_reason_words")
bp.add_app_template_global(REFERRAL_OUTCOME_WORDS, "referral_outcome_words")


def safe_text(_form, field) -> None:
    """The same text rule as every other form (``services.text``)."""
    try:
        check_text(field.data or "")
    except ValueError as exc:
        raise ValidationError(f"{field.label.text}: {exc}") from exc


class ReferralForm(FlaskForm):
    """A referral for a member: to whom, why, how it went, with dates."""

    to_whom = StringField("Referred to (service or person)", validators=[
        DataRequired("Referred to: name the service or person."),
        Length(max=ending.TO_WHOM_LENGTH,
               message=f"Referred to: at most {ending.TO_WHOM_LENGTH} characters."),
        safe_text])
    reason = TextAreaField("Why", validators=[
        DataRequired("Why: say in a line why the member is referred."),
        Length(max=ending.REASON_LENGTH,
               message=f"Why: at most {ending.REASON_LENGTH} characters."), safe_text])
    outcome = SelectField("Outcome", choices=[
        SelectChoice(key, words) for key, words in REFERRAL_OUTCOME_WORDS.items()],
                          default="pending")
    referred_on = DateField("Referred on", validators=[
        DataRequired("Referred on: give the date of the referral as a day, month and year.")])
    outcome_on = DateField("Outcome on (if known)", validators=[Optional()])

    def validate_outcome_on(self, field) -> None:
        """An outcome's date comes on or after the referral's."""
        if field.data and self.referred_on.data and field.data < self.referred_on.data:
            raise ValidationError("Outcome on: the outcome cannot come before the referral.")


def referral_form() -> ReferralForm:
    """The profile's referral form: the one that just failed (with its messages), or blank."""
    return g.get("referral_form") or ReferralForm(formdata=None)


bp.add_app_template_global(referral_form, "referral_form")


class MaintenanceForm(FlaskForm):
    """The group page's "add a monthly maintenance session" button: a CSRF token only."""


def maintenance_form() -> MaintenanceForm:
    """The group page's maintenance button's form."""
    return MaintenanceForm(formdata=None)


bp.add_app_template_global(maintenance_form, "maintenance_form")
bp.add_app_template_global(ending.may_add_maintenance, "may_add_maintenance")


def day(value) -> datetime | None:
    """A form's date as a stored (naive UTC) moment at midnight."""
    return None if value is None else datetime.combine(value, time())


@bp.post("/groups/<id:group_id>/members/<id:participant_id>/referrals")
@login_required
def add_referral(group_id: int, participant_id: int):
    """Record a referral for the member (audited in the same transaction)."""
    member = my_member(group_id, participant_id, edit=True)
    form = ReferralForm()
    if form.validate_on_submit():
        try:
            referral = ending.record_referral(
                current_user, member, form.to_whom.data, form.reason.data, form.outcome.data,
                day(form.referred_on.data), day(form.outcome_on.data))
        except Refused as exc:
            db.session.rollback()
            form.outcome.errors = [*form.outcome.errors, exc.message]
        else:
            audit.add(current_user, member.group_id, "referral.add", f"referral {referral.id}")
            db.session.commit()
            flash("The referral is recorded.", "success")
            return redirect(url_for("profile.show", group_id=group_id,
                                    participant_id=participant_id, _anchor="referrals"))
    g.referral_form = form
    return render(member)  # the form again, each problem named under its field


@bp.post("/groups/<id:group_id>/maintenance")
@login_required
def add_maintenance(group_id: int):
    """Add a monthly maintenance session after the course (audited)."""
    group = my_group(group_id)
    if not MaintenanceForm().validate_on_submit():
        abort(400, "The form expired; reload the page.")
    try:
        session = ending.add_maintenance_session(group)
    except Refused as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("groups.show", group_id=group.id, _anchor="sessions"))
    audit.add(current_user, group.id, "session.maintenance", f"session {session.number}")
    db.session.commit()
    flash(f"Session {session.number}, a monthly maintenance session, is added.", "success")
    return redirect(url_for("groups.show", group_id=group.id, _anchor="sessions"))


@bp.get("/my-staying-well-plan.txt")
@login_required
def plan_download():
    """The signed-in member's own staying-well plan as a text file to keep."""
    member = participant_required()
    text = ending.plan_text(member, ending.plan_of(member.id))
    return Response(text, mimetype="text/plain", headers={
        "Content-Disposition": 'attachment; filename="my-staying-well-plan.txt"',
        "Cache-Control": "no-store"})
