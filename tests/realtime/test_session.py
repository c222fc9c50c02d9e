"""Joining, the state snapshot, session status, agenda, role-play prompts and the timer."""

from datetime import datetime

import pytest
from helpers import NAMESPACE, emit, facilitator_socket, joined, make_group, participant_socket
from helpers.scenes import inbox, ok, refused, scene, statements_during

from facilitator.extensions import db
from facilitator.models import Facilitator

PRIVATE_KEYS = {"checkins", "alerts", "pending_cards", "reflections", "follow_ups",
                "risk_history"}
SHARED_KEYS = {"session", "me", "agenda", "current_item_id", "prompt", "timer", "presence",
               "board", "my_checkin", "homework"}


def moment(text: str) -> datetime:
    """Parse the server's ISO 8601 UTC times."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_facilitator_snapshot_has_everything(app, world):
    fac = facilitator_socket(app, world)
    state = joined(fac, world.session_id)
    assert set(state) >= SHARED_KEYS | PRIVATE_KEYS
    assert {k: state["session"][k] for k in ("id", "group_id", "number", "status")} == {
        "id": world.session_id, "group_id": world.group_id, "number": 1, "status": "scheduled"}
    assert state["session"]["title"] and state["session"]["phase"] == "initial"
    assert state["me"] == {"kind": "facilitator", "id": world.facilitator_id,
                           "display_name": "Sam Lead"}
    assert len(state["agenda"]) >= 4
    for item in state["agenda"]:
        assert {"id", "title", "kind", "status"} <= set(item)
    assert state["current_item_id"] is None and state["prompt"] is None
    assert set(state["board"]) >= {"themes", "cards"}
    assert state["checkins"] == state["alerts"] == state["pending_cards"] == []
    assert state["reflections"] == []


def test_participant_snapshot_has_none_of_the_private_keys(app, world):
    sock = participant_socket(app, world, 1)
    state = joined(sock, world.session_id)
    assert set(state) >= SHARED_KEYS
    assert not PRIVATE_KEYS & set(state), sorted(PRIVATE_KEYS & set(state))
    assert state["me"] == {"kind": "participant", "id": world.participant_ids[1],
                           "display_name": "Person 2", "goals": [], "shared_summary": None}
    assert state["my_checkin"] is None and state["homework"] == []
    assert state["session"]["id"] == world.session_id


def test_snapshot_presence_lists_the_group(app, world):
    stage = scene(app, world, live=False, people=2)
    people = joined(stage.people[0], stage.sid)["presence"]["people"]
    by_id = {(p["kind"], p["id"]): p for p in people}
    assert by_id[("facilitator", world.facilitator_id)]["online"] is True
    assert by_id[("participant", world.participant_ids[1])]["online"] is True
    assert by_id[("participant", world.participant_ids[2])]["online"] is False
    for person in people:
        assert {"kind", "id", "display_name", "online", "hand_raised"} <= set(person)


def test_joining_an_unknown_session_is_not_found(app, world):
    for sock in (facilitator_socket(app, world), participant_socket(app, world)):
        refused(emit(sock, "session:join", {"session_id": 987654}), "not_found")


def test_start_tells_everyone_in_the_session(app, world):
    stage = scene(app, world, live=False)
    assert emit(stage.fac, "session:start", {"session_id": stage.sid}) == {
        "ok": True, "status": "live"}
    for sock in stage.everyone():
        assert inbox(sock)["session:status"] == [{"session_id": stage.sid, "status": "live"}]
    assert joined(stage.people[0], stage.sid)["session"]["status"] == "live"


def test_end_tells_everyone_and_stops_the_timer(app, world):
    stage = scene(app, world)
    ok(emit(stage.fac, "timer:start", {"session_id": stage.sid, "seconds": 300,
                                       "label": "Pairs"}))
    stage.drain()
    assert emit(stage.fac, "session:end", {"session_id": stage.sid}) == {
        "ok": True, "status": "ended"}
    for sock in stage.everyone():
        got = inbox(sock)
        assert got["session:status"] == [{"session_id": stage.sid, "status": "ended"}]
        assert got["timer"][-1]["ends_at"] is None
    state = joined(stage.people[2], stage.sid)
    assert state["session"]["status"] == "ended" and state["timer"]["ends_at"] is None


def test_starting_a_live_session_again_keeps_it_live(app, world):
    stage = scene(app, world)
    assert emit(stage.fac, "session:start", {"session_id": stage.sid})["status"] == "live"


@pytest.mark.parametrize(("before", "event"), [
    ([], "session:end"),
    (["session:start", "session:end"], "session:start"),
])
def test_status_conflicts(app, world, before, event):
    stage = scene(app, world, live=False)
    for step in before:
        ok(emit(stage.fac, step, {"session_id": stage.sid}))
    status = joined(stage.fac, stage.sid)["session"]["status"]
    stage.drain()
    refused(emit(stage.fac, event, {"session_id": stage.sid}), "conflict")
    for sock in stage.everyone():
        assert "session:status" not in inbox(sock)
    assert joined(stage.people[0], stage.sid)["session"]["status"] == status


def test_ending_twice_keeps_it_ended(app, world):
    stage = scene(app, world)
    stage.end()
    assert emit(stage.fac, "session:end", {"session_id": stage.sid})["status"] == "ended"


def test_agenda_activate_tells_everyone(app, world):
    stage = scene(app, world)
    agenda = joined(stage.fac, stage.sid)["agenda"]
    first, second = agenda[0], agenda[1]
    for item in (first, second):
        stage.drain()
        ack = ok(emit(stage.fac, "agenda:activate", {"session_id": stage.sid,
                                                     "item_id": item["id"]}))
        assert ack["current_item_id"] == item["id"]
        for sock in stage.everyone():
            (changed,) = inbox(sock)["agenda:changed"]
            assert changed["session_id"] == stage.sid
            assert changed["current_item_id"] == item["id"]
            assert changed["item"]["id"] == item["id"]
            assert changed["item"]["title"] == item["title"]
    state = joined(stage.people[1], stage.sid)
    assert state["current_item_id"] == second["id"]
    status = {i["id"]: i["status"] for i in state["agenda"]}
    assert status[second["id"]] == "active" and status[first["id"]] == "done"


def test_agenda_item_of_another_session_is_not_found(app, world):
    stage = scene(app, world)
    later = joined(stage.fac, world.session_ids[1])["agenda"][0]
    joined(stage.fac, stage.sid)
    stage.drain()
    refused(emit(stage.fac, "agenda:activate", {"session_id": stage.sid,
                                                "item_id": later["id"]}), "not_found")
    refused(emit(stage.fac, "agenda:activate", {"session_id": stage.sid,
                                                "item_id": 999999}), "not_found")
    for sock in stage.everyone():
        assert "agenda:changed" not in inbox(sock)
    assert joined(stage.fac, stage.sid)["current_item_id"] is None


def test_a_refused_push_leaves_the_current_item_as_it_was(app, world):
    stage = scene(app, world)
    later = joined(stage.fac, world.session_ids[1])["agenda"][0]
    first = joined(stage.fac, stage.sid)["agenda"][0]
    ok(emit(stage.fac, "agenda:activate", {"session_id": stage.sid, "item_id": first["id"]}))
    stage.drain()
    refused(emit(stage.fac, "agenda:activate", {"session_id": stage.sid,
                                                "item_id": later["id"]}), "not_found")
    state = joined(stage.people[0], stage.sid)
    assert state["current_item_id"] == first["id"]
    assert [i["status"] for i in state["agenda"] if i["id"] == first["id"]] == ["active"]
    assert all(i["status"] == "pending" for i in joined(stage.fac, world.session_ids[1])["agenda"])


def test_agenda_cannot_move_after_the_end(app, world):
    stage = scene(app, world)
    item = joined(stage.fac, stage.sid)["agenda"][0]
    stage.end()
    refused(emit(stage.fac, "agenda:activate", {"session_id": stage.sid,
                                                "item_id": item["id"]}), "conflict")
    refused(emit(stage.fac, "agenda:activate", {"session_id": stage.sid,
                                                "item_id": 999999}), "not_found")


def test_the_usual_push_is_two_writes_that_check_the_sender(app, world):
    stage = scene(app, world)
    item = joined(stage.fac, stage.sid)["agenda"][1]
    statements = statements_during(app, lambda: ok(emit(
        stage.fac, "agenda:activate", {"session_id": stage.sid, "item_id": item["id"]})))
    assert statements == ["UPDATE", "UPDATE"], "no sign-in or session query of its own"
    assert joined(stage.people[0], stage.sid)["current_item_id"] == item["id"]


def test_a_push_after_signing_out_elsewhere_is_refused_on_an_open_connection(app, world):
    stage = scene(app, world)
    first, second = joined(stage.fac, stage.sid)["agenda"][:2]
    ok(emit(stage.fac, "agenda:activate", {"session_id": stage.sid, "item_id": first["id"]}))
    with app.app_context():  # what POST /logout does on another worker, before its disconnect
        db.session.get(Facilitator, world.facilitator_id).session_version += 1
        db.session.commit()
    stage.drain()
    refused(emit(stage.fac, "agenda:activate", {"session_id": stage.sid,
                                                "item_id": second["id"]}), "unauthorized")
    for sock in stage.people:
        assert "agenda:changed" not in inbox(sock)
    assert joined(stage.people[0], stage.sid)["current_item_id"] == first["id"]


def test_a_facilitator_of_another_group_cannot_push_here(app, world):
    stage = scene(app, world)
    item = joined(stage.fac, stage.sid)["agenda"][0]
    other = facilitator_socket(app, make_group(app, 1, "Thursday group"))
    refused(emit(other, "agenda:activate", {"session_id": stage.sid, "item_id": item["id"]}),
            "forbidden")
    refused(emit(stage.people[0], "agenda:activate", {"session_id": stage.sid,
                                                      "item_id": item["id"]}), "forbidden")
    assert joined(stage.people[0], stage.sid)["current_item_id"] is None


def push(stage, roles, text="Ask your sister for help with the move"):
    """Push a role-play prompt; return its ack."""
    return emit(stage.fac, "prompt:push", {"session_id": stage.sid, "text": text,
                                           "problem_area": "role_dispute", "roles": roles})


def test_prompt_is_personal_for_each_participant(app, world):
    stage = scene(app, world)
    p1, p2, _ = world.participant_ids
    ack = ok(push(stage, [{"participant_id": p1, "role": "You"},
                          {"participant_id": p2, "role": "Your sister"}]))
    cast = [{"participant_id": p1, "display_name": "Person 1", "role": "You"},
            {"participant_id": p2, "display_name": "Person 2", "role": "Your sister"}]
    expected_roles = [None, "You", "Your sister", None]
    for sock, my_role in zip(stage.everyone(), expected_roles, strict=True):
        (pushed,) = inbox(sock)["prompt:pushed"]
        assert pushed["prompt_id"] == ack["prompt_id"]
        assert pushed["text"] == "Ask your sister for help with the move"
        assert pushed["problem_area"] == "role_dispute"
        assert pushed["my_role"] == my_role
        assert pushed["cast"] == cast


def test_prompt_without_roles(app, world):
    stage = scene(app, world, people=1)
    ok(emit(stage.fac, "prompt:push", {"session_id": stage.sid, "text": "Think of a loss"}))
    (pushed,) = inbox(stage.people[0])["prompt:pushed"]
    assert (pushed["my_role"], pushed["cast"], pushed["problem_area"]) == (None, [], None)


def test_late_joiner_sees_the_prompt_with_their_role(app, world):
    stage = scene(app, world, people=1)
    p1, p2, p3 = world.participant_ids
    ack = ok(push(stage, [{"participant_id": p3, "role": "The boss"}]))
    late = participant_socket(app, world, 2)
    prompt = joined(late, stage.sid)["prompt"]
    assert prompt["prompt_id"] == ack["prompt_id"] and prompt["my_role"] == "The boss"
    assert [(c["display_name"], c["role"]) for c in prompt["cast"]] == [
        ("Person 3", "The boss")]
    assert joined(stage.people[0], stage.sid)["prompt"]["my_role"] is None
    assert joined(stage.fac, stage.sid)["prompt"]["prompt_id"] == ack["prompt_id"]


def test_a_new_prompt_replaces_the_old_and_clear_takes_it_down(app, world):
    stage = scene(app, world)
    ok(push(stage, [], text="First"))
    second = ok(push(stage, [], text="Second"))
    assert joined(stage.people[0], stage.sid)["prompt"]["prompt_id"] == second["prompt_id"]
    stage.drain()
    ok(emit(stage.fac, "prompt:clear", {"session_id": stage.sid}))
    for sock in stage.everyone():
        assert len(inbox(sock)["prompt:cleared"]) == 1
    assert joined(stage.people[1], stage.sid)["prompt"] is None
    assert joined(stage.fac, stage.sid)["prompt"] is None


def test_a_role_for_someone_outside_the_group_pushes_nothing(app, world):
    stage = scene(app, world)
    ack = push(stage, [{"participant_id": 424242, "role": "Ghost"}])
    assert ack["ok"] is False
    for sock in stage.everyone():
        assert "prompt:pushed" not in inbox(sock)
    assert joined(stage.people[0], stage.sid)["prompt"] is None


def test_timer_start_and_stop_reach_everyone(app, world):
    stage = scene(app, world)
    ack = ok(emit(stage.fac, "timer:start", {"session_id": stage.sid, "seconds": 600,
                                             "label": "Role-play"}))
    ends_at = ack["ends_at"]
    for sock in stage.everyone():
        (timer,) = inbox(sock)["timer"]
        assert timer["ends_at"] == ends_at and timer["running"] is True
        assert (timer["seconds"], timer["label"]) == (600, "Role-play")
        assert 0 < (moment(ends_at) - moment(timer["server_now"])).total_seconds() <= 600
    assert joined(stage.people[0], stage.sid)["timer"]["ends_at"] == ends_at
    ok(emit(stage.fac, "timer:stop", {"session_id": stage.sid}))
    for sock in stage.everyone():
        (timer,) = inbox(sock)["timer"]
        assert timer["ends_at"] is None and timer["running"] is False
    assert joined(stage.people[1], stage.sid)["timer"]["ends_at"] is None


def test_a_restarted_timer_has_a_new_end(app, world):
    stage = scene(app, world, people=1)
    first = ok(emit(stage.fac, "timer:start", {"session_id": stage.sid, "seconds": 60,
                                               "label": "Short"}))
    again = ok(emit(stage.fac, "timer:start", {"session_id": stage.sid, "seconds": 3600,
                                               "label": "Long"}))
    assert moment(again["ends_at"]) > moment(first["ends_at"])
    timer = joined(stage.people[0], stage.sid)["timer"]
    assert (timer["ends_at"], timer["label"]) == (again["ends_at"], "Long")


def test_rejoining_after_being_away_shows_everything_missed(app, world):
    """Recovery: a phone that dropped out rejoins and lands exactly where the group is."""
    stage = scene(app, world, live=False)
    away = stage.people[2]
    away.disconnect(NAMESPACE)
    ok(emit(stage.fac, "session:start", {"session_id": stage.sid}))
    item = joined(stage.fac, stage.sid)["agenda"][2]
    ok(emit(stage.fac, "agenda:activate", {"session_id": stage.sid, "item_id": item["id"]}))
    ok(push(stage, [{"participant_id": world.participant_ids[2], "role": "Neighbour"}]))
    timer = ok(emit(stage.fac, "timer:start", {"session_id": stage.sid, "seconds": 120,
                                               "label": "Think"}))
    homework = ok(emit(stage.fac, "homework:assign", {"session_id": stage.sid,
                                                      "text": "Say hello to a neighbour"}))
    theme = ok(emit(stage.fac, "theme:create", {"session_id": stage.sid, "title": "Moving",
                                                "problem_area": "role_transition"}))
    posted = ok(emit(stage.people[0], "card:submit", {
        "session_id": stage.sid, "client_id": "card-0001", "text": "New town, no friends",
        "problem_area": "role_transition"}))
    ok(emit(stage.fac, "card:moderate", {"card_id": posted["card_id"], "action": "approve"}))
    back = participant_socket(app, world, 2)
    state = joined(back, stage.sid)
    assert state["session"]["status"] == "live"
    assert state["current_item_id"] == item["id"]
    assert state["prompt"]["my_role"] == "Neighbour"
    assert state["timer"]["ends_at"] == timer["ends_at"]
    assert [h["assignment_id"] for h in state["homework"]] == [homework["assignment_id"]]
    assert [t["id"] for t in state["board"]["themes"]] == [theme["theme"]["id"]]
    assert [(c["id"], c["author"]) for c in state["board"]["cards"]] == [
        (posted["card_id"], None)]
    me = [p for p in state["presence"]["people"] if p["id"] == world.participant_ids[2]
          and p["kind"] == "participant"]
    assert me[0]["online"] is True


def test_joining_another_session_leaves_the_first(app, world):
    stage = scene(app, world, people=2)
    mover = stage.people[1]
    joined(mover, world.session_ids[1])
    item = joined(stage.fac, stage.sid)["agenda"][0]["id"]
    stage.drain()
    ok(emit(stage.fac, "agenda:activate", {"session_id": stage.sid, "item_id": item}))
    ok(emit(stage.fac, "timer:start", {"session_id": stage.sid, "seconds": 9, "label": ""}))
    assert {"agenda:changed", "timer"} <= set(inbox(stage.people[0]))
    assert not {"agenda:changed", "timer"} & set(inbox(mover))
