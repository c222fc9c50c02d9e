"""How long a commit waits for the disk: records do, the state of the room need not.

Check-ins, reflections, cards, alerts and attendance are records: their commits wait until
the disk has them (SQLite ``synchronous=FULL``, PostgreSQL's default), so nothing
acknowledged is lost even to a power cut. Which agenda item is current, the timer, a raised
hand and who is connected are the live room's state: the next event rewrites them, so their
commits need not wait. A crash of the process loses neither kind; a power cut may lose the
last moments of room state, never a record.
"""

from flask import current_app

from ..extensions import db


def relax_durability() -> None:
    """Let this event's commits skip waiting for the disk. Call it before any write.

    SQLite: ``synchronous=NORMAL`` on the connection until it goes back to the pool, where
    ``FULL`` is restored (SQLite refuses the change inside a transaction, hence "before any
    write"). PostgreSQL: ``synchronous_commit`` off for the current transaction only.
    With ``ROOM_STATE_WAITS_FOR_DISK`` set, every commit waits (nothing changes).
    """
    if current_app.config.get("ROOM_STATE_WAITS_FOR_DISK"):
        return
    connection = db.session.connection()
    dialect = connection.dialect.name
    if dialect == "sqlite":  # straight to the driver: this runs on every room-state event
        connection.connection.driver_connection.execute("PRAGMA synchronous=NORMAL")
    elif dialect == "postgresql":
        connection.exec_driver_sql("SET LOCAL synchronous_commit TO OFF")
