from helpers import emit, facilitator_socket, joined, participant_socket, received


def test_checkin_with_item9_alerts_facilitator_only(app, world):
    fac = facilitator_socket(app, world)
    p1 = participant_socket(app, world, 0)
    p2 = participant_socket(app, world, 1)
    assert fac.is_connected("/live") and p1.is_connected("/live")
    state = joined(fac, world.session_id)
    assert "checkins" in state
    pstate = joined(p1, world.session_id)
    assert "checkins" not in pstate
    joined(p2, world.session_id)
    started = emit(fac, "session:start", {"session_id": world.session_id})
    assert started == {"ok": True, "status": "live"}
    for s in (fac, p1, p2):
        received(s)
    ack = emit(p1, "checkin:submit", {"session_id": world.session_id, "client_id": "abcdefgh-1",
                                      "mood": 3, "phq9": [1, 1, 1, 1, 1, 1, 1, 1, 1]})
    assert ack["ok"] and ack["phq9_total"] == 9 and ack["severity"] == "mild" and ack["support"]
    assert received(fac, "alert:raised")
    assert not received(p2)
