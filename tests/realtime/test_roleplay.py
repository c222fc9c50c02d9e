"""Role-play as IPT uses it: a member's own conversation, cast from the group, and its debrief."""

import pytest
from helpers import emit, facilitator_socket, joined, login_as, make_group
from helpers.profile import page_text
from helpers.scenes import cofacilitator, dump, inbox, ok, refused, rows, scene

from facilitator.extensions import db
from facilitator.models import (
    AuditEvent,
    Group,
    InventoryPerson,
    Participant,
    Prompt,
    RolePlayDebrief,
)
from facilitator.services import groups, plans, roleplay

LABEL = "Auntie Rose who shouts at me"  # a private inventory label: never on a phone


def give_area(app, participant_id: int, area: str) -> None:
    """Set a member's problem area (as the pre-group meeting does)."""
    with app.app_context():
        plans.set_problem_areas(db.session.get(Participant, participant_id), area, None)
        db.session.commit()


def inventory_card(app, participant_id: int, label: str = LABEL) -> int:
    """Give a member an important person in their inventory; return the card's id."""
    with app.app_context():
        card = InventoryPerson(participant_id=participant_id, label=label,
                               relationship_to="aunt", closeness=3)
        db.session.add(card)
        db.session.commit()
        return card.id


def own(stage, member: int, partner: int, **extra) -> dict:
    """A prompt:push payload for a member's own conversation."""
    return {"session_id": stage.sid, "text": "Tell her you cannot come every Sunday.",
            "for_participant_id": member, "partner_id": partner,
            "other_person": "an aunt", "wants_to_say": "I need one Sunday a month for me",
            **extra}


def test_a_member_rehearses_their_own_conversation_with_a_cast_from_the_group(app, world):
    stage = scene(app, world)
    member, partner, _ = world.participant_ids
    card = inventory_card(app, member)
    ack = ok(emit(stage.fac, "prompt:push", own(stage, member, partner,
                                                inventory_person_id=card)))
    roles = [inbox(sock)["prompt:pushed"][0] for sock in stage.people]
    assert [r["my_role"] for r in roles] == ["Yourself", "an aunt", None]
    for got in roles:
        assert got["prompt_id"] == ack["prompt_id"]
        assert got["scene"] == {"participant_id": member, "display_name": "Person 1",
                                "other_person": "an aunt", "member_plays": "self",
                                "wants_to_say": "I need one Sunday a month for me"}
        assert LABEL not in dump(got) and "inventory" not in dump(got)
    (seen,) = inbox(stage.fac)["prompt:pushed"]
    assert seen["cast"] == [
        {"participant_id": member, "display_name": "Person 1", "role": "Yourself"},
        {"participant_id": partner, "display_name": "Person 2", "role": "an aunt"}]
    snapshot = joined(stage.people[0], stage.sid)
    assert snapshot["prompt"]["my_role"] == "Yourself" and LABEL not in dump(snapshot)
    with app.app_context():
        prompt = db.session.get(Prompt, ack["prompt_id"])
        assert (prompt.participant_id, prompt.inventory_person_id) == (member, card)
        assert prompt.safety_checked is None  # not a disagreement: not asked


def test_the_member_may_play_the_other_person(app, world):
    stage = scene(app, world)
    member, partner, _ = world.participant_ids
    ok(emit(stage.fac, "prompt:push", own(stage, member, partner, member_plays="other")))
    mine, theirs, _ = [inbox(sock)["prompt:pushed"][0]["my_role"] for sock in stage.people]
    assert (mine, theirs) == ("an aunt", "Person 1")


def test_the_console_gets_each_members_inventory_labels_and_areas(app, world):
    stage = scene(app, world)
    card = inventory_card(app, world.participant_ids[1])
    give_area(app, world.participant_ids[1], "role_dispute")
    people = joined(stage.fac, stage.sid)["participants"]
    assert people[1]["inventory"] == [{"id": card, "label": LABEL, "relationship": "aunt"}]
    assert people[1]["problem_area"] == "role_dispute" and people[0]["inventory"] == []


