"""A supervisor for a test's group: a facilitator account on its team as supervisor."""

from facilitator.extensions import db
from facilitator.models import Group
from facilitator.services import groups as rules
from facilitator.services import supervision

from . import PASSWORD


def make_supervisor(app, group_id: int, email: str, name: str = "Ana Supervisor") -> int:
    """Create a facilitator account, put it on the group's team as its supervisor; its id."""
    with app.app_context():
        person = rules.create_facilitator(email, name, PASSWORD)
        supervision.add_supervisor(db.session.get(Group, group_id), email)
        db.session.commit()
        return person.id
