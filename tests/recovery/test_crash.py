"""Nothing lost, nothing twice: clients keep submitting while the server is SIGKILLed.

A real eventlet server; 50 participants (5 groups of 10), each a python-socketio client that
sends check-ins, reflections and cards and retries each with the same ``client_id`` until it
is acknowledged, across disconnects. The server is killed and restarted twice mid-run. At the
end the database holds exactly one row per acknowledged ``client_id``, and every client's
rebuilt ``state`` equals what the database says.
"""

import contextlib
import gc
import json
import random
import sqlite3
import subprocess
import threading
import time
import uuid
from dataclasses import dataclass, field

import pytest
import socketio
from helpers.server import (
    FACILITATOR,
    ROOT,
    LiveServer,
    call,
    connect,
    facilitator_cookies,
    join,
    participant_cookies,
)

GROUPS, PER_GROUP = 5, 10
CHECKINS, REFLECTIONS, CARDS = 2, 2, 2
RESTARTS = 2
RUN_DEADLINE = 240.0

# A killed server leaves python-socketio's client sockets to be closed by the collector.
pytestmark = [pytest.mark.filterwarnings("ignore::ResourceWarning"),
              pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")]


@dataclass
class Sender:
    """One participant's client: what it must send and the answers it got."""

    base: str
    session_id: int
    join_path: str
    assignment_ids: list[int]
    plan: list[tuple[str, dict]] = field(default_factory=list)
    answers: dict[str, dict] = field(default_factory=dict)
    tries: int = 0
    client: socketio.Client | None = None

    def build_plan(self, index: int) -> None:
        """Decide the submissions, each with its own ``client_id``."""
        for n in range(CHECKINS):
            self.plan.append(("checkin:submit", {
                "session_id": self.session_id, "client_id": str(uuid.uuid4()),
                "mood": (index + n) % 11, "phq9": [(index + n + i) % 4 for i in range(9)],
                "note": f"crash-test note {index}-{n}"}))
        for n, assignment_id in enumerate(self.assignment_ids[:REFLECTIONS]):
            self.plan.append(("reflection:submit", {
                "client_id": str(uuid.uuid4()), "assignment_id": assignment_id,
                "text": f"crash-test reflection {index}-{n}", "times_practised": n}))
        for n in range(CARDS):
            self.plan.append(("card:submit", {
                "session_id": self.session_id, "client_id": str(uuid.uuid4()),
                "text": f"crash-test card {index}-{n}", "problem_area": "grief",
                "anonymous": True}))

    def ensure_connected(self) -> None:
        """Connect (again) with a fresh client if the last one is gone."""
        if self.client is not None and self.client.connected:
            return
        self.close()
        cookies = participant_cookies(self.base, self.join_path)
        self.client = connect(self.base, cookies)
        join(self.client, self.session_id)

    def send_all(self, stop: threading.Event) -> None:
        """Send every planned submission, retrying each until acknowledged."""
        for event, payload in self.plan:
            delay = 0.2
            while not stop.is_set():
                self.tries += 1
                try:
                    self.ensure_connected()
                    ack = call(self.client, event, payload)
                except Exception:  # noqa: BLE001 - server down: back off and retry
                    self.close()
                    time.sleep(delay + random.random() * delay)
                    delay = min(delay * 2, 2.0)
                    continue
                if ack.get("ok") or ack["error"]["code"] not in ("rate_limited", "unavailable"):
                    self.answers[payload["client_id"]] = ack
                    break
                time.sleep(delay)
            time.sleep(random.random() * 0.3)

    def close(self) -> None:
        """Drop the current connection, if any."""
        if self.client is not None:
            with contextlib.suppress(Exception):  # it may already be gone
                self.client.disconnect()
        self.client = None


def prepare(server: LiveServer) -> list[Sender]:
    """Demo groups, live sessions with group homework, and one sender per participant."""
    from helpers.server import server_environment

    server.env = server_environment(server.workdir)
    done = subprocess.run([FACILITATOR, "demo", "--json", "--groups", str(GROUPS),
                           "--participants", str(PER_GROUP)], env=server.env, cwd=ROOT,
                          capture_output=True, text=True, timeout=300, check=True)
    server.demo = json.loads(done.stdout.strip().splitlines()[-1])
    server.start()
    senders = []
    for group in server.demo["groups"]:
        login = group["facilitator"]
        lead = connect(server.base_url, facilitator_cookies(server.base_url, login["email"],
                                                            login["password"]))
        join(lead, group["session_id"])
        assert call(lead, "session:start", {"session_id": group["session_id"]})["ok"]
        assignments = [call(lead, "homework:assign", {"session_id": group["session_id"],
                                                      "text": f"Practice {n}"})["assignment_id"]
                       for n in range(REFLECTIONS)]
        lead.disconnect()
        for person in group["participants"]:
            sender = Sender(server.base_url, group["session_id"], person["join_path"],
                            assignments)
            sender.build_plan(len(senders))
            senders.append(sender)
    return senders


def run_with_crashes(server: LiveServer, senders: list[Sender]) -> int:
    """Run every sender in its own thread while SIGKILLing the server; return restarts."""
    stop = threading.Event()
    threads = [threading.Thread(target=s.send_all, args=(stop,), daemon=True) for s in senders]
    for thread in threads:
        thread.start()
    total = sum(len(s.plan) for s in senders)
    restarts = 0
    deadline = time.monotonic() + RUN_DEADLINE
    for fraction in (0.3, 0.6)[:RESTARTS]:
        while sum(len(s.answers) for s in senders) < total * fraction:
            assert time.monotonic() < deadline, "clients made no progress"
            time.sleep(0.05)
        server.crash()
        time.sleep(1.0)
        server.start()
        restarts += 1
    for thread in threads:
        thread.join(timeout=max(1.0, deadline - time.monotonic()))
    stop.set()
    return restarts


def rows(server: LiveServer, sql: str) -> list[tuple]:
    """Run a read-only query against the server's database."""
    url = server.env["DATABASE_URL"]
    if url.startswith("sqlite:///"):
        with contextlib.closing(sqlite3.connect(url[len("sqlite:///"):])) as db:
            return db.execute(sql).fetchall()
    import psycopg2

    with psycopg2.connect(url) as db, db.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


@pytest.mark.server
def test_no_acknowledged_submission_is_lost_or_stored_twice(tmp_path):
    server = LiveServer(tmp_path)
    senders = prepare(server)
    try:
        restarts = run_with_crashes(server, senders)
        report = check_database(server, senders)
        check_rebuilt_state(server, senders)
    finally:
        for sender in senders:
            sender.close()
        server.stop()
        # Close the sockets the killed server left now, under this module's warning filters,
        # not whenever the collector happens to run in a later test.
        gc.collect()
    print(json.dumps({"clients": len(senders), "restarts": restarts, **report}))


def check_database(server: LiveServer, senders: list[Sender]) -> dict:
    """Exactly one stored row per acknowledged ``client_id``, of the right kind."""
    sent = {p["client_id"]: event for s in senders for event, p in s.plan}
    answers = {cid: ack for s in senders for cid, ack in s.answers.items()}
    assert set(answers) == set(sent), "some submissions were never acknowledged"
    assert all(ack["ok"] for ack in answers.values()), [a for a in answers.values()
                                                        if not a["ok"]][:3]
    receipts = rows(server, "SELECT client_id, event FROM receipts")
    assert len(receipts) == len({cid for cid, _ in receipts}), "a client_id stored twice"
    assert dict(receipts) == sent
    key = {"checkin:submit": "checkin_id", "reflection:submit": "reflection_id",
           "card:submit": "card_id"}
    tables = {"checkin:submit": "checkins", "reflection:submit": "reflections",
              "card:submit": "cards"}
    for event, table in tables.items():
        stored = sorted(r[0] for r in rows(server, f"SELECT id FROM {table}"))
        acked = sorted(answers[cid][key[event]] for cid, e in sent.items() if e == event)
        assert stored == acked, f"{table}: stored rows differ from acknowledged ones"
    tries = sum(s.tries for s in senders)
    return {"submissions": len(sent), "sends_including_retries": tries,
            "rows": len(receipts), "duplicates": 0}


def check_rebuilt_state(server: LiveServer, senders: list[Sender]) -> None:
    """Each client's fresh snapshot shows exactly what it sent and had acknowledged."""
    for sender in senders:
        sender.close()
        sender.ensure_connected()
        state = join(sender.client, sender.session_id)
        checkins = [sender.answers[p["client_id"]]["checkin_id"]
                    for e, p in sender.plan if e == "checkin:submit"]
        assert state["my_checkin"]["checkin_id"] == max(checkins)
        mine = {h["assignment_id"]: h["reflection"]["reflection_id"]
                for h in state["homework"] if h["reflection"]}
        reflections = {p["assignment_id"]: sender.answers[p["client_id"]]["reflection_id"]
                       for e, p in sender.plan if e == "reflection:submit"}
        assert mine == reflections
        cards = sorted(sender.answers[p["client_id"]]["card_id"]
                       for e, p in sender.plan if e == "card:submit")
        assert sorted(c["card_id"] for c in state["my_pending_cards"]) == cards
        sender.close()
