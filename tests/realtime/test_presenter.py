"""Presenter mode: a console shared with the group receives only what the group may see.

The scan records every frame and every ack of the presenting facilitator's connections
while presenter mode is on, including a second connection opened meanwhile (a reconnect),
and looks for what must never be on a shared screen.
"""

import uuid

from helpers import NAMESPACE, emit, facilitator_socket, joined, make_group
from helpers.scenes import (
    answers_for,
    card,
    checkin,
    client_id,
    cofacilitator,
    dump,
    inbox,
    ok,
    refused,
    rows,
    scene,
    walk,
)

from facilitator.models import AuditEvent

PRIVATE_EVENTS = {"checkin:received", "alert:raised", "alert:acknowledged",
                  "reflection:received", "card:pending", "card:rejected"}
PRIVATE_KEYS = {"checkins", "alerts", "pending_cards", "reflections", "removed_cards",
                "author_id", "author_kind", "flagged", "alert_id", "note", "phq9",
                "participants", "script", "words", "purpose"}


class Tape:
    """Every frame and ack of some connections, from now on."""

    def __init__(self, *socks):
        self.socks = list(socks)
        self.log: list[dict] = []

    def add(self, sock) -> None:
        """Record one more connection."""
        self.socks.append(sock)

    def emit(self, sock, event: str, payload: dict) -> dict:
        """Send an event on a recorded connection; keep its ack."""
        self.collect()
        ack = emit(sock, event, payload)
        self.log.append({"name": f"ack {event}", "args": [ack]})
        return ok(ack)

    def collect(self) -> list[dict]:
        """Keep what arrived so far; return the whole record."""
        for sock in self.socks:
            self.log += [{"name": f["name"], "args": f["args"]}
                         for f in sock.get_received(NAMESPACE)]
        return self.log


def without_roster(log: list[dict]) -> str:
    """The record as text, leaving out the roster everyone in the group sees (presence)."""
    kept = []
    for entry in log:
        if entry["name"] == "presence":
            continue
        args = dump(entry["args"])
        kept.append(args)
    text = " ".join(kept)
    for entry in log:  # the snapshot's own roster
        for obj in walk(entry["args"]):
            if "presence" in obj:
                text = text.replace(dump(obj["presence"])[1:-1], "")
    return text


def test_nothing_private_reaches_a_console_in_presenter_mode(app, world):
    app.config["EVENT_RATE_BURST"] = 10_000
    stage = scene(app, world)
    co = facilitator_socket(app, cofacilitator(app, world))
    joined(co, stage.sid)
    marks = {kind: f"{kind}-{uuid.uuid4().hex[:8]}" for kind in
             ("NOTE1", "NOTE2", "REFL", "HW", "ANON1", "ANON3", "NAMED")}
    early = ok(emit(stage.people[0], "card:submit",
                    card(stage.sid, marks["ANON1"], anonymous=True)))["card_id"]
    ok(emit(stage.fac, "card:moderate", {"card_id": early, "action": "approve"}))
    stage.drain()
    co.get_received(NAMESPACE)

    tape = Tape(stage.fac)
    on = tape.emit(stage.fac, "presenter:set", {"session_id": stage.sid, "on": True})
    assert on["on"] is True and on["state"]["presenter"] is True
    play_private_things(stage, co, marks)
    again = facilitator_socket(app, world)  # the shared screen reconnects
    tape.add(again)
    state = tape.emit(again, "session:join", {"session_id": stage.sid})["state"]
    assert state["presenter"] is True and state["alerts_waiting"] == 2
    assert {c["text"] for c in state["board"]["cards"]} >= {marks["ANON1"], marks["ANON3"]}
    log = tape.collect()

    names = {entry["name"] for entry in log}
    assert not names & PRIVATE_EVENTS, names & PRIVATE_EVENTS
    assert {"alert:waiting", "card:published", "agenda:changed"} <= names
    for entry in log:
        if entry["name"] == "alert:waiting":
            assert entry["args"] == [{"group_id": world.group_id}]
        for obj in walk(entry["args"]):
            assert not PRIVATE_KEYS & set(obj), (entry["name"], PRIVATE_KEYS & set(obj))
            if obj.get("anonymous") is True:
                assert obj["author"] is None, obj
    text = dump(log)
    for kind in ("NOTE1", "NOTE2", "REFL", "HW"):
        assert marks[kind] not in text, f"{kind} reached the shared screen"
    for reason in ("phq9_item9", "needs_support", "item9"):
        assert reason not in text
    shared = without_roster(log)
    for name in ("Person 1", "Person 3"):  # authors of anonymous cards
        assert name not in shared, f"{name} is named outside the roster"
    assert marks["NAMED"] in text and "Person 2" in shared, "a named card keeps its name"

    off = ok(emit(stage.fac, "presenter:set", {"session_id": stage.sid, "on": False}))
    private = dump(off["state"])
    assert off["state"]["presenter"] is False
    for kind in ("NOTE1", "NOTE2", "REFL", "HW"):
        assert marks[kind] in private, f"{kind} was really sent (seen once it is off)"
    assert len(off["state"]["alerts"]) == 2


