"""The half of a participant's snapshot that every member shares (realtime.shared): built once,
and never staler than what a connected member was told."""

import pytest
from helpers import NAMESPACE, emit, joined
from helpers.scenes import ok, scene, statements_during

from facilitator.extensions import db
from facilitator.models import Group
from realtime.shared import Snapshots, WatchedManager, WatchedRedisManager


@pytest.fixture
def kept(app):
    """Shared parts kept far longer than a test lasts: only a publish or a page write drops one."""
    app.extensions["facilitator.shared_snapshots"].seconds = 600
    return app


def test_the_second_member_joining_reads_less(kept, world):
    stage = scene(kept, world, live=True, people=2)
    first = statements_during(kept, lambda: joined(stage.people[0], stage.sid))
    second = statements_during(kept, lambda: joined(stage.people[1], stage.sid))
    assert len(second) < len(first), (first, second)


def test_a_member_joining_after_a_push_sees_it(kept, world):
    stage = scene(kept, world, live=True, people=2)
    before = joined(stage.people[0], stage.sid)  # the part is kept now
    item_id = before["agenda"][2]["id"]
    assert before["current_item_id"] != item_id
    ok(emit(stage.fac, "agenda:activate", {"session_id": stage.sid, "item_id": item_id}))
    ok(emit(stage.fac, "prompt:push", {"session_id": stage.sid, "text": "Ask for help",
                                       "problem_area": "role_transition"}))
    after = joined(stage.people[1], stage.sid)
    assert after["current_item_id"] == item_id
    assert after["prompt"]["text"] == "Ask for help"


def test_each_member_gets_their_own_role_from_one_kept_part(kept, world):
    stage = scene(kept, world, live=True, people=3)
    ids = world.participant_ids
    ok(emit(stage.fac, "prompt:push", {
        "session_id": stage.sid, "text": "Practise asking for help",
        "problem_area": "role_transition",
        "roles": [{"participant_id": ids[0], "role": "Speaker"},
                  {"participant_id": ids[1], "role": "Listener"}]}))
    roles = [joined(sock, stage.sid)["prompt"]["my_role"] for sock in stage.people]
    assert roles == ["Speaker", "Listener", None]


def test_a_page_write_drops_every_kept_part(kept, world):
    stage = scene(kept, world, live=True, people=2)
    joined(stage.people[0], stage.sid)
    with kept.test_request_context("/groups"):  # a page request of this worker
        db.session.get(Group, world.group_id).name = "Tuesday group"
        db.session.commit()
    assert joined(stage.people[1], stage.sid)["session"]["group_name"] == "Tuesday group"


def test_a_build_that_raced_a_publish_is_not_kept():
    snapshots = Snapshots(seconds=600)
    stamp = snapshots.stamp(7, 3)
    snapshots.published("s7:g")  # a change went out while the part was being read
    snapshots.put(stamp, 7, part_of_group(3))
    assert snapshots.get(7, 3) is None
    snapshots.put(snapshots.stamp(7, 3), 7, part_of_group(3))
    assert snapshots.get(7, 3) is not None
    snapshots.published("g3")  # the group's board, any of its sessions
    assert snapshots.get(7, 3) is None


def test_presence_and_rooms_of_other_sessions_keep_the_part():
    snapshots = Snapshots(seconds=600)
    snapshots.put(snapshots.stamp(7, 3), 7, part_of_group(3))
    for room in ("s70", "g30:f", "u:p:4", "jK1xq2"):
        snapshots.published(room)
    assert snapshots.get(7, 3) is not None


def test_a_broadcast_to_everyone_drops_every_part():
    snapshots = Snapshots(seconds=600)
    snapshots.put(snapshots.stamp(7, 3), 7, part_of_group(3))
    snapshots.published(None)
    assert snapshots.get(7, 3) is None


def test_off_keeps_nothing():
    snapshots = Snapshots(seconds=0)
    snapshots.put(snapshots.stamp(7, 3), 7, part_of_group(3))
    assert snapshots.get(7, 3) is None


def test_messages_back_from_the_queue_are_watched():
    """A message another worker sent arrives through PubSubManager's own ``emit`` call, which
    must reach ``WatchedManager.emit`` (python-socketio's MRO; fails if that changes)."""
    mro = WatchedRedisManager.__mro__
    assert mro.index(WatchedManager) > mro.index(__import__("socketio").PubSubManager)
    manager = WatchedRedisManager.__new__(WatchedRedisManager)
    manager.snapshots = Snapshots(seconds=600)
    manager.snapshots.put(manager.snapshots.stamp(7, 3), 7, part_of_group(3))
    manager.rooms = {}
    manager._handle_emit({"event": "agenda:changed", "data": {}, "namespace": NAMESPACE,
                          "room": "s7"})
    assert manager.snapshots.get(7, 3) is None


def part_of_group(group_id: int):
    """A shared part with nothing in it but its group."""
    from realtime.shared import SharedPart

    return SharedPart(group_id=group_id, session={}, course={}, agenda=[], current_item_id=None,
                      prompt=None, roles=(), timer=(None, None, None), board={},
                      facilitators=(), members=())
