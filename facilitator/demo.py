"""Demo data: groups ready to run, for trying the product and for load tests."""

import json
import os
import secrets
from datetime import timedelta
from functools import cache
from pathlib import Path

from sqlalchemy import insert, select

from .extensions import db
from .models import (
    Facilitator,
    Goal,
    GoalChange,
    Group,
    InventoryPerson,
    JoinLink,
    Participant,
    PreGroupMeeting,
    TimelineEntry,
    utcnow,
)
from .services import groups as rules
from .services import plans
from .services.vocabulary import MEETING_MODE_WORDS, PSYCHOEDUCATION_POINTS, REFER_REASONS

DEMO_NAMES = ["Amina", "Ben", "Chipo", "Dara", "Elif", "Farid", "Grace", "Hugo", "Ines",
              "Jonas", "Kemi", "Luca", "Mei", "Nia", "Omar"]

# A demo group's urgent help: no phone numbers (the right ones depend on the country) and no
# promise a real programme might not keep; a real group writes its own (services.helptexts).
CRISIS_TEXT = ("This is a demo group: a real group names its local crisis lines here. "
               "If you are in danger now, or might act on thoughts of harming yourself, "
               "please call your local emergency number or go to the nearest emergency "
               "department. You do not have to wait for the group.")


# Each demo member's finished pre-group meeting, in our own words (cycled over the members).
MEMBERS_FILE = Path(__file__).with_name("data") / "demo_members.json"
MODES = tuple(MEETING_MODE_WORDS)


@cache
def demo_members() -> tuple[dict, ...]:
    """The demo members' meetings: problem areas, baseline, timeline, inventory, goals."""
    with MEMBERS_FILE.open(encoding="utf-8") as data:
        return tuple(json.load(data)["members"])


def create_demo(group_count: int, participant_count: int) -> dict:
    """Create demo groups and return their logins and join links as the CLI prints them.

    Every member has had a finished pre-group meeting and is enrolled.
    """
    groups = []
    for _ in range(group_count):
        tag = secrets.token_hex(3)
        password = secrets.token_urlsafe(12)
        lead = rules.create_facilitator(f"facilitator-{tag}@demo.example", f"Sam ({tag})",
                                        password)
        group = rules.create_group(lead, f"Tuesday group {tag}", CRISIS_TEXT, "who8")
        members = add_members(group, participant_count)
        finish_meetings(group, lead, members)
        people = [person_entry(index, p) for index, p in enumerate(members)]
        db.session.commit()  # after reading the members: a commit expires them
        groups.append({"group_id": group.id, "session_id": group.sessions[0].id,
                       "facilitator": {"email": lead.email, "password": password},
                       "participants": people})
    return {"groups": groups}


def demo_name(index: int) -> str:
    """The display name of the demo's member ``index``: Amina, Ben, ..., then Amina 2, ..."""
    name = DEMO_NAMES[index % len(DEMO_NAMES)]
    return name if index < len(DEMO_NAMES) else f"{name} {index // len(DEMO_NAMES) + 1}"


def add_members(group: Group, count: int) -> list[Participant]:
    """Add ``count`` members, each with a join link, in one flush (bulk, for load tests)."""
    members = [Participant(group=group, display_name=demo_name(index), status="invited",
                           links=[JoinLink()]) for index in range(count)]
    db.session.add_all(members)
    db.session.flush()
    return members


def person_entry(index: int, participant: Participant) -> dict:
    """One participant as ``demo --json`` prints it (docs/protocol.md)."""
    return {"participant_id": participant.id, "display_name": participant.display_name,
            "join_path": participant.links[0].join_path,
            "problem_area": participant.problem_area,
            "goals": list(plan_of(index)["goals"])}


def plan_of(index: int) -> dict:
    """The meeting of demo member ``index``."""
    plans_ = demo_members()
    return plans_[index % len(plans_)]


def finish_meetings(group: Group, lead: Facilitator, members: list[Participant]) -> None:
    """Give every member a finished pre-group meeting and enrol them (bulk inserts)."""
    met = utcnow() - timedelta(days=10)
    meetings, timeline, inventory, goals = [], [], [], []
    for index, member in enumerate(members):
        plan = plan_of(index)
        plans.set_status(member, "meeting_done")
        plans.set_status(member, "enrolled")
        plans.set_problem_areas(member, plan["problem_area"], plan["second_problem_area"])
        plans.set_shared_summary(member, plan["shared_summary"])
        when = met + timedelta(minutes=45 * (index % 40))
        meetings.append(meeting_row(group, lead, member, plan, index, when))
        timeline += [{"participant_id": member.id, **entry} for entry in plan["timeline"]]
        inventory += [inventory_row(member.id, person) for person in plan["inventory"]]
        goals += [{"participant_id": member.id, "position": position, "text": text,
                   "created_at": when} for position, text in enumerate(plan["goals"], 1)]
    db.session.flush()
    for model, rows in ((PreGroupMeeting, meetings), (TimelineEntry, timeline),
                        (InventoryPerson, inventory), (Goal, goals)):
        if rows:
            db.session.execute(insert(model), rows)
    first_changes(group, lead)


def meeting_row(group: Group, lead: Facilitator, member: Participant, plan: dict, index: int,
                when) -> dict:
    """A finished meeting: consent, a baseline with item 9 at 0, fit all "no", all explained."""
    answers = plan["baseline_phq9"]
    return {"participant_id": member.id, "group_id": group.id, "mode": MODES[index % len(MODES)],
            "consent_at": when, "consent_by_id": lead.id, "baseline_phq9": answers,
            "baseline_total": sum(answers), "baseline_at": when + timedelta(minutes=5),
            "baseline_source": "facilitator",
            "eligibility": {key: {"answer": False, "note": ""} for key, _ in REFER_REASONS},
            "psychoeducation": [key for key, _, _ in PSYCHOEDUCATION_POINTS],
            "private_summary": plan["private_summary"], "steps_done": meeting_steps(),
            "recorded_elsewhere": False, "completed_at": when + timedelta(minutes=50),
            "completed_by_id": lead.id, "created_at": when, "updated_at": when}


def inventory_row(participant_id: int, person: dict) -> dict:
    """One card of the interpersonal inventory as a row."""
    return {"participant_id": participant_id, "label": person["label"],
            "relationship_to": person["relationship"], "closeness": person["closeness"],
            "good": person["good"], "hard": person["hard"], "changed": person["changed"]}


def first_changes(group: Group, lead: Facilitator) -> None:
    """Each goal's history starts with its setting, dated the day of the meeting."""
    rows = db.session.execute(
        select(Goal.id, Goal.text, Goal.created_at)
        .join(Participant, Goal.participant_id == Participant.id)
        .where(Participant.group_id == group.id)).all()
    if rows:
        db.session.execute(insert(GoalChange), [
            {"goal_id": goal_id, "old_text": None, "new_text": text, "changed_by_id": lead.id,
             "changed_at": created} for goal_id, text, created in rows])


def meeting_steps() -> list[str]:
    """Every step of the meeting page, so a demo meeting reads as finished there too."""
    try:
        from .services.meeting import STEPS  # built alongside; absent in older trees
    except ImportError:
        return []
    return [step if isinstance(step, str) else step[0] for step in STEPS]


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
