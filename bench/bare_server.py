"""The baseline: plain Flask-SocketIO on eventlet speaking the same live events, nothing else.

No database, no sign-in, no validation beyond what a handler needs, state in dictionaries.
It answers the events the load generator sends with payloads shaped like the real app's:

* ``session:join`` joins the same rooms the app joins, answers a small ``state`` and
  broadcasts ``presence`` to the session;
* ``session:start`` makes the session live and broadcasts ``session:status``;
* ``agenda:activate`` broadcasts ``agenda:changed`` to the session's room;
* ``checkin:submit`` acknowledges and sends ``checkin:received`` to the facilitators' room;
* ``card:submit`` acknowledges and sends ``card:pending`` to the group's facilitators.

Who is who comes from the ``kind``/``person_id``/``group_id`` fields the generator adds to
``session:join`` (the real app ignores them). Usage::

    python bench/bare_server.py --host 127.0.0.1 --port 5101
"""

import eventlet

eventlet.monkey_patch()

import argparse  # noqa: E402
import gc  # noqa: E402
import itertools  # noqa: E402
from datetime import UTC, datetime  # noqa: E402

from flask import Flask, request  # noqa: E402
from flask_socketio import SocketIO, emit, join_room  # noqa: E402

NAMESPACE = "/live"
AGENDA_TITLES = ["Check-in", "Review of the week", "Focus: interpersonal inventory",
                 "Role-play", "Homework", "Closing"]

app = Flask(__name__)
socketio = SocketIO()
_ids = itertools.count(1)
sessions: dict[int, dict] = {}
members: dict[str, dict] = {}
receipts: dict[tuple[str, str], dict] = {}


def now() -> str:
    """The current time as the app writes it (ISO 8601, UTC)."""
    return datetime.now(UTC).isoformat()


def session_for(session_id: int, group_id: int) -> dict:
    """The in-memory session, made on first sight with a six-item agenda."""
    session = sessions.get(session_id)
    if session is None:
        base = session_id * 100
        session = {"id": session_id, "group_id": group_id, "status": "scheduled",
                   "current_item_id": None, "online": {},
                   "agenda": [{"id": base + i, "title": title, "kind": "talk",
                               "status": "pending"} for i, title in enumerate(AGENDA_TITLES)]}
        sessions[session_id] = session
    return session


def presence(session: dict) -> dict:
    """Payload of ``presence``: everyone online in the session."""
    people = [{"kind": kind, "id": pid, "display_name": name, "online": True,
               "hand_raised": False, "hand_raised_at": None}
              for (kind, pid), name in session["online"].items()]
    return {"session_id": session["id"], "people": people}


def ok(**fields) -> dict:
    """A successful acknowledgement."""
    return {"ok": True, **fields}


def refuse(code: str, message: str) -> dict:
    """An error acknowledgement."""
    return {"ok": False, "error": {"code": code, "message": message}}


@socketio.on("connect", namespace=NAMESPACE)
def on_connect(auth=None):
    """Accept everyone."""
    members[request.sid] = {}


@socketio.on("disconnect", namespace=NAMESPACE)
def on_disconnect(*_reason):
    """Forget the connection and tell its session."""
    member = members.pop(request.sid, {})
    session = sessions.get(member.get("session_id"))
    if session is not None:
        session["online"].pop((member["kind"], member["person_id"]), None)
        emit("presence", presence(session), to=f"s{session['id']}", namespace=NAMESPACE)


@socketio.on("session:join", namespace=NAMESPACE)
def session_join(data):
    """Join the session's rooms (as the app does) and answer a small state."""
    try:
        session = session_for(int(data["session_id"]), int(data.get("group_id", 0)))
        kind, person_id = data.get("kind", "participant"), int(data.get("person_id", 0))
    except (TypeError, KeyError, ValueError):
        return refuse("invalid", "session_id")
    sid, gid = session["id"], session["group_id"]
    members[request.sid] = {"session_id": sid, "kind": kind, "person_id": person_id}
    join_room(f"u:{kind[0]}:{person_id}")
    rooms = [f"s{sid}", f"g{gid}"]
    if kind == "facilitator":
        rooms += [f"s{sid}:f", f"g{gid}:f"]
    else:
        rooms += [f"s{sid}:p{person_id}", f"g{gid}:p", f"g{gid}:p{person_id}"]
    for room in rooms:
        join_room(room)
    session["online"][(kind, person_id)] = f"{kind} {person_id}"
    emit("presence", presence(session), to=f"s{sid}", namespace=NAMESPACE)
    state = {"session": {"id": sid, "group_id": gid, "number": 1, "title": "Session 1",
                         "phase": "initial", "status": session["status"]},
             "me": {"kind": kind, "id": person_id, "display_name": f"{kind} {person_id}"},
             "agenda": session["agenda"], "current_item_id": session["current_item_id"],
             "prompt": None, "timer": {"session_id": sid, "running": False},
             "presence": presence(session), "board": {"themes": [], "cards": []}}
    return ok(state=state)


