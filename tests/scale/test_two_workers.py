"""Two workers behind nginx: live events and disconnects cross from one worker to the other.

The production set-up on one machine (see scale_cluster): PostgreSQL, Redis as the message
queue, two ``facilitator serve`` processes and nginx rendered from deploy/nginx. Everyone
connects through nginx from an address of their own; the ``connections`` table shows which
worker holds each connection, and every test places people on both workers.
"""

import base64
import os
import socket
import time
import uuid
from contextlib import ExitStack

import pytest
import requests
from helpers.server import NAMESPACE, LiveClient, call, online
from socketio.exceptions import ConnectionError as ConnectRefused

from .scale_clients import POLLING, UPGRADE, WEBSOCKET, Crowd, connect_from
from .scale_cluster import Cluster

pytestmark = pytest.mark.server
PRIVATE = {"alert:raised", "alert:acknowledged", "checkin:received", "card:pending",
           "reflection:received"}
SERVER_DISCONNECT = LiveClient.reason.SERVER_DISCONNECT  # the server closed it on purpose


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """PostgreSQL and Redis made empty, the demo group, two workers and nginx in front."""
    cluster = Cluster(tmp_path_factory.mktemp("scale"))
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def workers(cluster):
    """The two workers' ids (``host:port``); both must still run after the test."""
    yield cluster.worker_ids()
    cluster.assert_running()


@pytest.fixture
def people(cluster):
    """Whoever a test brings in; all disconnected and closed afterwards."""
    crowd = Crowd(cluster)
    yield crowd
    crowd.close()


def forget_received(people) -> None:
    """Drop what the people's connections received so far: the next wait sees only news."""
    for person in people:
        with person.live.changed:
            person.live.received.clear()


def everyone_gets(people, event: str, matches=lambda payload: True) -> list:
    """Wait until each person's connection received a matching ``event``; the payloads."""
    return [person.live.wait_for_event(event, matches) for person in people]


def wait_until_forgotten(cluster, sid: str, timeout: float = 5.0) -> None:
    """Wait until the ``connections`` table no longer lists connection ``sid``."""
    deadline = time.monotonic() + timeout
    while (worker := cluster.worker_of(sid)) is not None:
        assert time.monotonic() < deadline, f"connection {sid} is still listed on {worker}"
        time.sleep(0.05)


def test_nginx_keeps_polling_and_upgrading_clients_on_their_worker(cluster, workers, people):
    a, b = workers
    polling = people.participant(0, on=a, transports=POLLING)
    upgraded = people.participant(1, on=b, transports=UPGRADE)
    assert polling.live.transport() == "polling"
    upgraded.live.wait_until(lambda: upgraded.live.transport() == "websocket",
                             "the upgrade to WebSocket")
    for person, worker in ((polling, a), (upgraded, b)):
        ack = call(person.live, "session:join", {"session_id": people.session_id})
        assert ack["ok"], ack
        assert cluster.worker_of(person.live.get_sid(NAMESPACE)) == worker


def test_broadcasts_reach_clients_on_both_workers(workers, people):
    a, b = workers
    lead = people.facilitator(on=b)
    members = [people.participant(0, on=a, transports=UPGRADE),
               people.participant(1, on=b, transports=POLLING),
               people.participant(2, on=a)]
    everyone = [lead, *members]
    session_id = people.session_id

    forget_received(everyone)
    assert call(lead.live, "session:start", {"session_id": session_id})["ok"]
    everyone_gets(everyone, "session:status",
                  lambda p: p["session_id"] == session_id and p["status"] == "live")

    item_id = lead.state["agenda"][1]["id"]
    assert call(lead.live, "agenda:activate", {"session_id": session_id, "item_id": item_id})["ok"]
    everyone_gets(everyone, "agenda:changed", lambda p: p["current_item_id"] == item_id)

    raiser = members[0]  # on worker a, while the facilitator is on b
    assert call(raiser.live, "hand:raise", {"session_id": session_id})["ok"]
    for presence in everyone_gets(everyone, "presence", lambda p: any(
            (q["kind"], q["id"]) == ("participant", raiser.id) and q["hand_raised"]
            for q in p["people"])):
        assert {("facilitator", lead.id)} | {("participant", m.id) for m in members} <= online(
            presence)


