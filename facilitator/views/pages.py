"""Pages: the dashboard, the live pages of a session, the projector board and health."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import text
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from ..extensions import db
from ..models import GroupSession
from ..services import Refused, access, supervision
from ..services.access import is_enrolled, is_facilitator, may_access_group, may_read_group
from ..services.groups import create_facilitator
from ..services.passwords import MIN_PASSWORD_LENGTH
from .guards import facilitator_required

bp = Blueprint("pages", __name__)


class FacilitatorForm(FlaskForm):
    """Create another facilitator account."""

    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    email = EmailField("E-mail", validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(
        "Password",
        validators=[DataRequired(), Length(
            min=MIN_PASSWORD_LENGTH, max=200,
            message=f"A password needs at least {MIN_PASSWORD_LENGTH} characters.")],
    )
    confirm = PasswordField("Repeat the password",
                            validators=[EqualTo("password", "The passwords differ.")])




def notice_gate(target: str):
    """A redirect to "who sees what" while the participant has not accepted it, else None.

    The gate is on the pages only: a live connection is never refused for it.
    """
    if is_facilitator(current_user) or current_user.participant.notice_accepted_at:
        return None
    return redirect(url_for("safety.notice", next=target))


def session_for_member(session_id: int) -> GroupSession:
    """Load a session of the signed-in person's group, or answer 404/403."""
    session = db.get_or_404(GroupSession, session_id)
    if not may_access_group(current_user, session.group_id):
        abort(403, "You are not a member of this group.")
    return session


@bp.get("/healthz")
def healthz():
    """Answer 200 when the database answers, 503 when it does not."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        db.session.rollback()
        return {"status": "unavailable"}, 503
    return {"status": "ok"}


@bp.get("/")
@login_required
def dashboard():
    """The facilitator's groups; a participant is taken to their session."""
    if not is_facilitator(current_user):
        from ..services.groups import current_session

        if not is_enrolled(current_user):
            return redirect(url_for("pregroup.page"))

        group = current_user.participant.group
        target = current_session(group)
        if target is not None:
            return redirect(url_for("pages.participant_live", session_id=target.id))
        return notice_gate(request.path) or render_template("safety/no_session.html",
                                                            group=group)
    return render_template("pages/dashboard.html", groups=current_user.groups,
                           supervised=supervision.supervised_groups(current_user))


@bp.route("/facilitators/new", methods=["GET", "POST"])
@login_required
def new_facilitator():
    """Let a facilitator create another facilitator's account."""
    facilitator_required()
    form = FacilitatorForm()
    if form.validate_on_submit():
        try:
            create_facilitator(form.email.data, form.name.data, form.password.data)
        except Refused as exc:
            form.email.errors.append(exc.message)
        else:
            flash(f"Account created for {form.name.data}.", "success")
            return redirect(url_for("pages.dashboard"))
    return render_template("pages/new_facilitator.html", form=form)


@bp.get("/sessions/<id:session_id>/live")
@login_required
def participant_live(session_id: int):
    """The participant's page of a session (phone first)."""
    if not is_facilitator(current_user) and not is_enrolled(current_user):
        return redirect(url_for("pregroup.page"))  # the group has not started for them
    session = session_for_member(session_id)
    if is_facilitator(current_user):
        return redirect(url_for("pages.console", session_id=session.id))
    return notice_gate(request.path) or render_template("live/participant.html",
                                                        session=session)


@bp.get("/sessions/<id:session_id>/console")
@login_required
def console(session_id: int):
    """The facilitator's live console of a session; its supervisors' is read only."""
    facilitator_required()
    session = db.get_or_404(GroupSession, session_id)
    if not may_read_group(current_user, session.group_id):
        abort(403, "You do not run or supervise this group.")
    return render_template("live/console.html", session=session,
                           read_only=not access.runs_group(current_user, session.group_id))


@bp.get("/sessions/<id:session_id>/board")
@login_required
def board(session_id: int):
    """A read-only, full-screen view of the group's board (for a projector)."""
    session = session_for_member(session_id)
    return render_template("live/board.html", session=session)
