"""Role-play as IPT uses it: a member rehearses their own planned conversation, then a debrief.

A facilitator shows a scene to the group (``push_prompt``): either a starter scene with roles,
or a member's own conversation, with who the other person is (as the group will hear it),
what the member wants to say, and a cast from the group (the member plays themselves or the
other person, another member the other part). For disagreements the safety question is asked
first. After the rehearsal the facilitator keeps a debrief (``record_debrief``), for the
facilitators only. Rules add and flush; the event commits once.
"""

from __future__ import annotations

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import (
    GroupSession,
    InventoryPerson,
    Participant,
    Prompt,
    RolePlayDebrief,
    utcnow,
)
from . import Refused, access, audit
from .collab import clear_prompt
from .vocabulary import ROLEPLAY_WORDS

DISPUTES = "role_dispute"


def enrolled_member(session: GroupSession, participant_id: int | None, what: str) -> Participant:
    """A member of the session's group who takes part in its sessions, or ``invalid``."""
    member = db.session.get(Participant, participant_id) if participant_id else None
    if member is None or member.group_id != session.group_id or not access.takes_part(
            member.status):
        raise Refused("invalid", f"{what} must be a member of this group who takes part "
                                 "in its sessions.")
    return member


def needs_safety_check(member: Participant | None, problem_area: str | None,
                       confrontation: bool) -> bool:
    """Whether the safety question must be asked first: a member's own conversation about a
    disagreement (their problem area or the scene's), or any scene marked a confrontation.
    A starter scene with no real person in it needs no check."""
    if confrontation:
        return True
    if member is None:
        return False
    return DISPUTES in {problem_area, member.problem_area, member.second_problem_area}


def starter_cast(session: GroupSession, roles) -> list[dict]:
    """The roles of a starter scene, each given to an enrolled member of the group."""
    cast = [dict(participant_id=r.participant_id, role=r.role) for r in roles or []]
    for r in cast:
        enrolled_member(session, r["participant_id"], "Every role")
    return cast


def member_cast(member: Participant, partner: Participant, plays: str, other: str) -> list:
    """The cast of a member's own conversation: the member and the partner, in their parts."""
    if plays == "self":
        return [dict(participant_id=member.id, role=ROLEPLAY_WORDS["yourself"]),
                dict(participant_id=partner.id, role=other)]
    return [dict(participant_id=member.id, role=other),
            dict(participant_id=partner.id, role=member.display_name)]


def inventory_card(member: Participant, card_id: int | None) -> int | None:
    """The id of one of the member's own inventory cards, or ``invalid``."""
    if card_id is None:
        return None
    card = db.session.get(InventoryPerson, card_id)
    if card is None or card.participant_id != member.id:
        raise Refused("invalid", "Choose a person from this member's own important people.")
    return card.id


def own_conversation(session: GroupSession, data) -> tuple[dict, Participant]:
    """Check a member's own conversation; return the prompt's columns for it, and the member."""
    member = enrolled_member(session, data.for_participant_id, "The member")
    partner = enrolled_member(session, data.partner_id, "The other part")
    if partner.id == member.id:
        raise Refused("invalid", "Another member plays the other part.")
    if data.roles:
        raise Refused("invalid", "A member's own conversation is cast with the member and "
                                 "one partner; leave the other roles out.")
    if not data.other_person or not data.wants_to_say:
        raise Refused("invalid", "Write who the other person is and what the member "
                                 "wants to say.")
    plays = data.member_plays or "self"
    return dict(participant_id=member.id, other_person=data.other_person,
                inventory_person_id=inventory_card(member, data.inventory_person_id),
                wants_to_say=data.wants_to_say, member_plays=plays,
                roles=member_cast(member, partner, plays, data.other_person)), member


