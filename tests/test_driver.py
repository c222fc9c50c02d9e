"""Statements run on the driver's cursor (services.driver) store and refuse what Core would."""

from datetime import datetime

import pytest
from sqlalchemy import String, bindparam, cast, event, insert, select
from sqlalchemy.exc import IntegrityError

from facilitator.extensions import db
from facilitator.models import Receipt
from facilitator.services import driver
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
