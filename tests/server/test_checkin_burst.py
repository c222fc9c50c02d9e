"""A check-in round on a real server: everyone at once, every check-in stored and shown once.

Check-ins that arrive together are committed together (``db.groupcommit``) and wait
their turn in the check-in lane (``realtime.dispatch.Lane``; here four turns for 88 check-ins,
so most of them queue, and the risk signals skip the queue); what a facilitator and the
participants notice must be the same as one at a time: each sender gets their own answer, the
facilitator sees each check-in once, every risk signal raises its alert.
"""

import threading
import uuid

import pytest
from helpers.server import (
    LiveServer,
    call,
    connect,
    facilitator_cookies,
    join,
    participant_cookies,
)

DEVICES_PER_PERSON, CHECKINS_PER_DEVICE = 4, 2


@pytest.mark.server
def test_a_whole_group_checking_in_at_once_is_stored_and_shown_once_each(tmp_path):
    server = LiveServer(tmp_path)
    server.prepare()
    server.env["CHECKINS_AT_ONCE"] = "4"
    server.start()
    try:
        group = server.group(0)
        sid = group["session_id"]
        login = group["facilitator"]
        lead = connect(server.base_url, facilitator_cookies(server.base_url, login["email"],
                                                            login["password"]))
        join(lead, sid)
        assert call(lead, "session:start", {"session_id": sid})["ok"]
        devices = []
        for person in group["participants"]:
            cookies = participant_cookies(server.base_url, person["join_path"])
            for _ in range(DEVICES_PER_PERSON):
                devices.append(connect(server.base_url, cookies))
                join(devices[-1], sid)
        sent = [[{"session_id": sid, "client_id": str(uuid.uuid4()), "mood": (d + n) % 11,
                  "phq9": answers(d, n)}
                 for n in range(CHECKINS_PER_DEVICE)] for d in range(len(devices))]
        acks: dict[str, dict] = {}
        barrier = threading.Barrier(len(devices))

        def send(index):
            barrier.wait()
            for payload in sent[index]:
                acks[payload["client_id"]] = call(devices[index], "checkin:submit", payload)

        threads = [threading.Thread(target=send, args=(d,)) for d in range(len(devices))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

        payloads = [p for per_device in sent for p in per_device]
        flagged = [p for p in payloads if p["phq9"][8] > 0]
        assert len(acks) == len(payloads) and all(a["ok"] for a in acks.values()), acks
        for payload in payloads:
            ack = acks[payload["client_id"]]
            complete = None not in payload["phq9"]
            assert ack["phq9_total"] == (sum(payload["phq9"]) if complete else None)
            assert ("support" in ack) == (payload in flagged)
        ids = {ack["checkin_id"] for ack in acks.values()}
        assert len(ids) == len(payloads)
        lead.wait_until(lambda: len(received(lead, "checkin:received")) >= len(payloads),
                        "every check-in on the console")
        lead.wait_until(lambda: len(received(lead, "alert:raised")) >= len(flagged),
                        "every alert on the console")
        shown = [c["checkin_id"] for c in received(lead, "checkin:received")]
        assert sorted(shown) == sorted(ids), "each check-in shown once"
        alerted = {a["checkin_id"] for a in received(lead, "alert:raised")}
        assert alerted == {acks[p["client_id"]]["checkin_id"] for p in flagged}
        for device in devices:
            assert not received(device, "checkin:received"), "participants never see them"
            assert not received(device, "alert:raised")
        for client in [*devices, lead]:
            client.disconnect()
    finally:
        server.stop()


def answers(device: int, n: int) -> list:
    """The PHQ-9 a device sends: every fifth device's first has item 9 at 1, and every
    tenth's is a lone item-9 answer (a partly answered questionnaire alerts the same)."""
    if device % 10 == 0 and n == 0:
        return [None] * 8 + [1]
    return [(device + n) % 4] * 8 + [1 if device % 5 == 0 and n == 0 else 0]


def received(client, event: str) -> list:
    """The payloads of ``event`` a client has received so far."""
    return [payload for name, payload in client.received if name == event]