@socketio.on("session:start", namespace=NAMESPACE)
def session_start(data):
    """Make the session live and tell everyone in it."""
    session = sessions.get(data.get("session_id") if isinstance(data, dict) else None)
    if session is None:
        return refuse("not_found", "There is no such session.")
    session["status"] = "live"
    emit("session:status", {"session_id": session["id"], "status": "live"},
         to=f"s{session['id']}", namespace=NAMESPACE)
    return ok(status="live")


@socketio.on("agenda:activate", namespace=NAMESPACE)
def agenda_activate(data):
    """Make an agenda item current and broadcast ``agenda:changed`` to the session."""
    session = sessions.get(data.get("session_id") if isinstance(data, dict) else None)
    if session is None:
        return refuse("not_found", "There is no such session.")
    item = next((i for i in session["agenda"] if i["id"] == data.get("item_id")), None)
    if item is None:
        return refuse("not_found", "There is no such agenda item in this session.")
    for other in session["agenda"]:
        if other["status"] == "active":
            other["status"] = "done"
    item["status"] = "active"
    session["current_item_id"] = item["id"]
    emit("agenda:changed", {"session_id": session["id"], "current_item_id": item["id"],
                            "item": dict(item)}, to=f"s{session['id']}", namespace=NAMESPACE)
    return ok(current_item_id=item["id"])


def severity(total: int) -> str:
    """PHQ-9 severity band."""
    for limit, name in ((4, "minimal"), (9, "mild"), (14, "moderate"),
                        (19, "moderately_severe")):
        if total <= limit:
            return name
    return "severe"


@socketio.on("checkin:submit", namespace=NAMESPACE)
def checkin_submit(data):
    """Acknowledge a check-in once per client_id and show it to the facilitators."""
    member = members.get(request.sid, {})
    key = (request.sid, str(data.get("client_id")))
    if key in receipts:
        return receipts[key]
    phq9 = data.get("phq9")
    total = sum(phq9) if isinstance(phq9, list) else None
    checkin_id = next(_ids)
    answer = ok(checkin_id=checkin_id, phq9_total=total,
                severity=None if total is None else severity(total))
    receipts[key] = answer
    sid = data.get("session_id")
    emit("checkin:received", {"id": checkin_id, "checkin_id": checkin_id, "session_id": sid,
                              "participant_id": member.get("person_id"),
                              "display_name": f"participant {member.get('person_id')}",
                              "mood": data.get("mood"), "phq9": phq9, "phq9_total": total,
                              "severity": answer["severity"], "note": data.get("note"),
                              "needs_support": False, "flagged": False, "created_at": now()},
         to=f"s{sid}:f", namespace=NAMESPACE)
    return answer


@socketio.on("card:submit", namespace=NAMESPACE)
def card_submit(data):
    """Acknowledge a card once per client_id and queue it for the group's facilitators."""
    member = members.get(request.sid, {})
    key = (request.sid, str(data.get("client_id")))
    if key in receipts:
        return receipts[key]
    session = sessions.get(data.get("session_id"))
    if session is None:
        return refuse("not_found", "There is no such session.")
    card_id = next(_ids)
    answer = ok(card_id=card_id, status="pending")
    receipts[key] = answer
    emit("card:pending", {"id": card_id, "card_id": card_id, "session_id": session["id"],
                          "session_number": 1, "text": data.get("text"),
                          "problem_area": data.get("problem_area"), "theme_id": None,
                          "status": "pending", "anonymous": data.get("anonymous", True),
                          "author": f"participant {member.get('person_id')}",
                          "author_id": member.get("person_id"), "author_kind": "participant"},
         to=f"g{session['group_id']}:f", namespace=NAMESPACE)
    return answer


@app.get("/healthz")
def healthz():
    """Answer 200 while the server runs."""
    return {"status": "ok"}


def main() -> None:
    """Parse the options and serve until stopped."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5101)
    parser.add_argument("--max-connections", type=int, default=5000)
    parser.add_argument("--gc-freeze", action="store_true",
                        help="gc.collect(); gc.freeze() after start-up, as the app does")
    args = parser.parse_args()
    socketio.init_app(app, async_mode="eventlet", ping_interval=20, ping_timeout=20,
                      max_http_buffer_size=64 * 1024, cors_allowed_origins="*")
    if args.gc_freeze:
        gc.collect()
        gc.freeze()
    socketio.run(app, host=args.host, port=args.port, use_reloader=False, log_output=False,
                 max_size=args.max_connections)


if __name__ == "__main__":
    main()
