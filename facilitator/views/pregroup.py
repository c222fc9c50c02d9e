"""The member's page before the group: their join link opens it while their pre-group
meeting is under way (invited, meeting done), and as a clear closed page once they were
referred or declined. It offers the baseline PHQ-9 as a plain HTML form (no script needed)
and shows nothing else of the meeting."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required

from realtime.publish import alert_raised, meeting_baseline

from ..extensions import db
from ..models import Participant
from ..services import Refused, access, helptexts
from ..services import meeting as rules
from ..services.scoring import item9_of
from ..services.vocabulary import PHQ9_ANSWERS, PHQ9_INTRO
from .meetingforms import BaselineForm, first_error
from .pages import notice_gate
from .safety import participant_required

bp = Blueprint("pregroup", __name__)


def render(member: Participant, form: BaselineForm | None = None, problem: str | None = None):
    """The pre-group page of ``member`` (or the closed page, once referred or declined)."""
    if member.status not in rules.PRE_GROUP:
        return render_template("meeting/closed.html", group=member.group)
    meeting = member.meeting
    source = meeting and meeting.baseline_phq9 and meeting.baseline_source
    item9 = item9_of(meeting.baseline_phq9) if source == "phone" else None
    return render_template(
        "meeting/pregroup.html", group=member.group, form=form or sent_form(meeting, source),
        problem=problem, source=source, answers=PHQ9_ANSWERS, intro=PHQ9_INTRO,
        urgent=helptexts.urgent_help_of(member.group) if item9 else None)


def sent_form(meeting, source) -> BaselineForm:
    """The questionnaire, with the answers the member sent from their phone, if any."""
    answers = meeting.baseline_phq9 if source == "phone" else [None] * 9
    return BaselineForm(formdata=None, **{f"phq{n}": None if a is None else str(a)
                                          for n, a in enumerate(answers, start=1)})


@bp.get("/before-the-group")
@login_required
def page():
    """The member's calm page before the group starts for them."""
    member = participant_required()
    if access.takes_part(member.status):
        return redirect(url_for("pages.dashboard"))
    return notice_gate(request.path) or render(member)


@bp.post("/before-the-group/baseline")
@login_required
def baseline():
    """The member sends their baseline PHQ-9 (some answers may be left out)."""
    member = participant_required()
    if member.status not in rules.PRE_GROUP:
        abort(403, "This questionnaire is not open for you now. Your facilitator will talk "
                   "with you.")
    form = BaselineForm()
    problem = None if form.validate_on_submit() else first_error(form)
    if problem is None:
        try:
            meeting = rules.meeting_of(member)
            if meeting.baseline_phq9 and meeting.baseline_source == "facilitator":
                raise Refused("conflict", "Your facilitator has already noted your answers.")
            alert = rules.save_baseline(meeting, form.answers(), "phone")
            db.session.commit()
        except Refused as exc:
            db.session.rollback()
            problem = exc.message.replace("PHQ-9: answer at least one question.",
                                          "Please answer at least one question, or leave it "
                                          "for now.")
    if problem is not None:
        return render(member, form, problem)
    meeting_baseline(meeting)
    if alert is not None:
        alert_raised(alert)
    flash("Thank you. Your answers are sent to your facilitator.", "success")
    return redirect(url_for("pregroup.page", _anchor="baseline"))
