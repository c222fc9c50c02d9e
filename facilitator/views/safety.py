"""Help in reach and who sees what: the participant's notice and help pages, and the group's
help texts and safety settings for its facilitators."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy.exc import SQLAlchemyError
from wtforms import HiddenField

from ..extensions import db
from ..services import audit, helptexts
from .auth import safe_next
from .guards import my_group
from .helpforms import SafetySettingsForm

bp = Blueprint("safety", __name__)


class NoticeForm(FlaskForm):
    """The notice's one button, "I understand"; ``next`` is where the join link leads."""

    next = HiddenField()


def participant_required():
    """The signed-in participant (their ``Participant`` row); anyone else gets 403."""
    if getattr(current_user, "kind", None) != "participant":
        abort(403, "This page is for participants.")
    return current_user.participant


@bp.app_context_processor
def help_in_reach() -> dict:
    """Give every page ``participant_help()``: the signed-in participant's help texts."""
    return {"participant_help": participant_help}


def participant_help() -> dict | None:
    """The signed-in participant's group help texts, as they read them; None for anyone else.

    Help must show even on the error page of a failing database: then the careful defaults
    (which tell the person to call their local emergency number) stand in for the group's.
    """
    try:
        if not current_user.is_authenticated or current_user.kind != "participant":
            return None
        group = current_user.participant.group
        return {"urgent": helptexts.urgent_help_of(group),
                "reply": helptexts.support_reply_of(group)}
    except SQLAlchemyError:
        db.session.rollback()
        return {"urgent": helptexts.for_participants(helptexts.DEFAULT_URGENT_HELP),
                "reply": helptexts.for_participants(helptexts.DEFAULT_SUPPORT_REPLY)}


@bp.get("/notice")
@login_required
def notice():
    """Who sees what: shown before the first live page, and to re-read at any time."""
    participant = participant_required()
    form = NoticeForm(next=safe_next(request.args.get("next")))
    return render_template("safety/notice.html", form=form, points=helptexts.WHO_SEES_WHAT,
                           accepted=participant.notice_accepted_at is not None)


@bp.post("/notice")
@login_required
def accept_notice():
    """"I understand": record it (once) and go on to where the join link leads."""
    participant = participant_required()
    form = NoticeForm()
    if not form.validate_on_submit():
        abort(400, "The form expired; please reload the page.")
    if helptexts.accept_notice(participant):
        db.session.commit()
    return redirect(safe_next(form.next.data))


@bp.get("/help")
@login_required
def help_now():
    """The group's urgent help and support reply as a page of its own (works without script)."""
    participant_required()
    return render_template("safety/help.html", back=safe_next(request.args.get("back")))


@bp.route("/groups/<id:group_id>/safety", methods=["GET", "POST"])
@login_required
def settings(group_id: int):
    """The group's help texts and safety settings, for its facilitators."""
    group = my_group(group_id)
    form = SafetySettingsForm(obj=group)
    if request.method == "GET":
        form.support_reply.data = group.support_reply or helptexts.DEFAULT_SUPPORT_REPLY
    elif form.validate_on_submit():
        changed = helptexts.update_settings(group, form.crisis_resources.data,
                                            form.support_reply.data, form.show_own_score.data)
        if changed:
            audit.record(current_user, group.id, "safety.settings",
                         helptexts.describe_changes(group, changed))
            flash("Saved. Participants see the new texts the next time a page opens.",
                  "success")
        else:
            flash("Nothing was changed.", "success")
        return redirect(url_for("groups.show", group_id=group.id))
    else:
        flash("Nothing was saved: please correct the text marked below.", "error")
    return render_template("safety/settings.html", group=group, form=form,
                           why=helptexts.SHOW_OWN_SCORE_WHY, unfinished=helptexts.unfinished)