def play_private_things(stage, co, marks) -> None:
    """While the lead presents: check-ins with notes, alerts, cards, homework, a reflection."""
    sid = stage.sid
    ok(emit(stage.people[0], "checkin:submit",
            checkin(sid, 2, note=marks["NOTE1"], phq9=answers_for(12, item9=3))))
    ok(emit(stage.people[1], "checkin:submit",
            checkin(sid, 3, note=marks["NOTE2"], needs_support=True)))
    anon = ok(emit(stage.people[2], "card:submit",
                   card(sid, marks["ANON3"], anonymous=True)))["card_id"]
    named = ok(emit(stage.people[1], "card:submit",
                    card(sid, marks["NAMED"], anonymous=False)))["card_id"]
    rejected = ok(emit(stage.people[2], "card:submit", card(sid, "no")))["card_id"]
    for card_id in (anon, named):
        ok(emit(co, "card:moderate", {"card_id": card_id, "action": "approve"}))
    ok(emit(co, "card:moderate", {"card_id": rejected, "action": "reject"}))
    own = ok(emit(co, "homework:assign", {"session_id": sid, "text": marks["HW"],
                                          "participant_id": stage.world.participant_ids[0]}))
    ok(emit(stage.people[0], "reflection:submit", {
        "client_id": client_id(), "assignment_id": own["assignment_id"],
        "text": marks["REFL"]}))
    ok(emit(co, "homework:assign", {"session_id": sid, "text": "Walk with someone"}))
    ok(emit(co, "prompt:push", {"session_id": sid, "text": "Ask for an hour to yourself"}))
    ok(emit(co, "timer:start", {"session_id": sid, "seconds": 60, "label": "Pairs"}))
    item = joined(co, sid)["agenda"][1]["id"]  # the item comes with its script, to co only
    ok(emit(co, "agenda:activate", {"session_id": sid, "item_id": item}))


def test_presenter_mode_keeps_the_room_running(app, world):
    stage = scene(app, world)
    ok(emit(stage.fac, "presenter:set", {"session_id": stage.sid, "on": True}))
    stage.drain()
    ok(emit(stage.fac, "prompt:push", {"session_id": stage.sid, "text": "Say no kindly"}))
    ok(emit(stage.fac, "timer:start", {"session_id": stage.sid, "seconds": 60, "label": ""}))
    got = inbox(stage.fac)
    assert got["prompt:pushed"][0]["text"] == "Say no kindly"
    assert got["prompt:pushed"][0]["my_role"] is None
    assert got["timer"][0]["running"] is True


def test_the_co_facilitator_still_gets_every_alert(app, world):
    stage = scene(app, world)
    co = facilitator_socket(app, cofacilitator(app, world))
    assert joined(co, stage.sid)["presenter"] is False
    ok(emit(stage.fac, "presenter:set", {"session_id": stage.sid, "on": True}))
    co.get_received(NAMESPACE)
    stage.drain()
    ok(emit(stage.people[0], "checkin:submit", checkin(stage.sid, needs_support=True)))
    assert len(inbox(co)["alert:raised"]) == 1
    got = inbox(stage.fac)
    assert "alert:raised" not in got and got["alert:waiting"] == [{"group_id": world.group_id}]


def test_turning_it_on_moves_the_facilitator_s_other_consoles_too(app, world):
    stage = scene(app, world, people=1)
    tab = facilitator_socket(app, world)
    joined(tab, stage.sid)
    tab.get_received(NAMESPACE)
    ok(emit(stage.fac, "presenter:set", {"session_id": stage.sid, "on": True}))
    assert inbox(tab)["presenter:changed"] == [{"session_id": stage.sid, "on": True}]
    assert joined(tab, stage.sid)["presenter"] is True, "its join gives the shared view"
    ok(emit(tab, "presenter:set", {"session_id": stage.sid, "on": False}))
    assert inbox(stage.fac)["presenter:changed"][-1]["on"] is False
    state = joined(stage.fac, stage.sid)
    assert state["presenter"] is False and "checkins" in state
    assert rows(app, AuditEvent, action="presenter.on") == 1
    assert rows(app, AuditEvent, action="presenter.off") == 1


def test_presenter_mode_belongs_to_one_session(app, world):
    stage = scene(app, world, people=0)
    ok(emit(stage.fac, "presenter:set", {"session_id": stage.sid, "on": True}))
    ok(emit(stage.fac, "presenter:set", {"session_id": stage.sid, "on": True}))
    assert joined(stage.fac, world.session_ids[1])["presenter"] is False


def test_only_the_group_s_facilitators_switch_presenter_mode(app, world):
    stage = scene(app, world, people=1)
    refused(emit(stage.people[0], "presenter:set", {"session_id": stage.sid, "on": True}),
            "forbidden")
    other = make_group(app, 1, name="Thursday group", email="other@example.org")
    outsider = facilitator_socket(app, other)
    refused(emit(outsider, "presenter:set", {"session_id": stage.sid, "on": True}),
            "forbidden")
    for bad in ({"session_id": stage.sid}, {"session_id": stage.sid, "on": "yes"},
                {"session_id": "1", "on": True}, None):
        refused(emit(stage.fac, "presenter:set", bad), "invalid")
    state = joined(stage.people[0], stage.sid)
    assert "presenter" not in state and "alerts_waiting" not in state
