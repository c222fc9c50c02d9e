"""The privacy scan, on a real server: everything a participant's connection received.

A whole scripted session (check-ins with PHQ-9 item 9, a request for support, alerts and their
acknowledgement, personal and group homework, reflections, anonymous, named, pending and
rejected cards) with three participants. Each connection records every frame and every ack;
nothing it may not see may be in them. The facilitator's recording proves the markers were
really sent, and the server's log must hold none of the health data.
"""

import json
import re

import pytest
import requests
from helpers import TEST_CONFIG
from helpers.server import (
    LiveServer,
    call,
    connect,
    facilitator_cookies,
    join,
    participant_cookies,
)

NINE = [0, 0, 0, 0, 0, 0, 0, 0, 1]


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    """Run the scripted session once; return what each connection saw, and the server log."""
    server = LiveServer(tmp_path_factory.mktemp("privacy"))
    server.prepare()
    give_plans(server)
    server.start()
    try:
        seen = script(server)
        seen["pages"] = participant_pages(server)
        yield seen | {"log": server.log()}
    finally:
        server.stop()


def script(server: LiveServer) -> dict:
    """The scripted session; returns every connection's frames and acks as JSON text."""
    base, group = server.base_url, server.group(0)
    sid = group["session_id"]
    login = group["facilitator"]
    fac = connect(base, facilitator_cookies(base, login["email"], login["password"]))
    people = [connect(base, participant_cookies(base, p["join_path"]))
              for p in group["participants"]]
    acks = {i: [] for i in range(3)}

    def say(i, event, payload):
        acks[i].append(call(people[i], event, payload))
        return acks[i][-1]

    agenda = join(fac, sid)["agenda"]
    for i in range(3):
        acks[i].append(join(people[i], sid))
    assert call(fac, "session:start", {"session_id": sid})["ok"]
    assert call(fac, "agenda:activate", {"session_id": sid, "item_id": agenda[1]["id"]})["ok"]
    pid = [p["participant_id"] for p in group["participants"]]
    say(0, "checkin:submit", {"session_id": sid, "client_id": "priv-ci-0", "mood": 2,
                              "phq9": NINE, "note": "MARK-NOTE-P0"})
    say(1, "checkin:submit", {"session_id": sid, "client_id": "priv-ci-1", "mood": 3,
                              "needs_support": True, "note": "MARK-NOTE-P1"})
    say(2, "checkin:submit", {"session_id": sid, "client_id": "priv-ci-2", "mood": 7})
    personal = call(fac, "homework:assign", {"session_id": sid, "text": "MARK-HW-P0",
                                             "participant_id": pid[0]})["assignment_id"]
    shared = call(fac, "homework:assign", {"session_id": sid, "text": "Walk"})["assignment_id"]
    say(0, "reflection:submit", {"client_id": "priv-rf-0", "assignment_id": personal,
                                 "text": "MARK-REFL-P0"})
    say(1, "reflection:submit", {"client_id": "priv-rf-1", "assignment_id": shared,
                                 "text": "MARK-REFL-P1"})
    # Staying-well plans (the ending): each member's own, for their facilitators.
    say(0, "wellplan:save", {"warning_signs": "MARK-WELL-P0", "what_helps": "Walks"})
    say(1, "wellplan:save", {"who_to_contact": "MARK-WELL-P1"})
    cards = {
        "anon": say(0, "card:submit", card(sid, "priv-cd-0", "MARK-CARD-ANON", True)),
        "named": say(1, "card:submit", card(sid, "priv-cd-1", "MARK-CARD-NAMED", False)),
        "rejected": say(2, "card:submit", card(sid, "priv-cd-2", "MARK-CARD-REJECTED", True)),
        "pending": say(1, "card:submit", card(sid, "priv-cd-3", "MARK-CARD-PENDING", True)),
    }
    for name, action in (("anon", "approve"), ("named", "approve"), ("rejected", "reject")):
        assert call(fac, "card:moderate", {"card_id": cards[name]["card_id"],
                                           "action": action})["ok"]
    state = join(fac, sid)
    for alert in state["alerts"]:
        assert call(fac, "alert:ack", {"alert_id": alert["alert_id"], "note": "MARK-ACK"})["ok"]
        assert call(fac, "risk:record", risk_record(alert["alert_id"]))["ok"]
    closed = state["alerts"][0]["alert_id"]
    assert call(fac, "risk:follow_up", {"alert_id": closed, "outcome": "MARK-FOLLOW"})["ok"]
    own_roleplay(fac, sid, pid)
    state = join(fac, sid)  # the snapshot with the open follow-up
    for i in range(3):
        acks[i].append(join(people[i], sid))
    call(fac, "timer:start", {"session_id": sid, "seconds": 30, "label": "barrier"})
    for sock in people:
        sock.wait_for_event("timer")
    seen = {f"p{i}": json.dumps({"frames": people[i].received, "acks": acks[i]})
            for i in range(3)}
    seen["fac"] = json.dumps(fac.received) + json.dumps(state)
    seen["frames"] = {f"p{i}": people[i].received for i in range(3)}
    for sock in [fac, *people]:
        sock.disconnect()
    return seen


