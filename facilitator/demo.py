"""Demo data: groups ready to run, for trying the product and for load tests."""

import json
import os
import secrets

from sqlalchemy import select

from .extensions import db
from .models import Facilitator
from .services import groups as rules

DEMO_NAMES = ["Amina", "Ben", "Chipo", "Dara", "Elif", "Farid", "Grace", "Hugo", "Ines",
              "Jonas", "Kemi", "Luca", "Mei", "Nia", "Omar"]

# A demo group's urgent help: no phone numbers (the right ones depend on the country) and no
# promise a real programme might not keep; a real group writes its own (services.helptexts).
CRISIS_TEXT = ("This is a demo group: a real group names its local crisis lines here. "
               "If you are in danger now, or might act on thoughts of harming yourself, "
               "please call your local emergency number or go to the nearest emergency "
               "department. You do not have to wait for the group.")


def create_demo(group_count: int, participant_count: int) -> dict:
    """Create demo groups and return their logins and join links as the CLI prints them."""
    groups = []
    for _ in range(group_count):
        tag = secrets.token_hex(3)
        password = secrets.token_urlsafe(12)
        lead = rules.create_facilitator(f"facilitator-{tag}@demo.example", f"Sam ({tag})",
                                        password)
        group = rules.create_group(lead, f"Tuesday group {tag}", CRISIS_TEXT, "who8")
        people = []
        for index in range(participant_count):
            name = DEMO_NAMES[index % len(DEMO_NAMES)]
            if index >= len(DEMO_NAMES):
                name = f"{name} {index // len(DEMO_NAMES) + 1}"
            participant = rules.add_participant(group, name, status="enrolled")
            people.append({"participant_id": participant.id,
                           "display_name": participant.display_name,
                           "join_path": participant.active_link.join_path})
        groups.append({"group_id": group.id, "session_id": group.sessions[0].id,
                       "facilitator": {"email": lead.email, "password": password},
                       "participants": people})
    return {"groups": groups}


def save(path: str, result: dict) -> None:
    """Keep the demo's logins in the instance folder (readable by its owner only)."""
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as out:
        json.dump(result, out)


def load_saved(path: str) -> dict | None:
    """Return the saved demo if its facilitators can still sign in with it."""
    try:
        with open(path) as saved:
            result = json.load(saved)
    except (OSError, ValueError):
        return None
    for group in result.get("groups", []):
        login = group["facilitator"]
        account = db.session.scalar(select(Facilitator).where(Facilitator.email == login["email"]))
        if account is None or not account.check_password(login["password"]):
            return None
    return result or None
