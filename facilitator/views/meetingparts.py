"""The meeting page's smaller actions: timeline and inventory edits, the baseline's risk
record, and enrolling a member whose meeting was recorded elsewhere."""

from flask import abort, flash, redirect, url_for
from flask_login import current_user, login_required

from realtime.publish import alert_acknowledged, risk_updated

from ..extensions import db
from ..models import Participant
from ..services import Refused, audit, checkins, lifemap
from ..services import meeting as rules
from .groups import announce_members
from .guards import my_member
from .meeting import MEETING, bp, render, subject
from .meetingforms import ActionForm, PersonForm, first_error


def action_checked() -> None:
    """Refuse a button press without a valid CSRF token."""
    if not ActionForm().validate_on_submit():
        abort(400, "The form expired; reload the page.")


def back_to(member: Participant, step: str):
    """Back to the meeting page, at ``step``."""
    return redirect(url_for("meeting.page", group_id=member.group_id, participant_id=member.id,
                            _anchor=f"step-{step}"))


def commit_or_404(member: Participant, change, action: str) -> None:
    """Run ``change`` (a rule), audit it and commit; 404 for a row not of this member."""
    try:
        rules.check_may_go_on(rules.meeting_of(member), "inventory")
        change()
    except Refused as exc:
        db.session.rollback()
        if exc.code == "not_found":
            abort(404, exc.message)
        flash(exc.message, "error")
        return
    audit.add(current_user, member.group_id, action, subject(member))
    db.session.commit()


@bp.post(MEETING + "/timeline/<id:entry_id>/remove")
@login_required
def remove_entry(group_id: int, participant_id: int, entry_id: int):
    """Remove one line of the member's timeline."""
    member = my_member(group_id, participant_id, edit=True)
    action_checked()
    commit_or_404(member, lambda: lifemap.remove_entry(lifemap.entry_of(member, entry_id)),
                  "meeting.timeline.remove")
    return back_to(member, "timeline")


@bp.post(MEETING + "/inventory/<id:person_id>/remove")
@login_required
def remove_person(group_id: int, participant_id: int, person_id: int):
    """Remove one card from the member's inventory."""
    member = my_member(group_id, participant_id, edit=True)
    action_checked()
    commit_or_404(member, lambda: lifemap.remove_person(lifemap.person_of(member, person_id)),
                  "meeting.inventory.remove")
    return back_to(member, "inventory")


@bp.post(MEETING + "/inventory/<id:person_id>")
@login_required
def edit_person(group_id: int, participant_id: int, person_id: int):
    """Change one card of the member's inventory; a wrong field saves nothing."""
    member = my_member(group_id, participant_id, edit=True)
    try:
        person = lifemap.person_of(member, person_id)
    except Refused as exc:
        abort(404, exc.message)
    form = PersonForm(prefix=f"p{person.id}")
    problem = None if form.validate_on_submit() else first_error(form)
    if problem is None:
        try:
            rules.check_may_go_on(rules.meeting_of(member), "inventory")
            lifemap.save_person(member, person, form.fields())
            audit.add(current_user, group_id, "meeting.inventory.change", subject(member))
            db.session.commit()
        except Refused as exc:
            db.session.rollback()
            problem = exc.message
    if problem is not None:
        return render(member, None, f"person-{person_id}", problem, edited=(person_id, form))
    flash("Saved.", "success")
    return back_to(member, "inventory")


@bp.post(MEETING + "/risk")
@login_required
def open_risk(group_id: int, participant_id: int):
    """Acknowledge the baseline's alert (if not yet) and open its risk record."""
    member = my_member(group_id, participant_id, edit=True)
    action_checked()
    alert = member.meeting and member.meeting.baseline_alert
    if alert is None:
        abort(404, "This meeting has no alert.")
    newly = alert.acknowledged_at is None
    if newly:
        checkins.acknowledge_alert(current_user, alert, "Seen in the pre-group meeting.")
        audit.record(current_user, group_id, "alert.acknowledge", f"alert {alert.id}")
        alert_acknowledged(alert)
        risk_updated(alert)
    return redirect(url_for("risk.record_page", alert_id=alert.id))


@bp.post("/groups/<id:group_id>/members/<id:participant_id>/enrol-elsewhere")
@login_required
def enrol_elsewhere(group_id: int, participant_id: int):
    """Enrol a member whose pre-group meeting the programme recorded elsewhere (on paper)."""
    member = my_member(group_id, participant_id, edit=True)
    action_checked()
    try:
        rules.enrol_recorded_elsewhere(member, current_user)
    except Refused as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("groups.show", group_id=group_id))
    audit.add(current_user, group_id, "meeting.recorded_elsewhere", subject(member))
    db.session.commit()
    announce_members(group_id)  # they join "who is here" on open consoles at once
    flash(f"{member.display_name} is enrolled; their meeting is recorded elsewhere.", "success")
    return redirect(url_for("groups.show", group_id=group_id))
