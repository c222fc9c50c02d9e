"""The hot path's loaders and writes: Core queries that leave the ORM as if it had done them."""

from helpers import PASSWORD, make_group
from sqlalchemy import event, inspect

from facilitator.db import loading
from facilitator.extensions import db
from facilitator.models import Facilitator, GroupSession, Participant
from facilitator.services import groups as rules
from facilitator.services import live
from facilitator.views.auth import load_sender, load_user


def count_statements() -> list[str]:
    """Collect the first word of every SQL statement sent from now on."""
    statements: list[str] = []
    event.listen(db.engine, "before_cursor_execute",
                 lambda _c, _cur, sql, *_a: statements.append(sql.split()[0]))
    return statements


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
        statements = count_statements()
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


def test_a_facilitator_comes_with_the_ids_of_every_group_they_run(app):
    world = make_group(app)
    with app.app_context():
        lead = db.session.get(Facilitator, world.facilitator_id)
        second = rules.create_group(lead, "Thursday group", "Call 988.", "who8").id
        other = make_group(app, name="Someone else's group").group_id
        version = lead.session_version
        db.session.remove()
        statements = count_statements()
        user = load_user(f"f:{world.facilitator_id}:{version}")
        assert user.known_group_ids == {world.group_id, second}
        assert user.runs(world.group_id) and user.runs(second)
        assert len(statements) == 1, "the account and its groups in one query"
        assert not user.runs(other), "a group not known is looked up, and not run"
        assert inspect(user).persistent and not db.session.dirty
        assert [g.id for g in user.groups] == [world.group_id, second]


def test_a_facilitator_of_no_group_signs_in_and_a_stale_cookie_does_not(app):
    with app.app_context():
        lone = rules.create_facilitator("lone@example.org", "Lone", PASSWORD)
        key, version = lone.id, lone.session_version
        db.session.remove()
        user = load_user(f"f:{key}:{version}")
        assert user is not None and user.known_group_ids == frozenset()
        assert user.get_id() == f"f:{key}:{version}"
        db.session.remove()
        assert load_user(f"f:{key}:{version + 1}") is None
        assert load_user(f"f:{10**9}:1") is None


def test_a_group_created_during_the_request_is_run_at_once(app):
    world = make_group(app)
    with app.app_context():
        version = db.session.get(Facilitator, world.facilitator_id).session_version
        db.session.remove()
        user = load_user(f"f:{world.facilitator_id}:{version}")
        new = rules.create_group(user, "New group", "Call 988.", "who8")
        assert user.runs(new.id)


def test_a_sender_and_the_session_they_name_come_in_one_query(app):
    world = make_group(app)
    other = make_group(app, name="Someone else's group")
    with app.app_context():
        version = db.session.get(Facilitator, world.facilitator_id).session_version
        link = db.session.get(Participant, world.participant_ids[0]).active_link.id
        db.session.remove()
        statements = count_statements()
        lead, mine = load_sender(f"f:{world.facilitator_id}:{version}", world.session_id)
        person, theirs = load_sender(f"p:{link}", other.session_id)
        assert len(statements) == 2, "one query each"
        assert lead.known_group_ids == {world.group_id} and person.id == world.participant_ids[0]
        assert loading.get(GroupSession, world.session_id) is mine
        assert inspect(mine).persistent and mine.group_id == world.group_id
        assert loading.get(GroupSession, other.session_id) is theirs, \
            "a session of another group is loaded too: access rules refuse it, not the loader"
        assert len(statements) == 2 and not db.session.dirty
        assert load_sender(f"p:{link}", 10**9) == (person, None), "no such session: the sender"


def test_a_stale_or_revoked_sender_is_nobody_whatever_the_session(app):
    world = make_group(app)
    with app.app_context():
        version = db.session.get(Facilitator, world.facilitator_id).session_version
        member = db.session.get(Participant, world.participant_ids[0])
        link = member.active_link.id
        rules.revoke_link(member)
        db.session.remove()
        nobody = (None, None)
        assert load_sender(f"f:{world.facilitator_id}:{version + 1}", world.session_id) == nobody
        assert load_sender(f"p:{link}", world.session_id) == nobody
        assert load_sender("x:1", world.session_id) == nobody
        lead, session = load_sender(f"f:{world.facilitator_id}:{version}", world.session_id)
        assert lead.id == world.facilitator_id and session.id == world.session_id


def test_an_agenda_push_writes_both_items_and_the_session(app):
    world = make_group(app)
    with app.app_context():
        session = db.session.get(GroupSession, world.session_id)
        first, second = (item.id for item in session.agenda[:2])
        live.start_session(session)
        live.activate_item(session, first)
        shown = live.activate_item(session, second)
        assert (shown.id, shown.status) == (second, "active")
        assert isinstance(shown, live.ActiveItem), "a record of the push, not an ORM object"
        assert session.current_item_id == second and not db.session.dirty
        statuses = {item.id: item.status for item in session.agenda}
        assert statuses[first] == "done" and statuses[second] == "active", \
            "agenda items loaded before the push are read again"
    with app.app_context():
        session = db.session.get(GroupSession, world.session_id)
        assert session.current_item_id == second
        assert [item.status for item in session.agenda].count("active") == 1
