"""Role-play prompts (the current one, taking it down; showing one: ``services.roleplay``),
homework and reflections, the group's board of cards and themes."""

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import and_, bindparam, insert, or_, select
from sqlalchemy.exc import IntegrityError

from ..db import driver, loading
from ..extensions import db
from ..models import (
    Assignment,
    Card,
    GroupSession,
    JoinLink,
    Participant,
    Prompt,
    Reflection,
    Theme,
    utcnow,
)
from . import Refused, access, boardsafety
from .access import member_of, require_live
from .receipts import ADD_RECEIPT_PREPARED, key_of, store_once, submit_once

# The reads of a snapshot, built once with their values bound at run time: building and
# keying a statement on every call cost more than running it (docs/performance.md).
CURRENT_PROMPT = (select(Prompt)
                  .where(Prompt.session_id == bindparam("session_id"),
                         Prompt.cleared_at.is_(None))
                  .order_by(Prompt.id.desc()).limit(1))
GROUP_REFLECTIONS = (select(Reflection).join(Assignment)
                     .where(Assignment.group_id == bindparam("group_id"))
                     .order_by(Reflection.id))
PUBLISHED_CARDS = (select(Card).where(Card.group_id == bindparam("group_id"),
                                      Card.status == "published").order_by(Card.id))
GROUP_THEMES = select(Theme).where(Theme.group_id == bindparam("group_id")).order_by(Theme.id)
GROUP_CARDS = select(Card).where(Card.group_id == bindparam("group_id")).order_by(Card.id)
GROUP_HOMEWORK = (select(Assignment).where(Assignment.group_id == bindparam("group_id"))
                  .order_by(Assignment.id))


def current_prompt(session_id: int) -> Prompt | None:
    """Return the prompt now shown in the session, if any."""
    return db.session.scalar(CURRENT_PROMPT, {"session_id": session_id})


def clear_prompt(session: GroupSession, commit: bool = True) -> None:
    """Take the current prompt down."""
    prompt = current_prompt(session.id)
    if prompt is not None:
        prompt.cleared_at = utcnow()
    if commit:
        db.session.commit()


def assign_homework(user, session: GroupSession, data) -> tuple[dict, Assignment | None]:
    """Give homework to the whole group, or to one participant of it.

    With a ``client_id`` a repeated request (a retry after a lost answer) assigns nothing
    new and gets the first answer; the object is then ``None``.
    """

    def store():
        goal_id = getattr(data, "goal_id", None)
        if goal_id is not None:
            goal_of_member(session, data.participant_id, goal_id)
        elif data.participant_id is not None:
            member_of(session, data.participant_id)
        assignment = Assignment(group_id=session.group_id, session_id=session.id,
                                participant_id=data.participant_id, text=data.text,
                                goal_id=goal_id)
        db.session.add(assignment)
        db.session.flush()
        return assignment, {"assignment_id": assignment.id}

    return store_once(user, data.client_id, "homework:assign", store)


def goal_of_member(session: GroupSession, participant_id: int | None, goal_id: int) -> None:
    """Check that a task's goal is a current goal of the enrolled member it is for."""
    if participant_id is None:
        raise Refused("invalid", "A task tied to a goal is for one member: choose who.")
    member = access.enrolled_member_of(session, participant_id)
    if not any(g.id == goal_id and g.retired_at is None for g in member.goals):
        raise Refused("invalid", "Choose one of this member's current goals.")


# A member's homework with their reflections: each snapshot of theirs reads it (built once).
HOMEWORK_WITH_REFLECTIONS = (
    select(Assignment, Reflection)
    .outerjoin(Reflection, and_(Reflection.assignment_id == Assignment.id,
                                Reflection.participant_id == bindparam("participant_id")))
    .where(Assignment.group_id == bindparam("group_id"),
           or_(Assignment.participant_id.is_(None),
               Assignment.participant_id == bindparam("participant_id")))
    .order_by(Assignment.id, Reflection.id))


def homework_with_reflections(group_id: int, participant_id: int
                              ) -> list[tuple[Assignment, Reflection | None]]:
    """The assignments a participant has (the group's and their own), oldest first, each
    with their newest reflection on it or None: one statement."""
    rows = db.session.execute(HOMEWORK_WITH_REFLECTIONS,
                              {"group_id": group_id, "participant_id": participant_id})
    newest: dict[int, tuple[Assignment, Reflection | None]] = {}
    for assignment, reflection in rows:
        newest[assignment.id] = (assignment, reflection)  # the newest reflection wins
    return list(newest.values())


