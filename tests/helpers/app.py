"""The test app's configuration and its database: the migrated schema, built once."""

import os

from facilitator import create_app
from facilitator.extensions import db

TEST_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret",
    "SOCKETIO_ASYNC_MODE": "threading",
    "MESSAGE_QUEUE_URL": None,
    "WORKER_ID": "test",
    # Cheaper scrypt for speed; the production parameters are tested on their own.
    "PASSWORD_HASH_METHOD": "scrypt:16384:8:1",
    # One ``presence`` per join or leave, at once (the coalescing has its own test).
    "PRESENCE_COALESCE_SECONDS": 0,
}


def postgres_url() -> str | None:
    """The PostgreSQL test database, when TEST_DATABASE_URL names one."""
    return os.environ.get("TEST_DATABASE_URL") or None


def build_schema(url: str) -> None:
    """Drop every table, then build the schema from the migrations, as production does."""
    from flask import current_app
    from flask_migrate import upgrade
    from sqlalchemy import text

    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        upgrade(directory=current_app.extensions["migrate"].directory)
        for engine in db.engines.values():
            engine.dispose()


DEADLOCK = "40P01"  # PostgreSQL's SQLSTATE for "deadlock detected"


def empty_tables(attempts: int = 3) -> None:
    """Empty every table of the PostgreSQL test database (the schema stays).

    A connection the previous test's server ended in the background (``end_connection_soon``)
    may still be forgetting its row when this starts: PostgreSQL then breaks the deadlock by
    aborting one side. If that is the ``TRUNCATE``, it runs again, and waits for the other's
    locks as any statement does.
    """
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    names = ", ".join(t.name for t in db.metadata.sorted_tables)
    for attempt in range(attempts):
        try:
            with db.engine.begin() as connection:
                connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            return
        except OperationalError as exc:
            if getattr(exc.orig, "pgcode", None) != DEADLOCK or attempt == attempts - 1:
                raise