def own_roleplay(fac, sid: int, pid: list[int]) -> None:
    """Participant 0 rehearses their own conversation from their inventory card (its private
    label carries a marker) with participant 1; the debrief carries markers too."""
    people = join(fac, sid)["participants"]
    cards = next(p for p in people if p["id"] == pid[0])["inventory"]
    card_id = next(c["id"] for c in cards if c["label"] == "MARK-INV-P0")
    prompt = call(fac, "prompt:push", {
        "session_id": sid, "text": "Ask for an evening to yourself", "for_participant_id": pid[0],
        "partner_id": pid[1], "inventory_person_id": card_id, "other_person": "a partner",
        "wants_to_say": "I need one evening a week", "safety_checked": True})
    assert prompt["ok"], prompt
    assert call(fac, "roleplay:debrief", {"session_id": sid, "prompt_id": prompt["prompt_id"],
                                          "worked": "MARK-DEBRIEF-WORKED",
                                          "next_time": "MARK-DEBRIEF-NEXT"})["ok"]


def give_plans(server: LiveServer) -> None:
    """Before the server starts: each of the first three members of group 0 gets a goal and
    a shared line carrying their own marker (whatever plan the demo gave them is dropped)."""
    from facilitator import create_app
    from facilitator.extensions import db
    from facilitator.models import InventoryPerson, Participant
    from facilitator.services import plans

    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": server.env["DATABASE_URL"]})
    with app.app_context():
        for i, person in enumerate(server.group(0)["participants"][:3]):
            member = db.session.get(Participant, person["participant_id"])
            for goal in list(member.goals):
                plans.retire_goal(goal)
            plans.add_goal(member, f"MARK-GOAL-P{i}")
            plans.set_shared_summary(member, f"MARK-SUMM-P{i}")
            db.session.add(InventoryPerson(participant_id=member.id, label=f"MARK-INV-P{i}",
                                           relationship_to="partner", closeness=2))
        db.session.commit()
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()


def participant_pages(server: LiveServer) -> dict:
    """After the session: the HTML of every page each participant opens (notice, live, help)."""
    pages = {}
    for i, person in enumerate(server.group(0)["participants"]):
        with requests.Session() as http:
            notice = http.get(server.base_url + person["join_path"], timeout=10)
            token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', notice.text).group(1)
            target = re.search(r'name="next"[^>]*value="([^"]+)"', notice.text).group(1)
            live_page = http.post(server.base_url + "/notice", timeout=10,
                                  data={"csrf_token": token, "next": target})
            help_page = http.get(server.base_url + "/help", timeout=10)
            plan_file = http.get(server.base_url + "/my-staying-well-plan.txt", timeout=10)
            pages[f"p{i}"] = notice.text + live_page.text + help_page.text + plan_file.text
    return pages


def risk_record(alert_id):
    """A complete risk:record payload carrying a marker."""
    return {"alert_id": alert_id, "asked_directly": True, "thoughts": "passive", "plan": False,
            "means": False, "past_attempt": False, "risk_level": "medium",
            "protective_factors": "MARK-RISK", "actions": ["safety_plan"],
            "follow_up_due": "2099-01-01T09:00:00Z"}


def card(sid, client_id, text, anonymous):
    """A card:submit payload."""
    return {"session_id": sid, "client_id": client_id, "text": text,
            "problem_area": "role_transition", "anonymous": anonymous}