def submit_reflection(user, data) -> tuple[dict, Reflection | None]:
    """Store a participant's reflection on one of their assignments, once."""
    assignment = db.session.get(Assignment, data.assignment_id)
    if assignment is not None and assignment.group_id != user.group_id:
        raise Refused("forbidden", "You are not a member of this group.")
    if assignment is None or assignment.participant_id not in (None, user.id):
        raise Refused("not_found", "There is no such homework for you.")

    def store():
        reflection = Reflection(assignment_id=assignment.id, participant_id=user.id,
                                text=data.text, times_practised=data.times_practised)
        db.session.add(reflection)
        db.session.flush()
        return reflection, {"reflection_id": reflection.id}

    return submit_once(user, data.client_id, "reflection:submit", store)


def group_reflections(group_id: int) -> list[Reflection]:
    """List every reflection on the group's homework, oldest first."""
    return list(db.session.scalars(GROUP_REFLECTIONS, {"group_id": group_id}))


# One Core INSERT ... RETURNING, and the stored row becomes an object of this session
# (``db.loading``) without the unit of work's flush: cards arrive all through a
# session (docs/performance.md).
ADD_CARD = insert(Card.__table__).returning(*loading.columns(Card))


def submit_card(user, session: GroupSession, data) -> tuple[dict, Card | None]:
    """Store a card for moderation, once; nobody but facilitators sees it yet.

    Only a live session takes a new card; a resubmission gets its first answer at any time.
    """

    def store():
        require_live(session)
        author = "participant_id" if user.kind == "participant" else "facilitator_id"
        row = db.session.connection().execute(ADD_CARD, {
            "group_id": session.group_id, "session_id": session.id, "text": data.text,
            "problem_area": data.problem_area, "anonymous": data.anonymous,
            author: user.id}).one()
        card = loading.attach(Card, row._mapping)
        return card, {"card_id": card.id, "status": "pending"}

    return submit_once(user, data.client_id, "card:submit", store)


# A participant's card in three statements run on the driver (``db.driver``): who is
# sending, if their join link holds and the session they name is a live one of their group;
# the card; its receipt.
SENDER_IN_LIVE_SESSION = driver.Prepared(
    select(Participant.id, Participant.display_name, GroupSession.group_id,
           GroupSession.number)
    .join_from(JoinLink, Participant, JoinLink.participant)
    .join(GroupSession, and_(GroupSession.group_id == Participant.group_id,
                             GroupSession.id == bindparam("session_id")))
    .where(JoinLink.id == bindparam("link_id"), access.sender_may_post_sql())
)
ADD_PARTICIPANT_CARD = driver.Prepared(
    insert(Card.__table__).values({name: bindparam(name) for name in (
        "group_id", "session_id", "participant_id", "text", "problem_area", "anonymous",
        "status", "created_at")})
    .returning(Card.__table__.c.id))


@dataclass(frozen=True, slots=True)
class NewCard:
    """A participant's card as the fast way stored it: what ``card:pending`` shows of it."""

    id: int
    group_id: int
    session_id: int
    session_number: int
    participant_id: int
    author_name: str
    text: str
    problem_area: str | None
    anonymous: bool
    status: str = "pending"
    theme_id: None = None
    facilitator_id: None = None


