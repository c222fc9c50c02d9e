"""Helpers of the pre-group meeting tests: an invited member, the meeting's forms as a
browser posts them, and a short way to post one step."""

import re

from facilitator.extensions import db
from facilitator.models import Group, Participant
from facilitator.services import groups as rules
from helpers import csrf_token, login_as


def invite(app, world, name: str = "Newcomer") -> tuple[int, str]:
    """Add an invited member to the world's group; return their id and join path."""
    with app.app_context():
        member = rules.add_participant(db.session.get(Group, world.group_id), name)
        return member.id, member.active_link.join_path


def meeting_path(world, member_id: int) -> str:
    """The member's meeting page."""
    return f"/groups/{world.group_id}/members/{member_id}/meeting"


def signed_in(app, world):
    """An HTTP client signed in as the world's facilitator."""
    client = app.test_client()
    login_as(client, world.email)
    return client


def post_step(client, world, member_id: int, step: str, data: dict):
    """Post one step of the meeting with a fresh CSRF token."""
    path = meeting_path(world, member_id)
    return client.post(f"{path}/{step}", data={"csrf_token": csrf_token(client, path), **data})


REASONS = ("suicide_plan", "psychosis_or_mania", "substance_use", "cognitive")
GOOD = {
    "start": {"mode": "in_person", "consent": "y"},
    "baseline": {f"phq{n}": "1" for n in range(1, 9)} | {"phq9": "0"},
    "fit": {key: "no" for key in REASONS},
    "explained": {"covered": ["common", "treatable", "not_your_fault", "do_less"]},
    "timeline": {"period": "March", "event": "Moved to a new town", "mood": "4"},
    "inventory": {"label": "my sister", "relationship": "sister", "closeness": "4",
                  "good": "She listens", "hard": "We argue about money", "changed": ""},
    "plan": {"problem_area": "role_transition", "second_problem_area": "",
             "private_summary": "Low since the move; misses old friends.",
             "shared_summary": "Since I moved here I have been lonely."},
    "goals": {"goal_1": "Call my old friend Ana once a week", "goal_2": "", "goal_3": ""},
    "end": {"outcome": "enrol", "referred_to": ""},
}


def run_meeting(client, world, member_id: int, outcome: str = "enrol") -> None:
    """Run every step of the meeting with good answers, ending with ``outcome``."""
    for step, data in GOOD.items():
        if step == "end":
            data = {**data, "outcome": outcome}
        response = post_step(client, world, member_id, step, data)
        assert response.status_code == 302, (step, page_text(response))


def page_text(response) -> str:
    """The page's text without tags."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def member(app, member_id: int) -> Participant:
    """The member's row, freshly read (use inside an app context)."""
    db.session.expire_all()
    return db.session.get(Participant, member_id)
