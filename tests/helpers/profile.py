"""Helpers for the profile tests: a member's finished meeting written with the models, and a
session run through the live protocol."""

import uuid
from datetime import timedelta

from facilitator.extensions import db
from facilitator.models import (
    Facilitator,
    InventoryPerson,
    Participant,
    PreGroupMeeting,
    TimelineEntry,
    utcnow,
)
from facilitator.services import plans
from facilitator.services.vocabulary import PSYCHOEDUCATION_POINTS, REFER_REASONS
from helpers import World, emit, facilitator_socket, joined, participant_socket

BASELINE = [2, 2, 2, 2, 2, 2, 2, 2, 0]  # 16: moderately severe, item 9 "not at all"
GOALS = ["Talk with my brother about Dad's care", "Go to the allotment on Saturdays"]


def seed_plan(app, world: World, index: int = 0, **meeting) -> int:
    """Give member ``index`` a finished pre-group meeting and a plan; return their id."""
    with app.app_context():
        member = db.session.get(Participant, world.participant_ids[index])
        lead = db.session.get(Facilitator, world.facilitator_id)
        when = utcnow() - timedelta(days=7)
        db.session.add(PreGroupMeeting(
            participant_id=member.id, group_id=member.group_id, mode="phone",
            consent_at=when, consent_by_id=lead.id, baseline_phq9=BASELINE,
            baseline_total=sum(BASELINE), baseline_at=when,
            eligibility={key: {"answer": False, "note": ""} for key, _ in REFER_REASONS},
            psychoeducation=[key for key, _, _ in PSYCHOEDUCATION_POINTS],
            private_summary="Worn out by caring for her father alone.",
            completed_at=when, completed_by_id=lead.id, **meeting))
        db.session.add(TimelineEntry(participant_id=member.id, period="Last winter",
                                     event="Dad moved in after his fall", mood=3))
        db.session.add(InventoryPerson(participant_id=member.id, label="My brother",
                                       relationship_to="brother", closeness=2,
                                       good="We were close as children",
                                       hard="He leaves the caring to me", changed=""))
        plans.set_problem_areas(member, "role_dispute", "role_transition")
        plans.set_shared_summary(member, "Caring for my dad and sharing it fairly.")
        for text in GOALS:
            plans.add_goal(member, text, by=lead)
        db.session.commit()
        return member.id


def checkin_payload(session_id: int, mood: int, phq9: list[int] | None = None) -> dict:
    """A ``checkin:submit`` payload."""
    payload = {"session_id": session_id, "client_id": str(uuid.uuid4()), "mood": mood}
    if phq9 is not None:
        payload["phq9"] = phq9
    return payload


def run_session(app, world: World, number: int, checkins: dict[int, tuple],
                end: bool = True):
    """Run session ``number``: each ``{index: (mood, phq9)}`` joins and checks in."""
    session_id = world.session_ids[number - 1]
    lead = facilitator_socket(app, world)
    joined(lead, session_id)
    assert emit(lead, "session:start", {"session_id": session_id})["ok"]
    for index, (mood, phq9) in checkins.items():
        sock = participant_socket(app, world, index)
        joined(sock, session_id)
        assert emit(sock, "checkin:submit", checkin_payload(session_id, mood, phq9))["ok"]
        sock.disconnect(namespace="/live")
    if end:
        assert emit(lead, "session:end", {"session_id": session_id})["ok"]
    return lead


def page_text(html: str) -> str:
    """The visible text of a page, tags removed and white space squeezed."""
    import re
    from html import unescape

    body = html.split("<main", 1)[-1]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())