def test_a_member_joining_one_worker_sees_what_the_other_just_published(workers, people):
    """Worker a keeps its session's shared snapshot half; a push through worker b drops it
    on its way through the queue, so the next member to join on a sees the push."""
    a, b = workers
    lead = people.facilitator(on=b)
    first, second = people.participant(0, on=a), people.participant(1, on=a)
    session_id = people.session_id
    assert call(lead.live, "session:start", {"session_id": session_id})["ok"]
    first.live.wait_for_event("session:status", lambda p: p["status"] == "live")
    kept = call(first.live, "session:join", {"session_id": session_id})["state"]  # a keeps it
    item_id = kept["agenda"][2]["id"]
    assert kept["current_item_id"] != item_id

    assert call(lead.live, "agenda:activate", {"session_id": session_id, "item_id": item_id})["ok"]
    first.live.wait_for_event("agenda:changed", lambda p: p["current_item_id"] == item_id)
    state = call(second.live, "session:join", {"session_id": session_id})["state"]
    assert state["current_item_id"] == item_id


def test_published_card_reaches_both_workers_without_its_author(workers, people):
    a, b = workers
    lead = people.facilitator(on=b)
    author = people.participant(2, on=a)
    readers = [author, people.participant(0, on=b), people.participant(1, on=a)]
    session_id = people.session_id
    assert call(lead.live, "session:start", {"session_id": session_id})["ok"]

    ack = call(author.live, "card:submit", {
        "session_id": session_id, "client_id": str(uuid.uuid4()), "anonymous": True,
        "text": "I stopped calling my sister after the move.", "problem_area": "role_transition"})
    assert ack["ok"], ack
    card_id = ack["card_id"]
    pending = lead.live.wait_for_event("card:pending", lambda p: p["id"] == card_id)
    assert pending["author"] == author.state["me"]["display_name"]

    forget_received([lead, *readers])
    assert call(lead.live, "card:moderate", {"card_id": card_id, "action": "approve"})["ok"]
    assert lead.live.wait_for_event("card:published", lambda p: p["id"] == card_id)["author"]
    for card in everyone_gets(readers, "card:published", lambda p: p["id"] == card_id):
        assert card["author"] is None and "author_id" not in card
    for reader in readers:
        assert "card:pending" not in {event for event, _ in reader.live.received}


def test_alert_from_one_worker_reaches_only_the_facilitator_on_the_other(workers, people):
    a, b = workers
    lead = people.facilitator(on=b)
    at_risk = people.participant(0, on=a)
    members = [at_risk, people.participant(1, on=b), people.participant(2, on=a)]
    session_id = people.session_id
    assert call(lead.live, "session:start", {"session_id": session_id})["ok"]
    forget_received([lead, *members])

    ack = call(at_risk.live, "checkin:submit", {
        "session_id": session_id, "client_id": str(uuid.uuid4()), "mood": 2,
        "phq9": [1, 1, 0, 1, 0, 0, 0, 0, 1], "note": "A hard week."})
    assert ack["ok"] and ack["support"], ack
    alert = lead.live.wait_for_event("alert:raised", lambda p: p["participant_id"] == at_risk.id)
    assert alert["display_name"] == at_risk.state["me"]["display_name"]
    lead.live.wait_for_event("checkin:received", lambda p: p["participant_id"] == at_risk.id)

    # A later broadcast from the other worker, behind the alert in Redis: once it has arrived
    # everywhere, anything private sent to a participant would have arrived before it.
    assert call(lead.live, "timer:start",
                {"session_id": session_id, "seconds": 120, "label": "Pairs"})["ok"]
    everyone_gets(members, "timer")
    for member in members:
        leaked = PRIVATE & {event for event, _ in member.live.received}
        assert not leaked, f"participant {member.id} received {leaked}"


