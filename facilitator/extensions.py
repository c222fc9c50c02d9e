"""The extension objects, unbound; ``create_app`` binds them to an app."""

import sqlite3

from flask_login import LoginManager
from flask_migrate import Migrate
from flask_socketio import SocketIO
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.pool import Pool

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base whose constraints get stable names for migrations."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


@event.listens_for(Engine, "connect")
def sqlite_pragmas(dbapi_connection, _record) -> None:
    """Put SQLite in WAL mode: one fsync per commit instead of three, readers never blocked.

    ``synchronous=FULL`` keeps every acknowledged commit through a power cut, not only a
    crash of the process: this is health data.
    """
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()


@event.listens_for(Pool, "checkin")
def sqlite_level_again(dbapi_connection, record) -> None:
    """A connection relaxed for one event gets its own level back (``db.durability``).

    That is ``FULL`` as ``sqlite_pragmas`` opens it, or whatever a benchmark set instead.
    (A connection of the room-state pool never waits: ``durability.never_wait``.)
    """
    level = record.info.pop("relaxed", None) if record is not None else None
    if level is not None:
        dbapi_connection.execute(f"PRAGMA synchronous={int(level)}")


# Handlers commit and then publish from the rows they just wrote; expiring them would
# re-SELECT each one. Every event and request has its own session, so nothing goes stale.
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
login_manager = LoginManager()
socketio = SocketIO()
csrf = CSRFProtect()
migrate = Migrate()