def test_disagreements_need_the_safety_check_first_and_the_answer_is_kept(app, world):
    stage = scene(app, world)
    member, partner, _ = world.participant_ids
    give_area(app, member, "role_dispute")
    ack = refused(emit(stage.fac, "prompt:push", own(stage, member, partner)), "invalid")
    assert "safe to say this" in ack["message"]
    assert all(inbox(sock)["prompt:pushed"] == [] for sock in stage.everyone())
    ack = ok(emit(stage.fac, "prompt:push", own(stage, member, partner, safety_checked=True)))
    with app.app_context():
        assert db.session.get(Prompt, ack["prompt_id"]).safety_checked is True
        (entry,) = db.session.scalars(db.select(AuditEvent)
                                      .where(AuditEvent.action == "roleplay.push")).all()
        assert entry.subject == f"participant {member}; safety checked: True"


@pytest.mark.parametrize("extra", [{"problem_area": "role_dispute"}, {"confrontation": True}])
def test_a_disagreement_scene_or_a_confrontation_needs_the_check_too(app, world, extra):
    stage = scene(app, world)
    member, partner, _ = world.participant_ids
    refused(emit(stage.fac, "prompt:push", own(stage, member, partner, **extra)), "invalid")
    ok(emit(stage.fac, "prompt:push", own(stage, member, partner, safety_checked=True,
                                          **extra)))


def test_a_starter_scene_is_shown_as_before(app, world):
    stage = scene(app, world)
    ack = ok(emit(stage.fac, "prompt:push", {
        "session_id": stage.sid, "text": "Ask someone you trust for help",
        "problem_area": "role_dispute",
        "roles": [{"participant_id": world.participant_ids[0], "role": "You"}]}))
    got = inbox(stage.people[0])["prompt:pushed"][0]
    assert got["prompt_id"] == ack["prompt_id"] and got["my_role"] == "You"
    assert got["scene"] is None


def not_enrolled(app, world) -> int:
    """Add a member still to meet (invited) to the world's group; return their id."""
    with app.app_context():
        person = groups.add_participant(db.session.get(Group, world.group_id), "New person")
        db.session.commit()
        return person.id


@pytest.mark.parametrize("case", ["member_invited", "partner_invited", "partner_elsewhere",
                                  "member_elsewhere", "same_person", "other_person_long",
                                  "wants_long", "no_wants", "no_other", "roles_too",
                                  "card_of_another", "starter_role_invited", "bad_plays"])
def test_bad_role_plays_are_invalid(app, world, case):
    stage = scene(app, world)
    member, partner, third = world.participant_ids
    invited = not_enrolled(app, world)
    elsewhere = make_group(app, 1, name="Other group").participant_ids[0]
    payload = {
        "member_invited": own(stage, invited, partner),
        "partner_invited": own(stage, member, invited),
        "partner_elsewhere": own(stage, member, elsewhere),
        "member_elsewhere": own(stage, elsewhere, partner),
        "same_person": own(stage, member, member),
        "other_person_long": own(stage, member, partner, other_person="x" * 61),
        "wants_long": own(stage, member, partner, wants_to_say="x" * 501),
        "no_wants": {**own(stage, member, partner), "wants_to_say": None},
        "no_other": {**own(stage, member, partner), "other_person": None},
        "roles_too": own(stage, member, partner,
                         roles=[{"participant_id": third, "role": "Watcher"}]),
        "card_of_another": own(stage, member, partner,
                               inventory_person_id=inventory_card(app, third)),
        "starter_role_invited": {"session_id": stage.sid, "text": "Practice",
                                 "roles": [{"participant_id": invited, "role": "You"}]},
        "bad_plays": own(stage, member, partner, member_plays="both"),
    }[case]
    refused(emit(stage.fac, "prompt:push", payload), "invalid")
    assert all(inbox(sock)["prompt:pushed"] == [] for sock in stage.everyone())
    assert rows(app, Prompt) == 0


def push_own(stage, world) -> int:
    """Show participant 0's own conversation with participant 1; return the prompt id."""
    member, partner, _ = world.participant_ids
    prompt_id = ok(emit(stage.fac, "prompt:push", own(stage, member, partner)))["prompt_id"]
    stage.drain()
    return prompt_id


def debrief(stage, prompt_id, worked="Calm voice, eye contact", next_time="Say it sooner"):
    """The roleplay:debrief payload."""
    return {"session_id": stage.sid, "prompt_id": prompt_id, "worked": worked,
            "next_time": next_time}


