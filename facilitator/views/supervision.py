"""Supervision pages: a group's supervisors and notes with actions, and the supervisor's queue.

Rules are in ``services/supervision.py``; permissions in ``services/access.py``
(``may_read_group`` to read, ``supervises`` to write a note, ``leads_group`` to choose
supervisors, ``on_team`` to close an action). Each POST commits once, with its audit row,
which never carries a note's text.
"""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    EmailField,
    FieldList,
    Form,
    FormField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, Optional

from realtime.publish import disconnect_sids

from ..extensions import db
from ..models import GroupSession, utcnow
from ..services import Refused, access, audit, fidelity, quality, supervision
from ..services.live import connection_sids
from ..services.risk import due_of
from ..services.vocabulary import QUALITY_WORDS
from .guards import answered, facilitator_required, readable_group

bp = Blueprint("supervision", __name__)
ACTION_ROWS = 3


class ActionRow(Form):
    """One action of a note: what, who, by when (a row left empty is no action)."""

    what = StringField("What", validators=[Optional(), Length(max=supervision.ACTION_MAX)])
    owner = SelectField("Who", coerce=int, choices=[], validate_choice=False)
    due_on = DateField("By when", validators=[Optional()])


class NoteForm(FlaskForm):
    """A supervision note on the group or one of its sessions, with up to three actions."""

    session_id = SelectField("About", coerce=int, choices=[], validate_choice=False)
    text = TextAreaField("Note", validators=[DataRequired(), Length(max=supervision.NOTE_MAX)])
    actions = FieldList(FormField(ActionRow), min_entries=ACTION_ROWS, max_entries=ACTION_ROWS)


class SupervisorForm(FlaskForm):
    """Add a supervisor to the team by the e-mail of their facilitator account."""

    email = EmailField("E-mail of their facilitator account",
                       validators=[DataRequired(), Email(), Length(max=254)])


class ButtonForm(FlaskForm):
    """A button that only carries a CSRF token."""


def note_form(group, formdata=True) -> NoteForm:
    """The note form, offering the group's sessions and its team."""
    form = NoteForm() if formdata else NoteForm(formdata=None)
    form.session_id.choices = [(0, "The group as a whole")] + [
        (s.id, f"Session {s.number}: {s.title}") for s in group.sessions]
    people = [(0, "Choose…")] + [(p.id, p.name) for p, _ in supervision.team(group.id)]
    for row in form.actions:
        row.owner.choices = people
    return form


def drafts(form: NoteForm) -> list[supervision.ActionDraft]:
    """The actions the form asks for; a half-filled row is refused, an empty one skipped."""
    found = []
    for row in form.actions:
        what = (row.what.data or "").strip()
        if not what and not row.owner.data and not row.due_on.data:
            continue
        if not what or not row.owner.data or not row.due_on.data:
            raise Refused("invalid", "An action needs what, who and by when.")
        found.append(supervision.ActionDraft(what, row.owner.data, row.due_on.data))
    return found


def session_of(group, session_id: int) -> GroupSession | None:
    """The session a note is about (0: the group as a whole), or 404."""
    if not session_id:
        return None
    session = db.session.get(GroupSession, session_id)
    if session is None or session.group_id != group.id:
        abort(404, "There is no such session in this group.")
    return session


def render_group(group, form=None, status=200):
    """The group's supervision page."""
    return render_template(
        "supervision/group.html", group=group, team=supervision.team(group.id),
        roles=supervision.ROLE_NAMES, notes=supervision.notes_of(group.id),
        form=form or note_form(group, formdata=False), add_form=SupervisorForm(formdata=None),
        button=ButtonForm(), today=utcnow().date(),
        may_write=access.supervises(current_user, group.id),
        may_lead=access.leads_group(current_user, group.id),
        runs=access.runs_group(current_user, group.id)), status


@bp.get("/groups/<id:group_id>/supervision")
@login_required
def group_page(group_id: int):
    """A group's supervision: its team with supervisors, notes and their actions."""
    group = readable_group(group_id)
    audit.record_read(current_user, group.id, "supervision")
    return render_group(group)


