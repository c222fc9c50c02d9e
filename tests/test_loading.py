"""The hot path's loader: a row by key becomes the same ORM object ``Session.get`` gives."""

from conftest import make_group
from sqlalchemy import event, inspect

from facilitator.extensions import db
from facilitator.models import GroupSession
from facilitator.services import loading


def test_a_loaded_row_is_a_clean_persistent_object_with_every_column(app):
    world = make_group(app)
    with app.app_context():
        expected = {c.key: getattr(db.session.get(GroupSession, world.session_id), c.key)
                    for c in inspect(GroupSession).column_attrs}
        db.session.remove()
        session = loading.get(GroupSession, world.session_id)
        state = inspect(session)
        assert state.persistent and not db.session.dirty
        assert {key: getattr(session, key) for key in expected} == expected
        assert session.group.id == session.group_id, "relationships load lazily as usual"


def test_a_change_to_it_is_written_as_one_update(app):
    world = make_group(app)
    with app.app_context():
        session = loading.get(GroupSession, world.session_id)
        statements = []
        event.listen(db.engine, "before_cursor_execute",
                     lambda _c, _cur, sql, *_a: statements.append(sql.split()[0]))
        session.timer_label = "Pairs"
        db.session.commit()
        assert statements == ["UPDATE"]
    with app.app_context():
        assert db.session.get(GroupSession, world.session_id).timer_label == "Pairs"


def test_the_session_s_own_object_is_reused_and_a_missing_row_is_none(app):
    world = make_group(app)
    with app.app_context():
        held = db.session.get(GroupSession, world.session_id)
        assert loading.get(GroupSession, world.session_id) is held
        assert loading.get(GroupSession, 10**9) is None
