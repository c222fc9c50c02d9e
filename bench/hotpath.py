"""Server-side cost of one live event, without the transport: SQL statements and CPU time.

Flask-SocketIO's test client runs the real handlers (``realtime.dispatch.run``: sign-in,
rate limit, validation, the rule, the publish) in this process, so the number of SQL
statements an event issues is exact and repeatable, and CPU time per event
(``time.process_time``) is far less noisy on a shared machine than latency under load.
This is how the fixes in docs/performance.md were measured before and after. Usage::

    python bench/hotpath.py [--events 300] [--no-expire-on-commit] [--sqlite wal-normal]
                            [--profile-reconnect 40]

``reconnect`` is a restart's cost per person: all twelve of a live group connect and join
again, one after the other, after all of them were dropped (``--profile-reconnect N`` prints
cProfile's busiest functions over N such rounds instead of the figures).
"""

import argparse
import atexit
import cProfile
import io
import json
import os
import pstats
import re
import shutil
import sys
import tempfile
import time
import uuid
import warnings

NAMESPACE = "/live"


def measure(sock, event: str, payloads, counter: list[int]) -> dict:
    """Send ``event`` once per payload; return statements and CPU microseconds per event."""
    return measure_turns([(sock, event, payload) for payload in payloads], counter)


def measure_turns(turns, counter: list[int]) -> dict:
    """Send each ``(sock, event, payload)`` in order; return statements and CPU per event.

    Events of different kinds in turn, as in a live room: each one's connection then finds
    that another connection wrote in between (SQLite drops its page cache then).
    """
    counter[0] = 0
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for sock, event, payload in turns:
        ack = sock.emit(event, payload, namespace=NAMESPACE, callback=True)
        if not ack.get("ok"):
            raise RuntimeError(f"{event}: {ack}")
        sock.get_received(NAMESPACE)
    count = len(turns)
    return {"statements": round(counter[0] / count, 2),
            "cpu_us": round((time.process_time() - cpu0) / count * 1e6),
            "wall_us": round((time.perf_counter() - wall0) / count * 1e6)}


def reconnect_rounds(app, socketio, clients: list, session_id: int, rounds: int,
                     counter: list[int]) -> dict:
    """Drop every client of a group, then connect and join each again; per person figures."""
    counter[0] = 0
    cpu0, wall0 = time.process_time(), time.perf_counter()
    socks = []
    for _ in range(rounds):
        for sock in socks:
            sock.disconnect(namespace=NAMESPACE)
        socks = []
        for http in clients:
            sock = socketio.test_client(app, namespace=NAMESPACE, flask_test_client=http)
            ack = sock.emit("session:join", {"session_id": session_id}, namespace=NAMESPACE,
                            callback=True)
            if not ack.get("ok"):
                raise RuntimeError(f"session:join: {ack}")
            socks.append(sock)
        for sock in socks:
            sock.get_received(NAMESPACE)
    count = rounds * len(clients)
    return {"statements": round(counter[0] / count, 2),
            "cpu_us": round((time.process_time() - cpu0) / count * 1e6),
            "wall_us": round((time.perf_counter() - wall0) / count * 1e6)}


