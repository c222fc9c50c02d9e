"""Participants' ack times in a quiet room and while a facilitator signs in again and again.

Starts a real ``facilitator serve`` (eventlet, the production password hash) on a fresh
SQLite database with the helpers of tests/server, then times a participant's alternating
``hand:raise``/``hand:lower`` acks: first in a quiet room, then while a thread signs the
group's facilitator in over HTTP ``--sign-ins`` times. Usage::

    python bench/signin_stall.py [--sign-ins 10] [--quiet 30]
"""

import argparse
import json
import statistics
import sys
import tempfile
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the tests' helpers

from helpers.server import (  # noqa: E402
    LiveServer,
    call,
    connect,
    facilitator_cookies,
    join,
    participant_cookies,
)

from tests.server import test_signin_does_not_stall as scenario  # noqa: E402


def summary(seconds: list[float]) -> dict:
    """p50, p90 and max of ``seconds``, in milliseconds."""
    ordered = sorted(seconds)
    p90 = ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]
    return {"n": len(ordered), "p50_ms": round(statistics.median(ordered) * 1000, 1),
            "p90_ms": round(p90 * 1000, 1), "max_ms": round(ordered[-1] * 1000, 1)}


def measure(server: LiveServer, sign_ins: int, quiet_count: int) -> dict:
    """Quiet acks, then acks during ``sign_ins`` sign-ins; the figures as a dict."""
    group = server.group()
    base, session_id, login = server.base_url, group["session_id"], group["facilitator"]
    lead = connect(base, facilitator_cookies(base, login["email"], login["password"]))
    person = connect(base, participant_cookies(base, group["participants"][0]["join_path"]))
    try:
        join(lead, session_id)
        call(lead, "session:start", {"session_id": session_id})
        join(person, session_id)
        quiet = [scenario.quiet_ack(person, session_id) for _ in range(quiet_count)]
        scenario.SIGN_INS = sign_ins
        durations: list[float] = []
        thread = threading.Thread(target=scenario.sign_in_repeatedly,
                                  args=(base, login, durations))
        thread.start()
        busy = scenario.acks_while(thread, person, session_id)
        thread.join()
    finally:
        person.disconnect()
        lead.disconnect()
    return {"quiet": summary(quiet), "signing_in": summary(busy),
            "sign_in_ms": summary(durations), "one_hash_ms": scenario.one_hash_seconds() * 1000}


def main() -> None:
    """Start a server, measure, print the figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sign-ins", type=int, default=10)
    parser.add_argument("--quiet", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        server = LiveServer(Path(workdir))
        server.prepare()
        server.start()
        try:
            print(json.dumps(measure(server, args.sign_ins, args.quiet), indent=1))
        finally:
            server.stop()


if __name__ == "__main__":
    main()
