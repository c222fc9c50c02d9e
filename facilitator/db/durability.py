"""How long a commit waits for the disk: records do, the state of the room need not.

Check-ins, reflections, cards, alerts and attendance are records: their commits wait until
the disk has them (SQLite ``synchronous=FULL``, PostgreSQL's default), so nothing
acknowledged is lost even to a power cut. Which agenda item is current, the timer, a raised
hand and who is connected are the live room's state: the next event rewrites them, so their
commits need not wait. A crash of the process loses neither kind; a power cut may lose the
last moments of room state, never a record.
"""

import sqlite3

from flask import current_app
from sqlalchemy import event
from sqlalchemy.engine import Engine

from ..extensions import db

#: The bind (Flask-SQLAlchemy's ``SQLALCHEMY_BINDS``) of the room-state pool.
ROOM_STATE = "room_state"


def relax_durability() -> None:
    """Let this event's commits skip waiting for the disk. Call it before any write.

    SQLite: ``synchronous=NORMAL`` on the connection until it goes back to the pool, where
    its own level is restored (``FULL`` as the app opens it; SQLite refuses the change
    inside a transaction, hence "before any write"). PostgreSQL: ``synchronous_commit``
    off for the current transaction only.
    With ``ROOM_STATE_WAITS_FOR_DISK`` set, every commit waits (nothing changes).
    """
    if current_app.config.get("ROOM_STATE_WAITS_FOR_DISK"):
        return
    connection = db.session.connection()
    dialect = connection.dialect.name
    if dialect == "sqlite":  # straight to the driver: this runs on every room-state event
        driver = connection.connection.driver_connection
        if "relaxed" not in connection.info:  # the level extensions.sqlite_level_again restores
            connection.info["relaxed"] = driver.execute("PRAGMA synchronous").fetchone()[0]
        driver.execute("PRAGMA synchronous=NORMAL")
    elif dialect == "postgresql":
        connection.exec_driver_sql("SET LOCAL synchronous_commit TO OFF")


def add_room_state_bind(app, options: dict) -> None:
    """Give the app a second pool on the same database whose commits never wait for the disk.

    The most frequent room-state write, the agenda push, runs there (``room_state_engine``)
    and needs no change of setting per event. Not for an in-memory SQLite database (a second
    pool would open another database) or with ``ROOM_STATE_WAITS_FOR_DISK``.
    """
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if app.config.get("ROOM_STATE_WAITS_FOR_DISK") or ":memory:" in url or url == "sqlite://":
        return
    app.config.setdefault("SQLALCHEMY_BINDS", {})[ROOM_STATE] = {"url": url, **options}


def listen_room_state(app) -> None:
    """Make the room-state pool's connections never wait (after ``db.init_app``)."""
    with app.app_context():
        engine = db.engines.get(ROOM_STATE)
    if engine is not None:
        event.listen(engine, "connect", never_wait)


def never_wait(dbapi_connection, record) -> None:
    """Set a new room-state connection's commits not to wait for the disk, for good."""
    record.info["room_state"] = True
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute("PRAGMA synchronous=NORMAL")
        return
    autocommit = dbapi_connection.autocommit
    dbapi_connection.autocommit = True  # a session setting, outside any transaction
    cursor = dbapi_connection.cursor()
    cursor.execute("SET synchronous_commit TO OFF")
    cursor.close()
    dbapi_connection.autocommit = autocommit


def room_state_engine() -> Engine:
    """The engine for room-state writes in Core: the room-state pool, if the app has one."""
    if current_app.config.get("ROOM_STATE_WAITS_FOR_DISK"):
        return db.engine
    return db.engines.get(ROOM_STATE, db.engine)