def main() -> None:
    """Build a one-group world, sign in, and time each hot event."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=300)
    parser.add_argument("--no-expire-on-commit", action="store_true",
                        help="measure db.session with expire_on_commit=False")
    parser.add_argument("--sqlite", choices=["default", "wal-normal", "wal-full"],
                        default="wal-normal",
                        help="journal mode (default wal-normal: leave fsync out of CPU time)")
    parser.add_argument("--code-from", metavar="DIR",
                        help="import facilitator/ and realtime/ from DIR (a copy of the tree "
                             "before a change) instead of the installed project")
    parser.add_argument("--profile-reconnect", type=int, default=0, metavar="ROUNDS",
                        help="print a profile of ROUNDS reconnect rounds, nothing else")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    if args.code_from:
        sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in repr(f).lower()]
        sys.path.insert(0, args.code_from)

    from sqlalchemy import event

    from facilitator import create_app
    from facilitator.cli import upgrade_schema
    from facilitator.demo import create_demo
    from facilitator.extensions import db, socketio

    folder = tempfile.mkdtemp(prefix="facilitator-hotpath-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    app = create_app({"TESTING": True, "SECRET_KEY": "hotpath", "WTF_CSRF_ENABLED": False,
                      "SOCKETIO_ASYNC_MODE": "threading", "MESSAGE_QUEUE_URL": None,
                      "WORKER_ID": "hotpath", "PASSWORD_HASH_METHOD": "scrypt:16384:8:1",
                      "EVENT_RATE_PER_SECOND": 1e9, "EVENT_RATE_BURST": 10**9,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/hotpath.sqlite3"})
    counter = [0]
    with app.app_context():
        if args.sqlite != "default":
            synchronous = args.sqlite.split("-")[1].upper()

            def pragmas(connection, _record):
                connection.execute("PRAGMA journal_mode=WAL")
                connection.execute(f"PRAGMA synchronous={synchronous}")

            event.listen(db.engine, "connect", pragmas)
            db.engine.dispose()
        upgrade_schema()
        demo = create_demo(1, 11)
        for engine in db.engines.values():  # the room-state pool's too
            event.listen(engine, "before_cursor_execute",
                         lambda *_a, **_k: counter.__setitem__(0, counter[0] + 1))
            if os.environ.get("HOTPATH_SQL"):  # print every statement (what a change saved)
                event.listen(engine, "before_cursor_execute",
                             lambda _c, _cur, sql, *_a: print("SQL", sql[:150].replace("\n", " ")))
    if args.no_expire_on_commit:
        db.session.session_factory.kw["expire_on_commit"] = False
    group = demo["groups"][0]
    session_id = group["session_id"]

    fac_http = app.test_client()
    page = fac_http.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    fac_http.post("/login", data={"email": group["facilitator"]["email"],
                                  "password": group["facilitator"]["password"],
                                  "csrf_token": token.group(1) if token else ""})
    facilitator = socketio.test_client(app, namespace=NAMESPACE, flask_test_client=fac_http)
    part_http = app.test_client()
    part_http.get(group["participants"][0]["join_path"])
    participant = socketio.test_client(app, namespace=NAMESPACE, flask_test_client=part_http)

    state = facilitator.emit("session:join", {"session_id": session_id}, namespace=NAMESPACE,
                             callback=True)["state"]
    participant.emit("session:join", {"session_id": session_id}, namespace=NAMESPACE,
                     callback=True)
    facilitator.emit("session:start", {"session_id": session_id}, namespace=NAMESPACE,
                     callback=True)
    items = [item["id"] for item in state["agenda"]]
    clients = [fac_http, part_http]
    for person in group["participants"][1:]:
        http = app.test_client()
        http.get(person["join_path"])
        clients.append(http)
    if args.profile_reconnect:
        reconnect_rounds(app, socketio, clients, session_id, 2, counter)  # warm
        profile = cProfile.Profile()
        profile.runcall(reconnect_rounds, app, socketio, clients, session_id,
                        args.profile_reconnect, counter)
        if os.environ.get("PROFILE_DUMP"):  # a pstats file, for grouping by package
            profile.dump_stats(os.environ["PROFILE_DUMP"])
        out = io.StringIO()
        lines = int(os.environ.get("PROFILE_LINES", "60"))  # more: every function of ours
        pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(lines)
        print(out.getvalue())
        return
    n = args.events
    result = {
        "agenda:activate": measure(facilitator, "agenda:activate", [
            {"session_id": session_id, "item_id": items[i % len(items)]} for i in range(n)],
            counter),
        "card:submit": measure(participant, "card:submit", [
            {"session_id": session_id, "client_id": uuid.uuid4().hex, "text": f"card {i}",
             "problem_area": "grief"} for i in range(n)], counter),
        "checkin:submit": measure(participant, "checkin:submit", [
            {"session_id": session_id, "client_id": uuid.uuid4().hex, "mood": 5,
             "phq9": [1] * 8 + [0]} for _ in range(n)], counter),
        "agenda:activate and card:submit in turn": measure_turns([
            turn for i in range(n) for turn in (
                (facilitator, "agenda:activate",
                 {"session_id": session_id, "item_id": items[i % len(items)]}),
                (participant, "card:submit",
                 {"session_id": session_id, "client_id": uuid.uuid4().hex,
                  "text": f"card {i}", "problem_area": "grief"}))], counter),
        "session:join": measure(participant, "session:join",
                                [{"session_id": session_id}] * max(10, n // 10), counter),
        "reconnect": reconnect_rounds(app, socketio, clients, session_id, max(3, n // 30),
                                      counter),
    }
    result["options"] = vars(args)
    result["pid"] = os.getpid()
    result["code"] = sys.modules["facilitator"].__file__
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
