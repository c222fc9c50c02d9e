"""Records wait for the disk at commit; the live room's state need not (db.durability).

Each commit is observed on the real connection: SQLite's ``synchronous`` level (2 = FULL,
1 = NORMAL) or PostgreSQL's ``synchronous_commit`` for the committing transaction.
"""

from helpers import emit, joined
from helpers.scenes import client_id, ok, scene
from sqlalchemy import event

from facilitator.extensions import db

DURABLE = {"sqlite": "2", "postgresql": "on"}
RELAXED = {"sqlite": "1", "postgresql": "off"}


def watch_commits(app) -> tuple[list[str], str]:
    """Record the durability level of every commit from now on; the list and the dialect."""
    seen: list[str] = []
    with app.app_context():
        engines = list(db.engines.values())  # the room-state pool's too
    dialect = engines[0].dialect.name
    query = "PRAGMA synchronous" if dialect == "sqlite" else "SHOW synchronous_commit"

    def on_commit(connection):
        seen.append(str(connection.exec_driver_sql(query).scalar()))

    for engine in engines:
        event.listen(engine, "commit", on_commit)
    return seen, dialect


def test_a_checkin_after_room_state_changes_waits_for_the_disk(app, world):
    stage = scene(app, world, people=1)
    item = joined(stage.fac, stage.sid)["agenda"][1]["id"]
    seen, dialect = watch_commits(app)
    ok(emit(stage.fac, "agenda:activate", {"session_id": stage.sid, "item_id": item}))
    ok(emit(stage.people[0], "hand:raise", {"session_id": stage.sid}))
    ok(emit(stage.fac, "timer:start", {"session_id": stage.sid, "seconds": 60, "label": "Pairs"}))
    relaxed = list(seen)
    seen.clear()
    ok(emit(stage.people[0], "checkin:submit", {"session_id": stage.sid,
                                                 "client_id": client_id(), "mood": 4}))
    ok(emit(stage.people[0], "card:submit", {"session_id": stage.sid, "client_id": client_id(),
                                              "text": "Sundays", "problem_area": "grief"}))
    assert relaxed and set(relaxed) == {RELAXED[dialect]}
    assert len(seen) >= 2 and set(seen) == {DURABLE[dialect]}


def test_an_installation_can_make_every_commit_wait(app, world):
    app.config["ROOM_STATE_WAITS_FOR_DISK"] = True
    stage = scene(app, world, people=1)
    item = joined(stage.fac, stage.sid)["agenda"][1]["id"]
    seen, dialect = watch_commits(app)
    ok(emit(stage.fac, "agenda:activate", {"session_id": stage.sid, "item_id": item}))
    ok(emit(stage.people[0], "hand:raise", {"session_id": stage.sid}))
    assert len(seen) >= 2 and set(seen) == {DURABLE[dialect]}


#: A level other than the app's, as a benchmark may open connections with, and how it reads.
OPENED_AT = {"sqlite": ("PRAGMA synchronous=EXTRA", "3"),
             "postgresql": ("SET synchronous_commit TO local", "local")}


def test_a_relaxed_connection_gets_its_own_level_back(app, world):
    """After a room-state event, a connection commits records at the level it was opened with.

    A benchmark may open connections at another level than the app's; after a relaxed event
    SQLite's used to come back at FULL, so records waited for the disk where the benchmark
    meant them not to.
    """
    with app.app_context():
        statement, _level = OPENED_AT[db.engine.dialect.name]

        def open_at_another_level(connection, _record) -> None:
            """Open a connection at ``OPENED_AT``'s level instead of the app's."""
            cursor = connection.cursor()
            cursor.execute(statement)
            cursor.close()
            connection.commit()

        event.listen(db.engine, "connect", open_at_another_level)
        db.engine.dispose()
    stage = scene(app, world, people=1)
    seen, dialect = watch_commits(app)
    for _ in range(3):  # each pooled connection the events take is relaxed at least once
        ok(emit(stage.people[0], "hand:raise", {"session_id": stage.sid}))
        ok(emit(stage.people[0], "hand:lower", {"session_id": stage.sid}))
    relaxed = list(seen)
    seen.clear()
    for _ in range(3):
        ok(emit(stage.people[0], "checkin:submit", {"session_id": stage.sid,
                                                     "client_id": client_id(), "mood": 4}))
    assert relaxed and set(relaxed) == {RELAXED[dialect]}
    assert len(seen) >= 3 and set(seen) == {OPENED_AT[dialect][1]}
