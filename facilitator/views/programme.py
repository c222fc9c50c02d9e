"""The programme view for administrators: every group, every facilitator, group teams and
API tokens; and the ``facilitator programme make-admin`` command."""

import click
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from realtime.publish import disconnect_sids

from ..extensions import db
from ..models import Facilitator, Group
from ..services import Refused, audit, programme, quality, reporting, tokens
from ..services.live import connection_sids
from ..services.vocabulary import QUALITY_WORDS
from . import charts
from .guards import facilitator_required

bp = Blueprint("programme", __name__, cli_group="programme")


class TeamForm(FlaskForm):
    """Add a facilitator to a group's team."""

    facilitator_id = SelectField("Facilitator", coerce=int, validators=[DataRequired()])
    role = SelectField("Role", choices=[SelectChoice("co", "Co-facilitator"),
                                        SelectChoice("lead", "Lead")], default="co")


class TokenForm(FlaskForm):
    """Name a new API token."""

    name = StringField("What the token is for", validators=[DataRequired(), Length(max=80)])


class ActionForm(FlaskForm):
    """A button that only carries a CSRF token."""


@bp.app_template_filter("duration")
def duration(seconds):
    """Show a wait in seconds for people ("4 min", "1 h 5 min"), or an em dash."""
    return programme.duration_words(seconds)


@bp.app_template_filter("figures_state")
def figures_state(tally):
    """Say whether a tally's outcome figures are "so far" or "final" (an em dash: no group)."""
    if not tally.groups:
        return "—"
    return reporting.FIGURES_STATE["so_far" if tally.so_far else "final"]


@bp.app_template_filter("figures_note")
def figures_note(tally, last: int):
    """Say in a sentence whether a group's figures are so far or final (its last session)."""
    return reporting.FIGURES_NOTE["so_far" if tally.so_far else "final"].format(last=last)


@bp.app_template_filter("fidelity_percent")
def fidelity_percent(value):
    """Show a fidelity percent (0-100, one decimal) as "83.3%", or an em dash when unknown."""
    return "—" if value is None else f"{value:g}%"


def admin_required() -> None:
    """Refuse anyone but a programme administrator."""
    facilitator_required()
    if not current_user.is_admin:
        abort(403, "This page is for programme administrators.")


@bp.get("/programme")
@login_required
def overview():
    """Every group with its open alerts, attendance and outcomes; every facilitator's totals."""
    admin_required()
    groups = programme.group_lines()
    return render_template("programme/overview.html", groups=groups,
                           facilitators=programme.facilitator_lines(groups),
                           keys=programme.OUTCOME_KEYS, areas=programme.area_lines(groups),
                           areas_id="programme-areas")


@bp.get("/programme/quality")
@login_required
def quality_page():
    """Fidelity, reviews, safety, referrals and outcomes per group and per facilitator, over
    time, with charts (drawn on the server) and tables of the same numbers."""
    admin_required()
    found = quality.programme_quality()
    months = sorted(found.programme.months)
    return render_template(
        "programme/quality.html", quality=found, months=months, words=QUALITY_WORDS,
        keys=programme.OUTCOME_KEYS, charts={
            f.facilitator.id: charts.fidelity_chart(months, f.fidelity.months)
            for f in found.facilitators},
        programme_chart=charts.fidelity_chart(months, found.programme.months),
        reviewed_chart=charts.bar_chart([(g.line.group.name, g.fidelity.total.share_reviewed)
                                         for g in found.groups]))


def team_form(group: Group) -> TeamForm:
    """The add-to-team form, offering every facilitator not yet in the group."""
    form = TeamForm()
    members = {person.id for person, _ in programme.team_of(group.id)}
    people = db.session.scalars(select(Facilitator).order_by(Facilitator.name))
    form.facilitator_id.choices = [SelectChoice(p.id, f"{p.name} ({p.email})") for p in people
                                   if p.id not in members]
    return form


@bp.route("/programme/groups/<id:group_id>/team", methods=["GET", "POST"])
@login_required
def team(group_id: int):
    """Show a group's facilitators; add a co-facilitator or a lead."""
    admin_required()
    group = db.get_or_404(Group, group_id)
    form = team_form(group)
    if form.validate_on_submit():
        person = db.get_or_404(Facilitator, form.facilitator_id.data)
        programme.assign(group, person, form.role.data)
        audit.record(current_user, group.id, "team.assign",
                     f"facilitator {person.id} as {form.role.data}")
        flash(f"{person.name} now runs {group.name} ({form.role.data}).", "success")
        return redirect(url_for("programme.team", group_id=group.id))
    return render_template("programme/team.html", group=group, form=form, action=ActionForm(),
                           team=programme.team_of(group.id))


@bp.post("/programme/groups/<id:group_id>/team/<id:facilitator_id>/remove")
@login_required
def remove_from_team(group_id: int, facilitator_id: int):
    """Take a facilitator off a group's team."""
    admin_required()
    group = db.get_or_404(Group, group_id)
    person = db.get_or_404(Facilitator, facilitator_id)
    if not ActionForm().validate_on_submit():
        abort(400, "The form expired; reload the page.")
    try:
        programme.unassign(group, person)
    except Refused as exc:
        flash(exc.message, "error")
    else:
        audit.record(current_user, group.id, "team.remove", f"facilitator {person.id}")
        # Their sockets are still in the group's rooms: close them; a reconnect is refused.
        disconnect_sids(connection_sids("facilitator", person.id), [person.get_id()])
        flash(f"{person.name} no longer runs {group.name}.", "success")
    return redirect(url_for("programme.team", group_id=group.id))


@bp.route("/programme/tokens", methods=["GET", "POST"])
@login_required
def api_tokens():
    """List the administrator's API tokens and issue a new one (its secret is shown once)."""
    admin_required()
    form = TokenForm()
    secret = None
    if form.validate_on_submit():
        token, secret = tokens.issue(current_user, form.name.data)
        audit.record(current_user, None, "api.token.issue", f"token {token.id}")
        form = TokenForm(formdata=None)
    return render_template("programme/tokens.html", form=form, action=ActionForm(),
                           secret=secret, tokens=tokens.tokens_of(current_user))


@bp.post("/programme/tokens/<id:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    """Revoke one of the administrator's API tokens."""
    admin_required()
    if not ActionForm().validate_on_submit():
        abort(400, "The form expired; reload the page.")
    try:
        tokens.revoke(current_user, token_id)
    except Refused:
        abort(404)
    audit.record(current_user, None, "api.token.revoke", f"token {token_id}")
    flash("The token no longer works.", "success")
    return redirect(url_for("programme.api_tokens"))


@bp.cli.command("make-admin")
@click.argument("email")
@click.option("--remove", is_flag=True, help="Take the administrator role away instead.")
def make_admin(email: str, remove: bool) -> None:
    """Make a facilitator a programme administrator (sees every group's reports)."""
    person = db.session.scalar(select(Facilitator).where(Facilitator.email == email.lower()))
    if person is None:
        raise click.ClickException(f"No facilitator has the e-mail address {email}.")
    programme.set_admin(person, not remove)
    click.echo(f"{person.email} is {'no longer' if remove else 'now'} a programme administrator.")