def test_the_debrief_is_kept_for_facilitators_and_never_sent_to_participants(app, world):
    stage = scene(app, world)
    prompt_id = push_own(stage, world)
    ok(emit(stage.fac, "prompt:clear", {"session_id": stage.sid}))
    ack = ok(emit(stage.fac, "roleplay:debrief", debrief(stage, prompt_id)))
    (got,) = inbox(stage.fac)["roleplay:debriefed"]
    assert got == {"session_id": stage.sid, "prompt_id": prompt_id,
                   "debrief_id": ack["debrief_id"], "participant_id": world.participant_ids[0],
                   "worked": "Calm voice, eye contact", "next_time": "Say it sooner"}
    for sock in stage.people:
        assert "Calm voice" not in dump(sock.get_received("/live"))
        assert "Calm voice" not in dump(joined(sock, stage.sid))
    again = ok(emit(stage.fac, "roleplay:debrief", debrief(stage, prompt_id, next_time="")))
    assert again["debrief_id"] == ack["debrief_id"]  # corrected, not a second debrief
    with app.app_context():
        (kept,) = roleplay.debriefs_of(world.participant_ids[0])
        assert (kept.worked, kept.next_time) == ("Calm voice, eye contact", "")
        assert kept.facilitator_id == world.facilitator_id
        assert roleplay.debriefed_count(stage.sid) == 1


@pytest.mark.parametrize("case", ["empty", "worked_long", "next_long", "starter",
                                  "other_session", "no_prompt"])
def test_bad_debriefs_are_refused(app, world, case):
    stage = scene(app, world)
    prompt_id = push_own(stage, world)
    starter = ok(emit(stage.fac, "prompt:push", {"session_id": stage.sid,
                                                 "text": "Practice"}))["prompt_id"]
    other = make_group(app, 2, name="Other group", email="lead-other@example.org")
    with app.app_context():
        foreign = Prompt(session_id=other.session_id, text="x", roles=[],
                         participant_id=other.participant_ids[0], other_person="a friend",
                         wants_to_say="hello", member_plays="self")
        db.session.add(foreign)
        db.session.commit()
        foreign_id = foreign.id
    payload, code = {
        "empty": (debrief(stage, prompt_id, "  ", ""), "invalid"),
        "worked_long": (debrief(stage, prompt_id, "x" * 1001), "invalid"),
        "next_long": (debrief(stage, prompt_id, next_time="x" * 1001), "invalid"),
        "starter": (debrief(stage, starter), "invalid"),
        "other_session": (debrief(stage, foreign_id), "not_found"),
        "no_prompt": (debrief(stage, 999_999), "not_found"),
    }[case]
    refused(emit(stage.fac, "roleplay:debrief", payload), code)
    assert rows(app, RolePlayDebrief) == 0


def test_the_debrief_shows_on_the_members_profile_and_the_session_summary(app, world):
    stage = scene(app, world)
    prompt_id = push_own(stage, world)
    ok(emit(stage.fac, "roleplay:debrief", debrief(stage, prompt_id)))
    reader = app.test_client()
    login_as(reader, world.email)
    member, partner, _ = world.participant_ids
    profile = page_text(reader.get(f"/groups/{world.group_id}/members/{member}")
                        .get_data(as_text=True))
    assert "Session 1: with an aunt" in profile
    assert "Wanted to say: I need one Sunday a month for me" in profile
    assert "What worked Calm voice, eye contact" in profile
    assert "What to try next Say it sooner" in profile
    assert "Kept by Sam Lead" in profile
    other = page_text(reader.get(f"/groups/{world.group_id}/members/{partner}")
                      .get_data(as_text=True))
    assert "Calm voice" not in other and "No role-play debriefed yet." in other
    summary = page_text(reader.get(f"/sessions/{stage.sid}/summary").get_data(as_text=True))
    assert "Role-plays debriefed (1)" in summary and "Person 1 , with an aunt" in summary
    assert "Say it sooner" in summary


def test_a_console_in_presenter_mode_never_gets_the_debrief(app, world):
    stage = scene(app, world)
    co = facilitator_socket(app, cofacilitator(app, world))
    joined(co, stage.sid)
    ok(emit(stage.fac, "presenter:set", {"session_id": stage.sid, "on": True}))
    prompt_id = push_own(stage, world)
    co.get_received("/live")
    ok(emit(co, "roleplay:debrief", debrief(stage, prompt_id)))
    assert inbox(co)["roleplay:debriefed"], "a console not presenting gets it"
    shown = inbox(stage.fac)
    assert shown["roleplay:debriefed"] == [] and "Calm voice" not in dump(shown)
