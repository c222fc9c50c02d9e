"""A member's profile for their group's facilitators: the meeting, the plan, the course.

Programme administrators may read it; only the group's facilitators change the plan.
Reading is audited like every page of health data; every change is audited in the same
transaction. Rules are in ``services/plans.py``; what the page shows in ``services/profile``.
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from realtime.publish import plan_updated

from ..extensions import db
from ..models import Goal, Participant
from ..services import Refused, access, audit, plans, review
from ..services import profile as gather
from ..services.scoring import item9_grade
from ..services.vocabulary import REVIEW_WORDS
from .guards import my_member

bp = Blueprint("profile", __name__)
bp.add_app_template_filter(gather.closeness_words, "closeness_words")
bp.add_app_template_global(gather.mode_words, "meeting_mode_words")
bp.add_app_template_global(item9_grade, "item9_grade")


class GoalForm(FlaskForm):
    """Add a goal, or change a goal's words."""

    text = TextAreaField("Goal, in the member's own words", validators=[
        DataRequired("Goal: write the goal in the member's own words."),
        Length(max=plans.GOAL_LENGTH,
               message=f"Goal: at most {plans.GOAL_LENGTH} characters.")])


class ProgressForm(FlaskForm):
    """A progress note on one goal for one session that has been held."""

    session_id = SelectField("Session", validate_choice=False, validators=[
        DataRequired("Session: choose the session this note is about.")])
    note = TextAreaField("Progress note", validators=[
        DataRequired("Progress note: write how the member got on with this goal."),
        Length(max=plans.PROGRESS_LENGTH,
               message=f"Progress note: at most {plans.PROGRESS_LENGTH} characters.")])

    def validate_session_id(self, field) -> None:
        """Only a session of this group that has started can carry a note."""
        if field.data not in {value for value, _ in field.choices}:
            raise ValidationError("Session: choose one of this group's sessions held so far.")


class DropForm(FlaskForm):
    """The "drop this goal" button: a CSRF token only."""



def my_goal(member: Participant, goal_id: int) -> Goal:
    """Load one of the member's goals, or answer 404."""
    goal = gather.goal_of(member, goal_id)
    if goal is None:
        abort(404, "There is no such goal.")
    return goal


def progress_form(goal_id: int, held, formdata=None) -> ProgressForm:
    """The progress form of one goal, offering the sessions held so far (latest first)."""
    form = ProgressForm(formdata=formdata, prefix=f"progress-{goal_id}")
    form.session_id.choices = [(str(s.id), session_label(s)) for s in reversed(held)]
    return form


def session_label(session) -> str:
    """A session as the progress form offers it: "Session 2: Mood and relationships"."""
    number = f"Session {session.number}"
    return session.title if session.title.startswith(number) else f"{number}: {session.title}"


def page_forms(profile, failed: dict | None = None) -> dict:
    """Every form of the page, blank, with the one that failed (and its messages) in place."""
    failed = failed or {}
    forms = {"new": failed.get("new") or GoalForm(formdata=None, prefix="new-goal"),
             "drop": DropForm(formdata=None), "edit": {}, "progress": {}}
    for view in profile.goals:
        gid = view.goal.id
        forms["edit"][gid] = failed.get(("edit", gid)) or GoalForm(
            formdata=None, prefix=f"goal-{gid}", data={"text": view.goal.text})
        forms["progress"][gid] = failed.get(("progress", gid)) or progress_form(
            gid, profile.held)
    return forms


def render(member: Participant, failed: dict | None = None):
    """The profile page (the read is audited and committed)."""
    profile = gather.gather(member)
    audit.record_read(current_user, member.group_id, "profile", f"participant {member.id}")
    mid = review.group_review(member.group)
    return render_template("profile/show.html", p=profile, member=member,
                           mid_review=mid.of(member.id) if mid else None,
                           review_number=mid.number if mid else None,
                           review_words=REVIEW_WORDS,
                           group=profile.group, forms=page_forms(profile, failed),
                           can_edit=access.runs_group(current_user, member.group_id),
                           meeting_path=f"/groups/{member.group_id}/members/{member.id}/meeting")


