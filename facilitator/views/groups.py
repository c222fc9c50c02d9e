"""Group set-up pages: create a group, add participants, manage join links and agendas."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from realtime.publish import agenda_updated, disconnect_sids, presence

from .. import course
from ..extensions import db
from ..models import AgendaItem, GroupSession, Participant
from ..services import Refused, audit, helptexts, review, risk
from ..services import groups as rules
from ..services.live import connection_sids, watched_sessions
from ..services.profile import glance
from ..services.vocabulary import REVIEW_WORDS
from .guards import facilitator_required, my_group, my_session, readable_group
from .helpforms import support_reply_field, urgent_help_field

bp = Blueprint("groups", __name__)


class GroupForm(FlaskForm):
    """Create a group."""

    name = StringField("Group name", validators=[DataRequired(), Length(max=120)])
    crisis_resources = urgent_help_field()
    support_reply = support_reply_field()
    template = SelectField("Course plan")

    def __init__(self, *args, **kwargs):
        """Offer every course plan: the shipped ones and the programme's own."""
        super().__init__(*args, **kwargs)
        self.template.choices = [SelectChoice(p.key, p.label)
                                 for p in course.all_plans().values()]


class ParticipantForm(FlaskForm):
    """Add a participant by display name."""

    display_name = StringField("Display name", validators=[DataRequired(), Length(max=60)])


class AgendaItemForm(FlaskForm):
    """Add or rename an agenda item."""

    title = StringField("Title", validators=[DataRequired(), Length(max=120)])
    kind = SelectField("Kind", choices=[SelectChoice(k, k.replace("_", " "))
                                        for k in course.agenda_kinds()], default="other")


class ActionForm(FlaskForm):
    """A button that only needs a CSRF token (and an optional direction)."""

    direction = HiddenField()






@bp.route("/groups/new", methods=["GET", "POST"])
@login_required
def new_group():
    """Create a group and its course of sessions."""
    facilitator_required()
    form = GroupForm()
    if form.validate_on_submit():
        group = rules.create_group(current_user, form.name.data, form.crisis_resources.data,
                                   form.template.data, support_reply=form.support_reply.data)
        flash(f"Group “{group.name}” created with {len(group.sessions)} sessions.", "success")
        return redirect(url_for("groups.show", group_id=group.id))
    return render_template("groups/new.html", form=form)


@bp.get("/groups/<id:group_id>")
@login_required
def show(group_id: int):
    """The group page: participants and their join links, and the course's sessions."""
    group = my_group(group_id)
    return render_template("groups/show.html", group=group, form=ParticipantForm(),
                           action=ActionForm(), current=rules.current_session(group),
                           unfinished=helptexts.unfinished,
                           default_reply=helptexts.DEFAULT_SUPPORT_REPLY,
                           follow_ups=risk.follow_up_list(group.id), glance=glance(group),
                           review=review.group_review(group), review_words=REVIEW_WORDS)


def announce_members(group_id: int) -> None:
    """Who takes part changed (a member enrolled, referred or declined): the group's open
    consoles and pages get the new "who is here" at once."""
    for session in watched_sessions(group_id):
        presence(session)


@bp.post("/groups/<id:group_id>/participants")
@login_required
def add_participant(group_id: int):
    """Add a participant and show their join link."""
    group = my_group(group_id)
    form = ParticipantForm()
    if form.validate_on_submit():
        participant = rules.add_participant(group, form.display_name.data)  # invited
        flash(f"{participant.display_name} added. Copy their join link below.", "success")
    else:
        flash("Please give a display name of at most 60 characters.", "error")
    return redirect(url_for("groups.show", group_id=group.id))


@bp.post("/groups/<id:group_id>/participants/<id:participant_id>/revoke")
@login_required
def revoke(group_id: int, participant_id: int):
    """Revoke a participant's join link, disconnect them, and issue a new link."""
    group = my_group(group_id)
    participant = db.get_or_404(Participant, participant_id)
    if participant.group_id != group.id or not ActionForm().validate_on_submit():
        abort(400, "This link cannot be revoked from here.")
    rules.revoke_link(participant)
    audit.record(current_user, group.id, "link.revoke", f"participant {participant.id}")
    disconnect_sids(connection_sids("participant", participant.id),
                    [f"p:{link.id}" for link in participant.links])
    flash(f"The old link of {participant.display_name} no longer works; "
          "a new one is shown below.", "success")
    return redirect(url_for("groups.show", group_id=group.id))


@bp.route("/sessions/<id:session_id>/agenda", methods=["GET", "POST"])
@login_required
def agenda(session_id: int):
    """Edit a session's agenda: add, rename, reorder, remove."""
    session = my_session(session_id)
    form = AgendaItemForm()
    if request.method == "POST":
        if form.validate_on_submit():
            rules.add_agenda_item(session, form.title.data, form.kind.data)
            agenda_edited(session)
            return redirect(url_for("groups.agenda", session_id=session.id))
        flash("An agenda item needs a title of at most 120 characters.", "error")
    return render_template("groups/agenda.html", session=session, form=form,
                           action=ActionForm(),
                           spec=course.session_spec(session.group.template, session.number))


@bp.post("/agenda/<id:item_id>/<verb>")
@login_required
def agenda_item(item_id: int, verb: str):
    """Rename, move or remove one agenda item."""
    item = db.get_or_404(AgendaItem, item_id)
    session = my_session(item.session_id)
    action = ActionForm()
    if not action.validate_on_submit():
        abort(400, "The form expired; reload the page.")
    try:
        edit_item(item, verb)
    except Refused as exc:
        flash(exc.message, "error")
    agenda_edited(session)
    return redirect(url_for("groups.agenda", session_id=session.id))


def edit_item(item: AgendaItem, verb: str) -> None:
    """Apply one edit named by ``verb`` to an agenda item."""
    if verb == "rename":
        title = (request.form.get("title") or "").strip()
        if not 1 <= len(title) <= 120:
            raise Refused("invalid", "An agenda item needs a title of at most 120 characters.")
        rules.rename_agenda_item(item, title)
    elif verb == "move":
        rules.move_agenda_item(item, -1 if request.form.get("direction") == "up" else 1)
    elif verb == "remove":
        rules.remove_agenda_item(item)
    else:
        abort(404)


def agenda_edited(session: GroupSession) -> None:
    """Send the edited agenda to everyone in the session."""
    db.session.refresh(session)
    agenda_updated(session)


@bp.get("/groups/<id:group_id>/audit")
@login_required
def audit_trail(group_id: int):
    """The group's audit trail: who did what to participant data, and when (read-only);
    its supervisors read it too."""
    group = readable_group(group_id)
    person, action = audit_filters()
    people, actions = audit.trail_choices(group.id)
    return render_template("groups/audit.html", group=group, people=people, actions=actions,
                           person=person, action=action,
                           events=audit.trail(group.id, person, action))


def audit_filters() -> tuple[int | None, str | None]:
    """The audit trail's ``?person=<facilitator id>&action=<action>`` filters (400 if bad)."""
    raw_person = request.args.get("person", "")
    action = request.args.get("action", "") or None
    if raw_person and not raw_person.isdigit():
        abort(400, "Choose a person from the list to filter the trail.")
    if action is not None and len(action) > 48:
        abort(400, "Choose an action from the list to filter the trail.")
    return (int(raw_person) if raw_person else None), action