def test_logout_through_one_worker_closes_the_socket_held_by_the_other(cluster, workers,
                                                                      people):
    a, b = workers
    lead = people.facilitator(on=b)
    bystander = people.participant(0, on=a)
    # A second tab, on the worker that will handle the logout: closed there, not via Redis.
    other_tab = connect_from(people.front, people.address_on(a), lead.http.cookies.get_dict(),
                             WEBSOCKET, lead.closing)
    lead.closing.append(other_tab)
    sids = [lead.live.get_sid(NAMESPACE), other_tab.get_sid(NAMESPACE)]
    assert [cluster.worker_of(sid) for sid in sids] == [b, a]

    lead.move_to(people.address_on(a))  # the same browser, now sent to worker a
    answer = lead.post_form("/", "/logout")
    assert answer.status_code == 302 and answer.headers["X-Upstream"] == a

    for tab, sid in zip((lead.live, other_tab), sids, strict=True):
        assert tab.wait_for_disconnect() == SERVER_DISCONNECT
        wait_until_forgotten(cluster, sid)
    assert bystander.live.connected
    assert call(bystander.live, "session:join", {"session_id": people.session_id})["ok"]
    with pytest.raises(ConnectRefused):
        connect_from(people.front, people.address_on(b), lead.http.cookies.get_dict(),
                     WEBSOCKET, lead.closing)


def test_revoked_link_closes_the_participant_socket_on_the_other_worker(cluster, workers,
                                                                       people):
    a, b = workers
    lead = people.facilitator(on=a)
    revoked = people.participant(3, on=b)
    watcher = people.participant(0, on=a)
    sid = revoked.live.get_sid(NAMESPACE)
    group_id = cluster.group["group_id"]

    answer = lead.post_form(f"/groups/{group_id}",
                            f"/groups/{group_id}/participants/{revoked.id}/revoke")
    assert answer.status_code == 302 and answer.headers["X-Upstream"] == a

    assert revoked.live.wait_for_disconnect() == SERVER_DISCONNECT
    wait_until_forgotten(cluster, sid)
    watcher.live.wait_for_event("presence", lambda p: ("participant", revoked.id) not in online(p))
    with pytest.raises(ConnectRefused):
        connect_from(people.front, people.address_on(b), revoked.http.cookies.get_dict(),
                     WEBSOCKET, revoked.closing)
    old_link = cluster.group["participants"][3]["join_path"]
    answer = revoked.http.get(people.front + old_link, allow_redirects=False, timeout=10)
    assert answer.status_code == 404


def test_plain_http_is_redirected_to_https(cluster):
    answer = requests.get(cluster.front.redirect_url + "/login?next=/", allow_redirects=False,
                          timeout=10)
    assert answer.status_code == 301
    assert answer.headers["Location"] == "https://127.0.0.1/login?next=/"


def test_join_tokens_stay_out_of_the_access_log(cluster, people):
    member = people.participant(1, on=cluster.worker_ids()[0])
    assert member.live.connected
    log = cluster.front.access_log()
    assert "GET /join/[token]" in log
    for person in cluster.group["participants"]:
        assert person["join_path"].rsplit("/", 1)[-1] not in log


def open_websocket(front_port: int, source: str) -> tuple[socket.socket, str]:
    """Open an Engine.IO WebSocket through nginx from ``source``; the socket and status line."""
    sock = socket.create_connection(("127.0.0.1", front_port), timeout=10,
                                    source_address=(source, 0))
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall((f"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
                  f"Host: 127.0.0.1:{front_port}\r\nUpgrade: websocket\r\n"
                  f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                  f"Sec-WebSocket-Version: 13\r\n\r\n").encode())
    return sock, sock.recv(4096).decode("latin-1").split("\r\n", 1)[0]


def test_one_address_cannot_hold_more_than_100_live_connections(cluster):
    """nginx's limit_conn: the 101st live connection from one address is refused (429)."""
    with ExitStack() as stack:
        statuses = []
        for _ in range(101):
            sock, status = open_websocket(cluster.front.port, "127.0.1.77")
            stack.callback(sock.close)
            statuses.append(status)
        assert all(" 101 " in s for s in statuses[:100]), set(statuses[:100])
        assert " 429 " in statuses[100], statuses[100]
        other, elsewhere = open_websocket(cluster.front.port, "127.0.1.78")
        stack.callback(other.close)
        assert " 101 " in elsewhere  # another address is not affected
