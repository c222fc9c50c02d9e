"""Running a session: its status, agenda, timer, presence and raised hands."""

import functools
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import (
    DateTime,
    bindparam,
    case,
    cast,
    delete,
    exists,
    literal,
    null,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm.attributes import set_committed_value

from ..db import driver
from ..db.durability import room_state_engine
from ..extensions import db
from ..models import (
    AgendaItem,
    Attendance,
    Connection,
    Facilitator,
    Group,
    GroupSession,
    JoinLink,
    Participant,
    utcnow,
)
from . import Refused, access

MAX_TIMER_SECONDS = 4 * 60 * 60
CONNECTION_FIELDS = ("worker", "kind", "person_id", "session_id")  # a reconnect moves these
HAND = "hand"  # who_is_here's mark of a raised hand (a connection's kind is never this)


def start_session(session: GroupSession) -> GroupSession:
    """Make a scheduled session live (starting a live one again changes nothing)."""
    if session.status == "ended":
        raise Refused("conflict", "This session has ended and cannot start again.")
    if session.status == "scheduled":
        session.status = "live"
        session.started_at = utcnow()
        for person_id in waiting_participants(session.id):
            attendance_for(session.id, person_id)
        db.session.commit()
    return session


def waiting_participants(session_id: int) -> set[int]:
    """Participants already connected to a session's page (present when it starts)."""
    return {person_id for kind, person_id in online_people(session_id) if kind == "participant"}


def end_session(session: GroupSession) -> GroupSession:
    """End a live session; its timer stops and the current agenda item is done."""
    if session.status == "scheduled":
        raise Refused("conflict", "This session has not started.")
    if session.status == "live":
        session.status = "ended"
        session.ended_at = utcnow()
        session.timer_ends_at = None
        for item in session.agenda:
            if item.status == "active":
                item.status = "done"
        db.session.commit()
    return session


# A facilitator's agenda push, the most frequent write of a live session, in two Core
# statements: the item becomes active and the one active before it done (answering with the
# rows it changed), and the session points at it. (Loading the agenda as objects and
# flushing them cost more than both; measured in docs/performance.md.)
_ITEMS = AgendaItem.__table__
THE_ITEM = select(_ITEMS.c.id).where(
    _ITEMS.c.id == bindparam("item"), _ITEMS.c.session_id == bindparam("session"))
MAKE_ACTIVE = (
    update(_ITEMS)
    .where(_ITEMS.c.session_id == bindparam("session"),
           or_(_ITEMS.c.id == bindparam("item"), _ITEMS.c.status == "active"))
    .values(status=case((_ITEMS.c.id == bindparam("item"), "active"), else_="done"))
    .returning(_ITEMS.c.id, _ITEMS.c.title, _ITEMS.c.kind)
)
POINT_AT = (
    update(GroupSession.__table__)
    .where(GroupSession.__table__.c.id == bindparam("session"))
    .values(current_item_id=bindparam("item"))
)
NO_SUCH_ITEM = ("not_found", "There is no such agenda item in this session.")


@dataclass(frozen=True, slots=True)
class ActiveItem:
    """The agenda item a push made current: what ``agenda:changed`` shows of it.

    ``phase`` is its session's IPT phase: an item's ``now`` line and script depend on it.
    """

    id: int
    title: str
    kind: str
    phase: str
    status: str = "active"
    plan: str | None = None  # the group's course plan and the session's number there:
    number: int | None = None  # the item's texts come from that session's specification


def activate_item(session: GroupSession, item_id: int) -> ActiveItem:
    """Make one agenda item current; the one before it is marked done.

    Returns the item as it now is (``ActiveItem``, what ``agenda:changed`` is built from).
    The loaded session points at it, unchanged to the ORM; agenda items this database
    session had loaded are expired.
    """
    connection = db.session.connection()
    values = {"session": session.id, "item": item_id}
    if session.status == "ended":
        if connection.execute(THE_ITEM, values).first() is None:
            raise Refused(*NO_SUCH_ITEM)
        raise Refused("conflict", "The session has ended.")
    changed = connection.execute(MAKE_ACTIVE, values).all()
    row = next((each for each in changed if each.id == item_id), None)
    if row is None:  # not an item of this session: undo what the statement changed
        db.session.rollback()
        raise Refused(*NO_SUCH_ITEM)
    connection.execute(POINT_AT, values)
    set_committed_value(session, "current_item_id", item_id)
    for loaded in session.__dict__.get("agenda", ()):
        db.session.expire(loaded)
    db.session.commit()  # nothing expires on commit (extensions.db): no reload to publish
    return ActiveItem(row.id, row.title, row.kind, session.phase, plan=session.group.template,
                      number=session.number)


# The same push with the sender's rights checked inside the write (``activate_item_as``):
# the session points at the item only if it has not ended, the item is one of its own, and
# the facilitator runs its group and has not signed out since (``session_version``).
_SESSIONS = GroupSession.__table__
POINT_IF_ALLOWED = driver.Prepared(
    update(_SESSIONS)
    .where(_SESSIONS.c.id == bindparam("session"), _SESSIONS.c.status != "ended",
           exists().where(_ITEMS.c.id == bindparam("item"),
                          _ITEMS.c.session_id == bindparam("session")),
           access.runs_group_sql(_SESSIONS.c.group_id))
    .values(current_item_id=bindparam("item"))
    .returning(_SESSIONS.c.phase, _SESSIONS.c.number,
               select(Group.template).where(Group.id == _SESSIONS.c.group_id)
               .scalar_subquery())
)
MAKE_ACTIVE_PREPARED = driver.Prepared(MAKE_ACTIVE)


def activate_item_as(facilitator_id: int, version: int, session_id: int,
                     item_id: int) -> ActiveItem | None:
    """Make an item current if everything ``activate_item`` and signing in check allows it.

    Two statements on the room-state pool (``durability.room_state_engine``), run on the
    driver (``db.driver``), and no object loaded: the sender and the session are
    checked by the first write itself. Returns the item as ``activate_item`` does, or None
    with nothing changed when any check fails; the caller then goes the ordinary way
    (sign-in, ``access.load_session``, ``activate_item``), which says which check it was.
    """
    values = {"session": session_id, "item": item_id, "facilitator": facilitator_id,
              "version": version}
    with driver.connection(room_state_engine()) as (core, cursor):
        pointed = POINT_IF_ALLOWED.execute(core, cursor, values).fetchall()
        if len(pointed) != 1:
            core.rollback()
            return None
        changed = MAKE_ACTIVE_PREPARED.execute(core, cursor, values).fetchall()
        row = next((each for each in changed if each[0] == item_id), None)
        if row is None:  # the item went away in between: undo, and go the ordinary way
            core.rollback()
            return None
        core.commit()
    _id, title, kind = row
    phase, number, plan = pointed[0]
    return ActiveItem(item_id, title, kind, phase, plan=plan, number=number)


def start_timer(session: GroupSession, seconds: int, label: str) -> GroupSession:
    """Start (or restart) the session's timer."""
    if not 1 <= seconds <= MAX_TIMER_SECONDS:
        raise Refused("invalid", "A timer runs from 1 second to 4 hours.")
    session.timer_seconds = seconds
    session.timer_label = label
    session.timer_ends_at = utcnow() + timedelta(seconds=seconds)
    db.session.commit()
    return session


def stop_timer(session: GroupSession) -> GroupSession:
    """Stop the session's timer."""
    session.timer_ends_at = None
    db.session.commit()
    return session


def attendance_for(session_id: int, participant_id: int) -> Attendance:
    """Return the participant's attendance row for a session, creating it on first sight.

    ``INSERT ... ON CONFLICT DO NOTHING``: two devices joining at once cannot collide.
    """
    mark_attended(session_id, participant_id)
    return db.session.scalars(
        select(Attendance).where(
            Attendance.session_id == session_id, Attendance.participant_id == participant_id
        )
    ).one()


# Whether a member's attendance of a session is recorded: each of their joins asks.
ATTENDED = select(Attendance.id).where(Attendance.session_id == bindparam("session_id"),
                                       Attendance.participant_id == bindparam("participant_id"))


def attendance_to_record(participant_id: int, session: GroupSession) -> bool:
    """Tell whether joining ``session`` now records the participant's attendance (it is
    live and they have no row yet). Plain Core on the event's connection: the ORM's own
    execution costs twice the query here, and attendance is written in Core too."""
    if session.status != "live":
        return False
    return db.session.connection().execute(ATTENDED, {
        "session_id": session.id, "participant_id": participant_id}).first() is None


def dialect_insert(dialect: str | None = None):
    """The database's own ``insert`` (it has ``on_conflict_do_nothing`` / ``_do_update``);
    ``dialect``: its name, else the session's database."""
    dialect = dialect or db.session.get_bind().dialect.name
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


def mark_attended(session_id: int, participant_id: int) -> None:
    """Record that the participant came to the session, unless that is known already."""
    db.session.execute(
        dialect_insert()(Attendance)
        .values(session_id=session_id, participant_id=participant_id, first_seen_at=utcnow())
        .on_conflict_do_nothing(index_elements=["session_id", "participant_id"])
    )


def raise_hand(session: GroupSession, participant_id: int) -> None:
    """Raise a participant's hand; only while the session runs, where they are present."""
    access.require_live(session)
    row = attendance_for(session.id, participant_id)
    if row.hand_raised_at is None:
        row.hand_raised_at = utcnow()
    db.session.commit()


def lower_hand(session: GroupSession, participant_id: int) -> None:
    """Lower a participant's hand; never records attendance (lowering is not being there)."""
    db.session.execute(
        update(Attendance)
        .where(Attendance.session_id == session.id, Attendance.participant_id == participant_id)
        .values(hand_raised_at=None)
    )
    db.session.commit()


def place_connection(sid: str, worker: str, user, session_id: int | None) -> None:
    """Write a connection's row (whose, which worker, which session) in one upsert on the
    room-state pool (``durability.room_state_engine``), committed at once: who is connected
    is room state, and a restart's whole room connects and joins within seconds."""
    write_connection(connection_upsert, {
        "sid": sid, "worker": worker, "kind": user.kind, "person_id": user.id,
        "session_id": session_id, "connected_at": utcnow()})


def write_connection(statement_for, values: dict) -> int:
    """Run a connection row's upsert (``statement_for(dialect)``) on the room-state pool and
    commit it at once; return how many rows it wrote."""
    with driver.connection(room_state_engine()) as (core, cursor):
        written = statement_for(core.dialect.name).execute(core, cursor, values).rowcount
        core.commit()
    return written


@functools.cache
def connection_upsert(dialect: str) -> driver.Prepared:
    """The connection row's upsert, built once per dialect with its values bound at run time
    and run on the driver (``db.driver``): building, keying and executing the statement
    through Core cost more than running it, twice per person when a restart's whole room
    reconnects (docs/performance.md)."""
    return upsert_on_sid(dialect_insert(dialect)(Connection.__table__))


def upsert_on_sid(statement) -> driver.Prepared:
    """A connection row's ``INSERT`` made an upsert: a sid seen again takes the new values
    (``CONNECTION_FIELDS``); prepared for the driver."""
    return driver.Prepared(statement.on_conflict_do_update(
        index_elements=["sid"],
        set_={name: statement.excluded[name] for name in CONNECTION_FIELDS}))


def record_connection(sid: str, worker: str, user) -> None:
    """Remember a new live connection of a facilitator or participant (in no session yet)."""
    place_connection(sid, worker, user, None)


def record_connection_as(sid: str, worker: str, kind: str, number: int,
                         version: int | None = None) -> bool:
    """Remember a new connection of the facilitator ``number`` (signed in at ``version``) or
    of the holder of join link ``number``, if that sign-in still holds; tell whether it did.

    The connect's fast way: one upsert on the room-state pool whose ``SELECT`` checks the
    sign-in as loading it would (``access.version_holds_sql``, ``access.link_holds_sql``),
    so nobody is loaded. Nothing is written when the check fails; the caller then goes the
    ordinary way (sign-in, ``record_connection``), which refuses.
    """
    return write_connection(lambda dialect: connection_as(dialect, kind), {
        "sid": sid, "worker": worker, "person": number, "version": version,
        "now": utcnow()}) == 1


@functools.cache
def connection_as(dialect: str, kind: str) -> driver.Prepared:
    """``record_connection_as``' upsert for one kind of sign-in, built once per dialect."""
    columns = Connection.__table__.c
    fixed = (bindparam("sid", type_=columns.sid.type),
             bindparam("worker", type_=columns.worker.type), literal(kind))
    now = bindparam("now", type_=columns.connected_at.type)
    if kind == "facilitator":
        accounts = Facilitator.__table__
        source = (select(*fixed, accounts.c.id, null(), now)
                  .where(accounts.c.id == bindparam("person"),
                         access.version_holds_sql(accounts.c)))
    else:
        links, members = JoinLink.__table__, Participant.__table__
        source = (select(*fixed, links.c.participant_id, null(), now)
                  .join_from(links, members, members.c.id == links.c.participant_id)
                  .where(links.c.id == bindparam("person"), access.link_holds_sql(links.c)))
    return upsert_on_sid(dialect_insert(dialect)(Connection.__table__).from_select(
        ["sid", "worker", "kind", "person_id", "session_id", "connected_at"], source))


def enter_session(sid: str, worker: str, user, session: GroupSession) -> None:
    """Place a connection in a session; a participant's attendance is recorded (a record:
    its commit waits for the disk). A reconnect, whose attendance is known, writes only its
    connection row (``place_connection``)."""
    place_connection(sid, worker, user, session.id)
    if user.kind == "participant" and attendance_to_record(user.id, session):
        mark_attended(session.id, user.id)
        db.session.commit()  # presence and the snapshot read the session next, without a reload


def forget_connection(sid: str) -> int | None:
    """Forget a closed connection; return the session it was in, if any."""
    connection = db.session.get(Connection, sid)
    if connection is None:
        return None
    session_id = connection.session_id
    db.session.delete(connection)
    db.session.commit()
    return session_id


def forget_worker(worker: str) -> None:
    """Forget every connection a worker held (it restarted, so none is open)."""
    db.session.execute(delete(Connection).where(Connection.worker == worker))
    db.session.commit()


def connection_sids(kind: str, person_id: int) -> list[str]:
    """List the open connections of one person, on every worker."""
    return list(
        db.session.scalars(
            select(Connection.sid).where(
                Connection.kind == kind, Connection.person_id == person_id
            )
        )
    )


def watched_sessions(group_id: int) -> list[GroupSession]:
    """The group's sessions that someone has open right now, on any worker."""
    return list(db.session.scalars(
        select(GroupSession).where(
            GroupSession.group_id == group_id,
            GroupSession.id.in_(select(Connection.session_id).distinct()),
        ).order_by(GroupSession.id)
    ))


def online_people(session_id: int) -> set[tuple[str, int]]:
    """Return ``(kind, person_id)`` of everyone connected to the session."""
    rows = db.session.execute(
        select(Connection.kind, Connection.person_id).where(Connection.session_id == session_id)
    )
    return {(kind, person_id) for kind, person_id in rows}


# Who is connected to a session and whose hand is up, in one statement (built once).
WHO_IS_HERE = union_all(
    select(Connection.kind, Connection.person_id, cast(null(), DateTime).label("at"))
    .where(Connection.session_id == bindparam("session_id")),
    select(literal(HAND).label("kind"), Attendance.participant_id, Attendance.hand_raised_at)
    .where(Attendance.session_id == bindparam("session_id"),
           Attendance.hand_raised_at.is_not(None)))


def who_is_here(session_id: int) -> tuple[set[tuple[str, int]], dict[int, object]]:
    """``online_people`` and ``raised_hands`` of the session in one statement (each join's
    snapshot and each ``presence`` read both)."""
    online, raised = set(), {}
    for kind, person_id, at in db.session.execute(WHO_IS_HERE, {"session_id": session_id}):
        if kind == HAND:
            raised[person_id] = at
        else:
            online.add((kind, person_id))
    return online, raised
