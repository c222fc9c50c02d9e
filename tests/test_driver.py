"""Statements run on the driver's cursor (db.driver) store and refuse what Core would."""

import sqlite3
from datetime import datetime

import pytest
from sqlalchemy import String, bindparam, cast, event, insert, select
from sqlalchemy.exc import IntegrityError

from facilitator.db import driver
from facilitator.extensions import db
from facilitator.models import Receipt
from facilitator.services.receipts import ADD_RECEIPT_PREPARED

ADD = ADD_RECEIPT_PREPARED  # a receipt, as a participant's card writes it
# A whole second: str() of such a datetime drops the fraction, the dialect's processor not.
MOMENT = datetime(2026, 11, 29, 21, 0, 0)


def receipt(client_id: str, **changes) -> dict:
    """The values of one receipt."""
    return {"actor": "participant:1", "client_id": client_id, "event": "card:submit",
            "answer": {"card_id": 7, "status": "pending", "note": "é"},
            "created_at": MOMENT, **changes}


def stored_text(client_id: str) -> tuple:
    """A receipt's columns as the database holds them, as text."""
    table = Receipt.__table__
    return db.session.execute(select(
        table.c.actor, table.c.event, cast(table.c.answer, String),
        cast(table.c.created_at, String)).where(table.c.client_id == client_id)).one()


def test_a_prepared_insert_stores_exactly_what_core_stores(app):
    with app.app_context():
        with db.engine.begin() as core:
            core.execute(insert(Receipt.__table__), receipt("by-core"))
        with driver.connection(db.engine) as (core, cursor):
            ADD.execute(core, cursor, receipt("by-driver"))
            core.commit()
        assert stored_text("by-driver") == stored_text("by-core")
        loaded = db.session.scalars(select(Receipt).where(Receipt.client_id == "by-driver")).one()
        assert loaded.created_at == MOMENT
        assert loaded.answer == {"card_id": 7, "status": "pending", "note": "é"}


def test_constants_are_sent_and_listeners_see_each_statement(app):
    seen: list[str] = []
    find = driver.Prepared(select(Receipt.client_id).where(
        Receipt.event == "card:submit", Receipt.actor == bindparam("actor")))
    with app.app_context(), driver.connection(db.engine) as (core, cursor):
        ADD.execute(core, cursor, receipt("a"))
        ADD.execute(core, cursor, receipt("b", event="checkin:submit"))
        event.listen(db.engine, "before_cursor_execute",
                     lambda _c, _cur, sql, *_a: seen.append(sql.split()[0]))
        found = find.execute(core, cursor, {"actor": "participant:1"}).fetchall()
        core.commit()
    assert [row[0] for row in found] == ["a"], "only the card's receipt: the constant counted"
    assert seen == ["SELECT"]


def test_a_listener_that_notes_things_on_the_execution_context_still_works(app):
    def note_start(context, **_kw):  # as Flask-SQLAlchemy's SQLALCHEMY_RECORD_QUERIES does
        context.started = True

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", note_start, named=True)
        with driver.connection(db.engine) as (core, cursor):
            ADD.execute(core, cursor, receipt("noted"))
            core.commit()
        assert db.session.scalars(select(Receipt.client_id)).all() == ["noted"]


def test_after_cursor_execute_listeners_see_the_statement_and_the_same_context(app):
    seen: list[tuple[str, bool]] = []

    def before(context, **_kw):
        context.started = True

    def after(statement, context, **_kw):  # as a query timer or a statement counter reads it
        seen.append((statement.split()[0], getattr(context, "started", False)))

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", before, named=True)
        event.listen(db.engine, "after_cursor_execute", after, named=True)
        with driver.connection(db.engine) as (core, cursor):
            ADD.execute(core, cursor, receipt("timed"))
            core.commit()
    assert seen == [("INSERT", True)]


def test_a_refused_write_raises_core_s_error_and_keeps_nothing_of_its_transaction(app):
    with app.app_context():
        with driver.connection(db.engine) as (core, cursor):
            ADD.execute(core, cursor, receipt("first"))
            core.commit()
        with driver.connection(db.engine) as (core, cursor):
            ADD.execute(core, cursor, receipt("second"))
            with pytest.raises(IntegrityError):
                ADD.execute(core, cursor, receipt("first"))
            core.rollback()
        with driver.connection(db.engine) as (core, cursor):  # the pool's connection still works
            ADD.execute(core, cursor, receipt("third"))
        ids = db.session.scalars(select(Receipt.client_id).order_by(Receipt.id)).all()
    assert ids == ["first"], "no 'second' (rolled back), no 'third' (never committed)"


def test_a_list_parameter_cannot_be_prepared(app):
    many = driver.Prepared(select(Receipt.id).where(
        Receipt.id.in_(bindparam("ids", expanding=True))))
    with app.app_context(), pytest.raises(ValueError, match="single-valued"):
        many.form(db.engine.dialect)


def test_what_an_event_left_uncommitted_is_rolled_back_before_the_next_event(app):
    with app.app_context():
        with driver.connection(db.engine) as (core, cursor):
            ADD.execute(core, cursor, receipt("left-open"))
        with driver.connection(db.engine) as (core, cursor):
            ADD.execute(core, cursor, receipt("next"))
            core.commit()
        ids = db.session.scalars(select(Receipt.client_id)).all()
    assert ids == ["next"]


def test_on_sqlite_the_connection_waits_for_the_next_event_until_the_engine_is_disposed(app):
    with app.app_context():
        engine, on_file = db.engine, db.engine.dialect.name == "sqlite"
        with driver.connection(engine) as (core, _cursor):
            first = core.connection.dbapi_connection
        with driver.connection(engine) as (core, _cursor):
            assert (core.connection.dbapi_connection is first) or not on_file
        assert engine.pool.checkedout() == (1 if on_file else 0), "PostgreSQL: the pool pings"
        engine.dispose()
        if on_file:
            with pytest.raises(sqlite3.ProgrammingError, match="closed"):
                first.execute("SELECT 1")
        with driver.connection(engine) as (core, cursor):
            ADD.execute(core, cursor, receipt("after"))
            core.commit()
        assert db.session.scalars(select(Receipt.client_id)).all() == ["after"]


def test_an_event_meanwhile_gets_a_connection_of_its_own(app):
    with app.app_context():
        with driver.connection(db.engine) as (outer, outer_cursor):
            with driver.connection(db.engine) as (inner, inner_cursor):
                assert inner.connection.dbapi_connection is not outer.connection.dbapi_connection
                ADD.execute(inner, inner_cursor, receipt("inner"))
                inner.commit()
            ADD.execute(outer, outer_cursor, receipt("outer"))
            outer.commit()
        parked = 1 if db.engine.dialect.name == "sqlite" else 0
        assert db.engine.pool.checkedout() == parked, "one is kept, the other went back"
        ids = db.session.scalars(select(Receipt.client_id).order_by(Receipt.client_id)).all()
    assert ids == ["inner", "outer"]


def test_after_an_error_the_connection_goes_back_to_the_pool_and_the_next_event_works(app):
    with app.app_context():
        with pytest.raises(RuntimeError), driver.connection(db.engine) as (core, cursor):
            ADD.execute(core, cursor, receipt("lost"))
            raise RuntimeError("the handler failed")
        assert db.engine.pool.checkedout() == 0
        with driver.connection(db.engine) as (core, cursor):
            ADD.execute(core, cursor, receipt("kept"))
            core.commit()
        assert db.session.scalars(select(Receipt.client_id)).all() == ["kept"]
