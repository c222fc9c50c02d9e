"""The real app as ``facilitator serve`` runs it, plus what the bench needs to look inside.

It patches eventlet (and psycopg2) exactly as ``facilitator.entry`` does, brings the schema up
to date, then calls ``facilitator.server.run_server``: the production path. On top it can

* time every garbage collection (``gc.callbacks``) and serve the figures at ``GET /_bench/gc``
  (each read resets them), so each measurement window reports its GC pauses;
* skip ``gc.freeze()`` (``--gc nofreeze``) or set collection thresholds (``--gc-threshold``);
* strip ``Sec-WebSocket-Extensions`` from upgrade requests (``--strip-deflate``), which is how
  permessage-deflate can be turned off in front of eventlet's WebSocket server;
* open SQLite in WAL mode (``--sqlite wal-full`` or ``wal-normal``), the journal fix measured;
* run the fast ways' statements through SQLAlchemy Core instead of ``db.driver.Prepared``'s
  cursor (``--core-statements``): the A/B that decides whether ``Prepared`` stays;
* run another tree's code (``--code-from DIR``, e.g. a ``git worktree`` of an earlier commit),
  so that a change is measured against the code before it in the same run (``run.py
  --variant``).

Usage::

    DATABASE_URL=sqlite:////tmp/x.sqlite3 python bench/app_server.py --port 5100
"""

import eventlet

eventlet.monkey_patch()
from psycogreen.eventlet import patch_psycopg  # noqa: E402

patch_psycopg()

import argparse  # noqa: E402
import gc  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import types  # noqa: E402


class GcTimer:
    """Collects the duration of every garbage collection, by generation."""

    def __init__(self):
        self.started = 0.0
        self.pauses: list[tuple[int, float]] = []

    def __call__(self, phase: str, info: dict) -> None:
        """The ``gc.callbacks`` hook."""
        if phase == "start":
            self.started = time.perf_counter()
        else:
            self.pauses.append((info["generation"], time.perf_counter() - self.started))

    def take(self) -> dict:
        """Return the pauses since the last call (ms, by generation) and start again."""
        pauses, self.pauses = self.pauses, []
        by_gen: dict[str, list[float]] = {"0": [], "1": [], "2": []}
        for generation, seconds in pauses:
            by_gen[str(generation)].append(round(seconds * 1000, 3))
        return {"pauses_ms": by_gen, "threshold": gc.get_threshold(),
                "frozen": gc.get_freeze_count(), "counts": gc.get_count()}


def strip_deflate(wsgi_app):
    """WSGI middleware: never let eventlet see a permessage-deflate offer."""

    def middleware(environ, start_response):
        environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)
        return wsgi_app(environ, start_response)

    return middleware


def sqlite_wal(synchronous: str) -> None:
    """Open every SQLite connection in WAL mode with the given ``synchronous`` level."""
    from sqlalchemy import event

    from facilitator.extensions import db

    def pragmas(connection, _record) -> None:
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.close()

    if db.engine.dialect.name == "sqlite":
        event.listen(db.engine, "connect", pragmas)
        db.engine.dispose()


def core_statements() -> None:
    """Execute every ``driver.Prepared`` statement with Core (``Connection.execute``)."""
    from facilitator.db import driver

    def execute(self, core, _cursor, params):
        return core.execute(self.statement, params)

    driver.Prepared.execute = execute


def main() -> None:
    """Parse the options, prepare the app and serve it until stopped."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5100)
    parser.add_argument("--gc", choices=["freeze", "nofreeze"], default="freeze",
                        help="freeze: as facilitator/server.py does; nofreeze: skip gc.freeze()")
    parser.add_argument("--gc-threshold", default="",
                        help="e.g. 50000,20,100 for gc.set_threshold (default: Python's young "
                             "thresholds and the app's GC_GEN2_THRESHOLD)")
    parser.add_argument("--strip-deflate", action="store_true")
    parser.add_argument("--sqlite", choices=["default", "wal-full", "wal-normal"],
                        default="default",
                        help="SQLite journal: as shipped (rollback journal, synchronous=FULL), "
                             "or WAL with synchronous FULL or NORMAL")
    parser.add_argument("--durable-room-state", action="store_true",
                        help="every commit waits for the disk (ROOM_STATE_WAITS_FOR_DISK)")
    parser.add_argument("--core-statements", action="store_true",
                        help="the fast ways' statements through Core, not driver.Prepared")
    parser.add_argument("--code-from", metavar="DIR",
                        help="import facilitator/ and realtime/ from DIR instead")
    args = parser.parse_args()
    if args.code_from:
        sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in repr(f).lower()]
        sys.path.insert(0, args.code_from)

    from facilitator import create_app, server
    from facilitator.cli import upgrade_schema

    if args.core_statements:
        core_statements()
    app = create_app({"ROOM_STATE_WAITS_FOR_DISK": True} if args.durable_room_state else None)
    timer = GcTimer()
    gc.callbacks.append(timer)
    app.add_url_rule("/_bench/gc", "bench_gc", lambda: timer.take())
    if args.strip_deflate:
        app.wsgi_app = strip_deflate(app.wsgi_app)
    with app.app_context():
        if args.sqlite != "default":
            sqlite_wal(args.sqlite.split("-")[1].upper())
        upgrade_schema()
    if args.gc_threshold:  # the young generations here, the full one through the app's setting
        thresholds = [int(x) for x in args.gc_threshold.split(",")]
        gc.set_threshold(*thresholds)
        app.config["GC_GEN2_THRESHOLD"] = thresholds[2]
    if args.gc == "nofreeze":
        server.gc = types.SimpleNamespace(collect=gc.collect, freeze=lambda: None,
                                          get_threshold=gc.get_threshold,
                                          set_threshold=gc.set_threshold)
    server.run_server(app, args.host, args.port)


if __name__ == "__main__":
    main()