def saved(member: Participant, action: str, subject: str, message: str, anchor: str):
    """Audit the change in the same transaction, commit once, and go back to the profile."""
    audit.add(current_user, member.group_id, action, subject)
    plan_updated(member)  # the member's phone shows their goals as they now are
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("profile.show", group_id=member.group_id,
                            participant_id=member.id, _anchor=anchor))


def refused(member: Participant, form, field, exc: Refused, key):
    """Show a rule's refusal under the field it is about; nothing was saved."""
    db.session.rollback()
    field.errors = [*field.errors, exc.message]
    return render(member, {key: form})


@bp.get("/groups/<id:group_id>/members/<id:participant_id>")
@login_required
def show(group_id: int, participant_id: int):
    """The member's profile."""
    return render(my_member(group_id, participant_id))


@bp.post("/groups/<id:group_id>/members/<id:participant_id>/goals")
@login_required
def add_goal(group_id: int, participant_id: int):
    """Add a goal in the member's own words (at most three at a time)."""
    member = my_member(group_id, participant_id, edit=True)
    form = GoalForm(prefix="new-goal")
    if not form.validate_on_submit():
        return render(member, {"new": form})
    try:
        goal = plans.add_goal(member, form.text.data, by=current_user)
    except Refused as exc:
        return refused(member, form, form.text, exc, "new")
    return saved(member, "goal.add", f"goal {goal.id}", "The goal is added.", "goals")


@bp.post("/groups/<id:group_id>/members/<id:participant_id>/goals/<id:goal_id>")
@login_required
def edit_goal(group_id: int, participant_id: int, goal_id: int):
    """Change a goal's words; the old words stay in its history."""
    member = my_member(group_id, participant_id, edit=True)
    goal = my_goal(member, goal_id)
    form = GoalForm(prefix=f"goal-{goal.id}")
    if goal.retired_at is not None:
        abort(409, "This goal was dropped; add it again as a new goal.")
    if not form.validate_on_submit():
        return render(member, {("edit", goal.id): form})
    try:
        plans.edit_goal(goal, form.text.data, by=current_user)
    except Refused as exc:
        return refused(member, form, form.text, exc, ("edit", goal.id))
    return saved(member, "goal.edit", f"goal {goal.id}", "The goal's new words are saved; "
                 "the old ones stay in its history.", f"goal-{goal.id}")


@bp.post("/groups/<id:group_id>/members/<id:participant_id>/goals/<id:goal_id>/drop")
@login_required
def drop_goal(group_id: int, participant_id: int, goal_id: int):
    """Drop a goal from the plan; its history and progress notes stay."""
    member = my_member(group_id, participant_id, edit=True)
    goal = my_goal(member, goal_id)
    if not DropForm().validate_on_submit():
        abort(400, "The form expired; reload the page.")
    plans.retire_goal(goal, by=current_user)
    return saved(member, "goal.drop", f"goal {goal.id}",
                 "The goal is dropped; its history stays below.", "goals")


@bp.post("/groups/<id:group_id>/members/<id:participant_id>/goals/<id:goal_id>/progress")
@login_required
def note_progress(group_id: int, participant_id: int, goal_id: int):
    """Keep a progress note on a goal for one session (a second note replaces the first)."""
    member = my_member(group_id, participant_id, edit=True)
    goal = my_goal(member, goal_id)
    if goal.retired_at is not None:
        abort(409, "This goal was dropped; notes go on the member's current goals.")
    form = progress_form(goal.id, gather.held_sessions(member.group_id), formdata=request.form)
    if not form.validate_on_submit():
        return render(member, {("progress", goal.id): form})
    try:
        plans.note_progress(goal, int(form.session_id.data), form.note.data, by=current_user)
    except Refused as exc:
        return refused(member, form, form.note, exc, ("progress", goal.id))
    return saved(member, "goal.progress", f"goal {goal.id}", "The progress note is saved.",
                 f"goal-{goal.id}")