MARKERS = ["MARK-NOTE-P0", "MARK-NOTE-P1", "MARK-HW-P0", "MARK-REFL-P0", "MARK-REFL-P1",
           "MARK-CARD-ANON", "MARK-CARD-NAMED", "MARK-CARD-REJECTED", "MARK-CARD-PENDING",
           "MARK-ACK", "MARK-RISK", "MARK-FOLLOW", "MARK-DEBRIEF-WORKED",
           "MARK-DEBRIEF-NEXT", "MARK-INV-P0"]
# Each member's own plan: only their own phone gets it (facilitators see it elsewhere).
PLAN_MARKERS = [f"MARK-{kind}-P{i}" for kind in ("GOAL", "SUMM") for i in range(3)]
# Each member's staying-well plan: their own phone and file, and their facilitators.
WELL_MARKERS = ["MARK-WELL-P0", "MARK-WELL-P1"]
# What each participant may see of the markers: their own data and published cards.
ALLOWED = {
    "p0": {"MARK-NOTE-P0", "MARK-HW-P0", "MARK-REFL-P0", "MARK-CARD-ANON", "MARK-CARD-NAMED",
           "MARK-GOAL-P0", "MARK-SUMM-P0", "MARK-WELL-P0"},
    "p1": {"MARK-NOTE-P1", "MARK-REFL-P1", "MARK-CARD-ANON", "MARK-CARD-NAMED",
           "MARK-CARD-PENDING", "MARK-GOAL-P1", "MARK-SUMM-P1", "MARK-WELL-P1"},
    "p2": {"MARK-CARD-ANON", "MARK-CARD-NAMED", "MARK-CARD-REJECTED", "MARK-GOAL-P2",
           "MARK-SUMM-P2"},
}
PRIVATE_EVENTS = {"checkin:received", "alert:raised", "alert:acknowledged", "card:pending",
                  "reflection:received", "risk:updated", "roleplay:debriefed",
                  "wellplan:updated"}


def test_the_facilitator_saw_every_marker(recorded):
    for marker in MARKERS + WELL_MARKERS:
        assert marker in recorded["fac"], marker


def test_the_facilitator_got_every_item_s_script(recorded):
    assert '"script"' in recorded["fac"]
    assert '"words"' in recorded["fac"], "and the words a facilitator may use"


@pytest.mark.parametrize("who", ["p0", "p1", "p2"])
def test_a_participant_receives_only_what_they_may_see(recorded, who):
    seen = recorded[who]
    for marker in MARKERS + PLAN_MARKERS + WELL_MARKERS:
        if marker not in ALLOWED[who]:
            assert marker not in seen, f"{who} received {marker}"
    for marker in PLAN_MARKERS + WELL_MARKERS:
        if marker in ALLOWED[who]:
            assert marker in seen, f"{who} did not get their own {marker}"
    assert "agenda:changed" in {event for event, _ in recorded["frames"][who]}
    events = {event for event, _ in recorded["frames"][who]}
    assert not events & PRIVATE_EVENTS
    for marker in ("alert_id", "author_id", "author_kind", '"checkins"', '"alerts"',
                   '"pending_cards"', '"reflections"', '"follow_ups"', '"risk_history"',
                   '"risk_record"', '"script"', '"words"', '"purpose"', '"wellplans"'):
        assert marker not in seen, f"{who} received {marker}"


@pytest.mark.parametrize("who", ["p0", "p1", "p2"])
def test_a_participants_pages_hold_no_one_elses_data(recorded, who):
    page = recorded["pages"][who]
    assert "I understand" in page and 'id="live"' in page and "Help, right now" in page
    assert "Get help now" in page
    for marker in MARKERS:
        assert marker not in page, f"{who}'s pages hold {marker}"
    for marker in PLAN_MARKERS + WELL_MARKERS:
        if marker not in ALLOWED[who]:
            assert marker not in page, f"{who}'s pages hold {marker}"


@pytest.mark.parametrize("who", ["p0", "p1", "p2"])
def test_anonymous_cards_reach_participants_without_author(recorded, who):
    published = [payload for event, payload in recorded["frames"][who]
                 if event in ("card:published", "card:updated")]
    texts = {c["text"]: c["author"] for c in published}
    assert texts.get("MARK-CARD-ANON", "missing") is None
    assert texts.get("MARK-CARD-NAMED") == "Ben"


def test_health_data_never_reaches_the_server_log(recorded):
    log = recorded["log"]
    assert log, "the server wrote nothing at all; is its log captured?"
    for marker in MARKERS + PLAN_MARKERS + WELL_MARKERS:
        assert marker not in log
    assert "/join/" not in log
