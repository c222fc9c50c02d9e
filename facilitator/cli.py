"""The ``facilitator`` command: a Flask CLI group with serve, demo and create-facilitator."""

import json
import os
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from .extensions import db
from .services import Refused
from .services import groups as rules


def main() -> None:
    """Entry point of the ``facilitator`` console script."""
    from . import create_app
    from .courseplans import PlanError

    group = FlaskGroup(create_app=create_app, help="Facilitator: live group IPT sessions.")
    group.add_command(plans)
    try:
        group()
    except PlanError as error:  # a broken course plan in COURSE_PLANS_DIR: do not start
        click.echo(f"Error: a course plan file is refused: {error}", err=True)
        sys.exit(1)


@click.group("plans")
def plans() -> None:
    """Course plans: check a plan file before putting it in COURSE_PLANS_DIR."""


@plans.command("check")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def check_plan(path: Path) -> None:
    """Check a course plan file; print what is wrong (file, line, problem) and exit 1."""
    from .course import shipped
    from .courseplans import PlanError, read_file
    from .services.scripts import library

    try:
        plan = read_file(path, library())
        if plan.key in shipped():
            raise PlanError(str(path), 1, f"the key '{plan.key}' is a shipped plan's")
    except PlanError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)
    click.echo(f"{path}: fine: '{plan.key}' ({plan.label}), {plan.sessions} sessions "
               f"({plan.initial} initial, {plan.middle} middle, {plan.termination} "
               f"termination), mid-course review at session {plan.review_number()}")


def init_app(app) -> None:
    """Register the commands on the app."""
    for command in (serve, demo, create_facilitator_command):
        app.cli.add_command(command)


def upgrade_schema() -> None:
    """Bring the database schema up to date with the migrations."""
    from flask_migrate import upgrade

    from .config import secure_sqlite_files

    secure_sqlite_files(current_app.config["SQLALCHEMY_DATABASE_URI"])
    upgrade(directory=current_app.extensions["migrate"].directory)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@with_appcontext
def serve(host: str, port: int) -> None:
    """Start one eventlet server process (put nginx in front of it in production)."""
    from .server import PortBusy, run_server

    upgrade_schema()
    try:
        run_server(current_app._get_current_object(), host, port)
    except PortBusy as exc:
        raise click.ClickException(str(exc)) from exc


@click.command("demo")
@click.option("--groups", "group_count", default=1, show_default=True, type=int)
@click.option("--participants", default=8, show_default=True, type=int)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--reuse", is_flag=True, help="Print the last demo again if it still exists.")
@with_appcontext
def demo(group_count: int, participants: int, as_json: bool, reuse: bool) -> None:
    """Create demo groups, each with a facilitator login, participants and a first session."""
    from .demo import create_demo, load_saved, save

    upgrade_schema()
    saved_path = os.path.join(current_app.instance_path, "demo.json")
    result = load_saved(saved_path) if reuse else None
    if result is None:
        result = create_demo(group_count, participants)
        save(saved_path, result)
    if as_json:
        click.echo(json.dumps(result))
        return
    print_demo(result)


def print_demo(result: dict) -> None:
    """Print the demo's sign-in details and join links for a person to open."""
    base = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    for group in result["groups"]:
        click.echo(f"\nFacilitator sign-in: {base}/login")
        click.echo(f"  e-mail:   {group['facilitator']['email']}")
        click.echo(f"  password: {group['facilitator']['password']}")
        click.echo("Participant join links (open each in its own browser or private window):")
        for person in group["participants"]:
            click.echo(f"  {person['display_name']:<10} {base}{person['join_path']}")


@click.command("create-facilitator")
@click.option("--email", prompt=True)
@click.option("--name", prompt=True)
@click.password_option()
@with_appcontext
def create_facilitator_command(email: str, name: str, password: str) -> None:
    """Create a facilitator account."""
    upgrade_schema()
    try:
        rules.create_facilitator(email, name, password)
    except Refused as exc:
        raise click.ClickException(exc.message) from exc
    db.session.remove()
    click.echo(f"Created facilitator {email}.")
