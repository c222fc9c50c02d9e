"""Demo data: groups ready to run, for trying the product and for load tests."""

import secrets

from .services import groups as rules

DEMO_NAMES = ["Amina", "Ben", "Chipo", "Dara", "Elif", "Farid", "Grace", "Hugo", "Ines",
              "Jonas", "Kemi", "Luca", "Mei", "Nia", "Omar"]

CRISIS_TEXT = ("If you are thinking about harming yourself, you are not alone. "
               "Your facilitator has been told and will contact you today. "
               "If you are in danger now, call your local emergency number, "
               "or a crisis line such as 988 (US) or 116 123 (UK and Ireland).")


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
            participant = rules.add_participant(group, name)
            people.append({"participant_id": participant.id,
                           "display_name": participant.display_name,
                           "join_path": participant.active_link.join_path})
        groups.append({"group_id": group.id, "session_id": group.sessions[0].id,
                       "facilitator": {"email": lead.email, "password": password},
                       "participants": people})
    return {"groups": groups}
