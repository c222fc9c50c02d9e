"""Helpers for the programme and API tests: administrators, teams and tokens."""

from helpers import PASSWORD, login_as

from facilitator.extensions import db
from facilitator.models import Facilitator
from facilitator.services import groups as rules
from facilitator.services import programme, tokens


def make_admin(app, email: str = "admin@example.org", name: str = "Ada Admin") -> int:
    """Create a facilitator and make them a programme administrator; return their id."""
    with app.app_context():
        person = rules.create_facilitator(email, name, PASSWORD)
        programme.set_admin(person)
        return person.id


def admin_client(app, email: str = "admin@example.org"):
    """An HTTP client signed in as a (new) programme administrator."""
    make_admin(app, email)
    client = app.test_client()
    login_as(client, email)
    return client


def api_token(app, admin_id: int, name: str = "dashboard") -> str:
    """Issue an API token for the administrator; return its secret."""
    with app.app_context():
        _, raw = tokens.issue(db.session.get(Facilitator, admin_id), name)
        return raw


def bearer(raw: str) -> dict:
    """The Authorization header carrying a token."""
    return {"Authorization": f"Bearer {raw}"}
