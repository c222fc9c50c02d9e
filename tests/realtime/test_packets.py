"""What the server sends is JSON only (``facilitator.transport.JsonPacket``): no search for
binary parts, and a client's binary event still gets a plain answer."""

from helpers import NAMESPACE, emit, joined
from helpers.scenes import ok, refused, scene
from socketio import packet

from facilitator.extensions import socketio
from facilitator.transport import JsonPacket


def test_the_live_server_sends_json_packets(app):
    assert socketio.server.packet_class is JsonPacket


def test_a_json_packet_is_never_turned_into_a_binary_one():
    """Pins python-socketio's ``uses_binary_events``: if a release stopped honouring it, data
    would be searched again (and bytes sent as attachments), and this fails."""
    sent = JsonPacket(packet.EVENT, data=["agenda:changed", {"item": {"title": "Welcome"}}],
                      namespace=NAMESPACE)
    assert sent.packet_type == packet.EVENT
    assert sent.encode() == '2/live,["agenda:changed",{"item":{"title":"Welcome"}}]'
    assert JsonPacket(packet.EVENT, data=["x", b"raw"]).packet_type == packet.EVENT


def test_a_member_sees_the_room_as_before(app, world):
    stage = scene(app, world, live=True, people=1)
    snapshot = joined(stage.people[0], stage.sid)
    item_id = snapshot["agenda"][1]["id"]
    ok(emit(stage.fac, "agenda:activate", {"session_id": stage.sid, "item_id": item_id}))
    heard = [m for m in stage.people[0].get_received(NAMESPACE) if m["name"] == "agenda:changed"]
    assert heard[-1]["args"][0]["item"]["id"] == item_id


def test_a_binary_event_is_answered_and_the_connection_stays(app, world):
    stage = scene(app, world, live=True, people=1)
    sock = stage.people[0]
    answer = emit(sock, "card:submit", {"session_id": stage.sid, "text": b"\xff\xfe raw",
                                        "problem_area": "grief", "client_id": "bytes-card-1"})
    refused(answer, "invalid")
    assert sock.is_connected(NAMESPACE)
    assert joined(sock, stage.sid)["session"]["status"] == "live"