def push_prompt(user, session: GroupSession, data) -> Prompt:
    """Show a new role-play scene to the group, replacing the current one.

    With ``for_participant_id`` it is that member's own conversation; for disagreements (or a
    confrontation) it is refused until the facilitator confirms the safety question was asked.
    """
    member = None
    if data.for_participant_id is not None:
        columns, member = own_conversation(session, data)
    else:
        columns = dict(roles=starter_cast(session, data.roles))
    if needs_safety_check(member, data.problem_area, data.confrontation):
        if not data.safety_checked:
            raise Refused("invalid", ROLEPLAY_WORDS["safety_needed"])
        columns["safety_checked"] = True
    clear_prompt(session, commit=False)
    prompt = Prompt(session_id=session.id, text=data.text, problem_area=data.problem_area,
                    **columns)
    db.session.add(prompt)
    db.session.flush()
    if member is not None:
        audit.add(user, session.group_id, "roleplay.push",
                  f"participant {member.id}; safety checked: {prompt.safety_checked}")
    return prompt


def record_debrief(user, session: GroupSession, prompt_id: int, worked: str,
                   next_time: str) -> RolePlayDebrief:
    """Keep (or correct) the debrief of a member's own conversation rehearsed in the session."""
    prompt = db.session.get(Prompt, prompt_id)
    if prompt is None or prompt.session_id != session.id:
        raise Refused("not_found", "There is no such role-play in this session.")
    if prompt.participant_id is None:
        raise Refused("invalid", "A debrief is kept for a member's own conversation.")
    if not worked and not next_time:
        raise Refused("invalid", "Write what worked or what to try next.")
    debrief = db.session.scalar(select(RolePlayDebrief)
                                .where(RolePlayDebrief.prompt_id == prompt.id))
    if debrief is None:
        debrief = RolePlayDebrief(session_id=session.id, participant_id=prompt.participant_id,
                                  prompt_id=prompt.id)
        db.session.add(debrief)
    debrief.worked, debrief.next_time = worked, next_time
    debrief.facilitator_id, debrief.updated_at = user.id, utcnow()
    db.session.flush()
    audit.add(user, session.group_id, "roleplay.debrief", f"participant {prompt.participant_id}")
    return debrief


def debriefs_of(participant_id: int) -> list[RolePlayDebrief]:
    """A member's debriefs, oldest first, with their scenes and sessions (their profile)."""
    return list(db.session.scalars(
        select(RolePlayDebrief).where(RolePlayDebrief.participant_id == participant_id)
        .options(selectinload(RolePlayDebrief.prompt), selectinload(RolePlayDebrief.session))
        .order_by(RolePlayDebrief.id)))


def session_debriefs(session_id: int) -> list[RolePlayDebrief]:
    """The debriefs kept in one session, with their scenes and members (its summary)."""
    return list(db.session.scalars(
        select(RolePlayDebrief).where(RolePlayDebrief.session_id == session_id)
        .options(selectinload(RolePlayDebrief.prompt), selectinload(RolePlayDebrief.participant))
        .order_by(RolePlayDebrief.id)))


def debriefed_count(session_id: int) -> int:
    """How many members' role-plays were debriefed in a session (for the fidelity record:
    "role-play debriefed")."""
    return db.session.scalar(select(func.count(RolePlayDebrief.id))
                             .where(RolePlayDebrief.session_id == session_id)) or 0


# Some members' inventory cards (built once: each facilitator's snapshot reads them).
INVENTORIES = (select(InventoryPerson)
               .where(InventoryPerson.participant_id.in_(bindparam("ids", expanding=True)))
               .order_by(InventoryPerson.id))


def inventory_choices(members: list[Participant]) -> dict[int, list[dict]]:
    """Each member's inventory cards with their private labels, for the console only."""
    ids = [m.id for m in members]
    cards = db.session.scalars(INVENTORIES, {"ids": ids}) if ids else []
    choices: dict[int, list[dict]] = {i: [] for i in ids}
    for card in cards:
        choices[card.participant_id].append({"id": card.id, "label": card.label,
                                             "relationship": card.relationship_to})
    return choices