def submit_card_as(link_id: int, data) -> tuple[dict, NewCard] | None:
    """Store a new card from the holder of join link ``link_id``, if everything allows it.

    What ``submit_card`` does for a participant's first submission of a card, without
    loading anyone: returns the answer and the stored card (a ``NewCard``: building ORM
    objects would cost as much as the statements), or None with nothing stored when the
    link was revoked, the session is not a live one of their group, or the ``client_id``
    was used before. The caller then goes the ordinary way (sign-in,
    ``access.load_session``, ``submit_card``), which says which it was.
    """
    with driver.connection(db.engine) as (core, cursor):  # records wait for the disk
        sender = SENDER_IN_LIVE_SESSION.execute(core, cursor, {
            "session_id": data.session_id, "link_id": link_id}).fetchone()
        if sender is None:
            return None
        participant_id, display_name, group_id, number = sender
        values = {"group_id": group_id, "session_id": data.session_id,
                  "participant_id": participant_id, "text": data.text,
                  "problem_area": data.problem_area, "anonymous": data.anonymous,
                  "status": "pending", "created_at": utcnow()}
        (card_id,) = ADD_PARTICIPANT_CARD.execute(core, cursor, values).fetchone()
        answer = {"card_id": card_id, "status": "pending"}
        try:
            ADD_RECEIPT_PREPARED.execute(core, cursor, {
                "actor": key_of("participant", participant_id), "client_id": data.client_id,
                "event": "card:submit", "answer": answer, "created_at": values["created_at"]})
        except IntegrityError:  # sent before: the ordinary way gives the first answer
            core.rollback()
            return None
        core.commit()
    return answer, NewCard(card_id, group_id, data.session_id, number, participant_id,
                           display_name, data.text, data.problem_area, data.anonymous)


def moderate_card(card: Card, action: str, text: str | None, theme_id: int | None) -> Card:
    """Approve, reject or edit a card; approval publishes it to the group."""
    boardsafety.refuse_moderation_off_the_board(card, action)
    if theme_id is not None:
        theme = db.session.get(Theme, theme_id)
        if theme is None or theme.group_id != card.group_id:
            raise Refused("not_found", "There is no such theme on this board.")
    if action == "reject":
        if card.status == "published":
            raise Refused("conflict", "A published card cannot be rejected.")
        card.status = "rejected"
    else:
        if card.status == "rejected":
            raise Refused("conflict", "This card was rejected.")
        if text:
            card.text = text
        if theme_id is not None:
            card.theme_id = theme_id
        if action == "approve":
            card.status = "published"
    card.moderated_at = utcnow()
    db.session.flush()  # the handler commits, with the audit row (one transaction)
    return card


def create_theme(user, session: GroupSession, data, describe) -> tuple[dict, Theme | None]:
    """Add a theme to the group's board under a problem area (once per ``client_id``).

    ``describe`` turns the theme into the payload the answer carries.
    """

    def store():
        theme = Theme(group_id=session.group_id, session_id=session.id, title=data.title,
                      problem_area=data.problem_area)
        db.session.add(theme)
        db.session.flush()
        return theme, {"theme": describe(theme)}

    return store_once(user, data.client_id, "theme:create", store)


def board(group_id: int) -> tuple[list[Theme], list[Card]]:
    """Return the group's themes and its published cards, from every session."""
    cards = db.session.scalars(PUBLISHED_CARDS, {"group_id": group_id})
    return themes(group_id), list(cards)


def themes(group_id: int) -> list[Theme]:
    """The group's themes, oldest first."""
    return list(db.session.scalars(GROUP_THEMES, {"group_id": group_id}))


def cards_by_status(group_id: int) -> dict[str, list[Card]]:
    """Every card of the group by status, oldest first, in one statement: a facilitator's
    snapshot shows the board, the cards waiting for a decision and those taken off."""
    found: dict[str, list[Card]] = defaultdict(list)
    for card in db.session.scalars(GROUP_CARDS, {"group_id": group_id}):
        found[card.status].append(card)
    return found


# A member's own cards, waiting or on the board: each snapshot of theirs reads them.
MY_CARDS = (select(Card)
            .where(Card.group_id == bindparam("group_id"),
                   Card.participant_id == bindparam("participant_id"),
                   Card.status.in_(("pending", "published")))
            .order_by(Card.id))


def my_cards(group_id: int, participant_id: int) -> tuple[list[Card], list[int]]:
    """A participant's own cards still waiting for moderation, and the ids of those now on
    the board (so they can withdraw them): one statement."""
    pending, published = [], []
    for card in db.session.scalars(MY_CARDS, {"group_id": group_id,
                                              "participant_id": participant_id}):
        (pending if card.status == "pending" else published).append(card)
    return pending, [card.id for card in published]


def group_homework(group_id: int) -> list[Assignment]:
    """List every assignment of the group, for everyone and personal, oldest first."""
    return list(db.session.scalars(GROUP_HOMEWORK, {"group_id": group_id}))
