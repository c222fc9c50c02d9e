"""Records wait for the disk at commit; the live room's state need not (services.durability).

Each commit is observed on the real connection: SQLite's ``synchronous`` level (2 = FULL,
1 = NORMAL) or PostgreSQL's ``synchronous_commit`` for the committing transaction.
"""

from conftest import emit, joined
from live_helpers import client_id, ok, scene
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