@bp.post("/groups/<id:group_id>/supervision/notes")
@login_required
def write_note(group_id: int):
    """Write a supervision note (a supervisor of the group, or a programme administrator)."""
    group = readable_group(group_id)
    if not access.supervises(current_user, group.id):
        abort(403, "Only a supervisor of this group writes supervision notes.")
    form = note_form(group)
    if not form.validate_on_submit():
        return render_group(group, form, 400)
    try:
        note = supervision.write_note(current_user, group, form.text.data,
                                      session_of(group, form.session_id.data), drafts(form))
    except Refused as exc:
        form.text.errors = [*form.text.errors, exc.message]
        return render_group(group, form, 400)
    audit.add(current_user, group.id, "supervision.note",
              f"note {note.id} with {len(note.actions)} actions")
    db.session.commit()
    flash("The supervision note is saved.", "success")
    return redirect(url_for("supervision.group_page", group_id=group.id))


@bp.post("/supervision/actions/<id:action_id>/close")
@login_required
def close_action(action_id: int):
    """Mark a supervision action done (anyone on the group's team)."""
    facilitator_required()
    action = answered(supervision.load_action, action_id)
    if not ButtonForm().validate_on_submit():
        abort(400, "The form expired; reload the page.")
    try:
        supervision.close_action(current_user, action)
    except Refused as exc:
        flash(exc.message, "error")
    else:
        audit.add(current_user, action.note.group_id, "supervision.action.close",
                  f"action {action.id}")
        db.session.commit()
        flash("The action is marked done.", "success")
    return redirect(url_for("supervision.group_page", group_id=action.note.group_id))


def lead_group(group_id: int):
    """The group, for its lead (or a programme administrator) only, or 403/404."""
    group = readable_group(group_id)
    if not access.leads_group(current_user, group.id):
        abort(403, "Only the group's lead chooses its supervisors.")
    return group


@bp.post("/groups/<id:group_id>/supervisors")
@login_required
def add_supervisor(group_id: int):
    """Add a supervisor to the group's team by e-mail (its lead only)."""
    group = lead_group(group_id)
    form = SupervisorForm()
    if not form.validate_on_submit():
        flash("Give the e-mail of an existing facilitator account.", "error")
        return redirect(url_for("supervision.group_page", group_id=group.id))
    try:
        person = supervision.add_supervisor(group, form.email.data)
    except Refused as exc:
        flash(exc.message, "error")
    else:
        audit.add(current_user, group.id, "team.supervisor.add", f"facilitator {person.id}")
        db.session.commit()
        flash(f"{person.name} now supervises {group.name}.", "success")
    return redirect(url_for("supervision.group_page", group_id=group.id))


@bp.post("/groups/<id:group_id>/supervisors/<id:facilitator_id>/remove")
@login_required
def remove_supervisor(group_id: int, facilitator_id: int):
    """Take a supervisor off the group's team (its lead only)."""
    group = lead_group(group_id)
    if not ButtonForm().validate_on_submit():
        abort(400, "The form expired; reload the page.")
    try:
        person = supervision.remove_supervisor(group, facilitator_id)
    except Refused as exc:
        abort(404, exc.message)
    audit.add(current_user, group.id, "team.supervisor.remove", f"facilitator {person.id}")
    db.session.commit()
    # Their consoles are still in the group's rooms: close them; a reconnect is refused.
    disconnect_sids(connection_sids("facilitator", person.id), [person.get_id()])
    flash(f"{person.name} no longer supervises {group.name}.", "success")
    return redirect(url_for("supervision.group_page", group_id=group.id))


@bp.get("/supervision")
@login_required
def queue():
    """The supervisor's queue over every group they supervise (an administrator: all)."""
    facilitator_required()
    found = supervision.queue(current_user)
    ids = list(found.groups)
    return render_template("supervision/queue.html", queue=found, due_of=due_of,
                           today=utcnow().date(), fidelity_review=fidelity.waiting_review(ids),
                           fidelity_missing=fidelity.missing(ids),
                           falling=quality.falling_facilitators(ids), quality_words=QUALITY_WORDS,
                           falling_rule={"sessions": quality.FALLING_SESSIONS,
                                         "points": quality.FALLING_POINTS})
