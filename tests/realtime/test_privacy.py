"""Privacy: a whole scripted session, and everything each participant's connection received.

Every private text carries a unique marker; a participant's record (frames, acks and
snapshots) must hold none of another participant's markers, no alert, no pending or
rejected card but their own, no anonymous card's author.
"""

import uuid

from helpers import (
    NAMESPACE,
    emit,
    facilitator_socket,
    make_group,
    participant_socket,
)
from helpers.scenes import (
    add_agenda_item,
    answers_for,
    card,
    checkin,
    client_id,
    dump,
    give_plan,
    ok,
    walk,
)

from facilitator.extensions import db
from facilitator.models import InventoryPerson

FACILITATOR_ONLY_EVENTS = {"checkin:received", "alert:raised", "alert:acknowledged",
                           "reflection:received", "card:pending", "risk:updated",
                           "script:ticked", "round:member", "roleplay:debriefed"}
# Sent only to consoles (in presenter mode, or of the facilitator who switched it).
CONSOLE_ONLY_EVENTS = {"alert:waiting", "presenter:changed"}
FACILITATOR_ONLY_KEYS = {"checkins", "alerts", "pending_cards", "reflections", "author_id",
                         "author_kind", "flagged", "alert_id", "participants",
                         "removed_cards", "alerts_waiting", "presenter", "follow_ups",
                         "risk_history", "risk_record", "script", "words",
                         "purpose", "script_ticks", "areas_present", "round", "techniques",
                         "reached", "last_tasks", "worsening", "flagged_for_supervision"}
# The weekly round's private texts (its note, goal progress): for facilitators only, even
# the member's own.
ROUND_ONLY = ("RNOTE", "RPROG")
# The risk protocol's free texts: only ever for the group's facilitators.
RISK_MARKS = {"record": f"RISKx{uuid.uuid4().hex[:10]}",
              "follow_up": f"FLWx{uuid.uuid4().hex[:10]}"}
# A role-play's private parts: the inventory card's label and the debrief, never on a phone
# (not even the member's own).
ROLEPLAY_MARKS = {"label": f"INVx{uuid.uuid4().hex[:10]}",
                  "worked": f"DBWx{uuid.uuid4().hex[:10]}",
                  "next_time": f"DBNx{uuid.uuid4().hex[:10]}"}


class Recorder:
    """A connection that keeps every frame, ack and snapshot it got."""

    def __init__(self, sock):
        self.sock = sock
        self.log: list = []

    def emit(self, event: str, payload: dict) -> dict:
        """Send an event, keep its ack and whatever arrived before it."""
        self.collect()
        ack = emit(self.sock, event, payload)
        self.log.append({"ack": event, "args": [ack]})
        self.collect()
        return ok(ack)

    def collect(self) -> None:
        """Keep what arrived so far."""
        for frame in self.sock.get_received(NAMESPACE):
            self.log.append({"name": frame["name"], "args": frame["args"]})

    def names(self) -> set[str]:
        """The events this connection received."""
        self.collect()
        return {entry["name"] for entry in self.log if "name" in entry}

    def text(self) -> str:
        """Everything received, as one searchable string."""
        self.collect()
        return dump(self.log)


def mark(kind: str, i: int) -> str:
    """A unique marker for participant ``i``'s ``kind`` of text."""
    return f"{kind}{i}x{uuid.uuid4().hex[:10]}"


def give_plans(app, world) -> dict[str, list[str]]:
    """Give each of the three members goals and a shared line, each with a marker."""
    m = {kind: [mark(kind, i) for i in range(3)] for kind in ("GOAL", "SUMM")}
    for i in range(3):
        give_plan(app, world.participant_ids[i], [f"Talk to my brother {m['GOAL'][i]}"],
                  f"Moving house was hard {m['SUMM'][i]}")
    return m


def play(app, world, fac, people):
    """Run a session with everything in it; return the markers and the card facts."""
    sid = world.session_id
    m = {kind: [mark(kind, i) for i in range(3)]
         for kind in ("NOTE", "HWP", "REFL", "RALL", "PEND", "EDIT", "REJ", "ANON", "NAMED",
                      *ROUND_ONLY, "HWG")}
    cards = {}  # card id -> (author index, anonymous, status)
    person_card = inventory_card(app, world.participant_ids[0])
    for p in people:
        p.emit("session:join", {"session_id": sid})
    fac.emit("session:start", {"session_id": sid})
    item = fac.emit("session:join", {"session_id": sid})["state"]["agenda"][1]["id"]
    fac.emit("agenda:activate", {"session_id": sid, "item_id": item})
    add_agenda_item(app, world, "Breathing together")  # agenda:updated, with the scripts
    fac.emit("prompt:push", {"session_id": sid, "text": "Ask your partner for time",
                             "roles": [{"participant_id": world.participant_ids[0],
                                        "role": "You"},
                                       {"participant_id": world.participant_ids[1],
                                        "role": "Your partner"}]})
    own_roleplay(fac, world, person_card)
    fac.emit("timer:start", {"session_id": sid, "seconds": 300, "label": "Pairs"})
    risky = [{"phq9": answers_for(13, item9=2)}, {"needs_support": True}, {"phq9": [0] * 9}]
    for i, p in enumerate(people):
        p.emit("checkin:submit", checkin(sid, 2 + i, note=m["NOTE"][i], **risky[i]))
        p.emit("hand:raise", {"session_id": sid})
    fac.collect()
    for alert in [e["args"][0] for e in fac.log if e.get("name") == "alert:raised"]:
        fac.emit("alert:ack", {"alert_id": alert["alert_id"], "note": "Spoke after"})
        keep_risk_record(fac, alert["alert_id"], done=alert["reason"] == "needs_support")
    everyone = fac.emit("homework:assign", {"session_id": sid, "text": "Call a friend"})
    for i, p in enumerate(people):
        own = fac.emit("homework:assign", {"session_id": sid, "text": m["HWP"][i],
                                           "participant_id": world.participant_ids[i]})
        p.emit("reflection:submit", {"client_id": client_id(), "text": m["REFL"][i],
                                     "assignment_id": own["assignment_id"]})
        p.emit("reflection:submit", {"client_id": client_id(), "text": m["RALL"][i],
                                     "assignment_id": everyone["assignment_id"],
                                     "times_practised": i})
        for kind, anonymous, status in (("PEND", True, "pending"), ("REJ", False, "rejected"),
                                        ("ANON", True, "published"),
                                        ("NAMED", False, "published")):
            ack = p.emit("card:submit", card(sid, m[kind][i], anonymous=anonymous))
            cards[ack["card_id"]] = (i, anonymous, status)
    weekly_round(fac, world, m)
    theme = fac.emit("theme:create", {"session_id": sid, "title": "Asking for help",
                                      "problem_area": "role_dispute"})["theme"]["id"]
    for card_id, (i, _, status) in cards.items():
        if status == "rejected":
            fac.emit("card:moderate", {"card_id": card_id, "action": "reject"})
        elif status == "published":
            fac.emit("card:moderate", {"card_id": card_id, "action": "approve",
                                       "theme_id": theme})
        else:
            fac.emit("card:moderate", {"card_id": card_id, "action": "edit",
                                       "text": m["EDIT"][i]})
    board_safety(fac, people, cards)
    fac.emit("card:submit", card(sid, "From the facilitator", anonymous=True))
    fac.emit("hand:lower", {"session_id": sid, "participant_id": world.participant_ids[0]})
    for p in people:
        p.emit("session:join", {"session_id": sid})  # a reconnect: the whole snapshot
    fac.emit("session:end", {"session_id": sid})
    for i, p in enumerate(people):
        p.emit("reflection:submit", {"client_id": client_id(), "text": f"late {m['REFL'][i]}",
                                     "assignment_id": everyone["assignment_id"]})
        p.emit("session:join", {"session_id": world.session_ids[1]})
    return m, cards


def weekly_round(fac, world, m) -> None:
    """Tick a script step and take each member's turn: techniques, a note, goal progress and
    a task tied to their goal, each text with its marker."""
    sid = world.session_id
    state = fac.emit("session:join", {"session_id": sid})["state"]
    fac.emit("script:tick", {"session_id": sid, "item_id": state["agenda"][0]["id"],
                             "step": 0, "done": True})
    for i, turn in enumerate(state["round"]):
        ref = {"session_id": sid, "participant_id": turn["participant_id"]}
        goal = turn["goals"][0]["id"]
        fac.emit("round:reach", ref)
        fac.emit("round:technique", {**ref, "technique": "communication", "on": True})
        fac.emit("round:flag", {**ref, "on": True})
        fac.emit("round:note", {**ref, "note": m["RNOTE"][i]})
        fac.emit("round:progress", {**ref, "goal_id": goal, "note": m["RPROG"][i]})
        fac.emit("homework:assign", {"session_id": sid, "text": m["HWG"][i], "goal_id": goal,
                                     "participant_id": turn["participant_id"]})
def inventory_card(app, participant_id: int) -> int:
    """Give a member an important person whose private label carries a marker."""
    with app.app_context():
        card = InventoryPerson(participant_id=participant_id, label=ROLEPLAY_MARKS["label"],
                               relationship_to="partner", closeness=2)
        db.session.add(card)
        db.session.commit()
        return card.id


def own_roleplay(fac, world, person_card: int) -> None:
    """Participant 0 rehearses their own conversation (from the inventory) with participant
    1; the facilitator keeps the debrief."""
    sid = world.session_id
    prompt = fac.emit("prompt:push", {
        "session_id": sid, "text": "Ask your partner for an evening to yourself",
        "for_participant_id": world.participant_ids[0], "partner_id": world.participant_ids[1],
        "inventory_person_id": person_card, "other_person": "a partner",
        "wants_to_say": "I need one evening a week", "member_plays": "other"})
    fac.emit("roleplay:debrief", {"session_id": sid, "prompt_id": prompt["prompt_id"],
                                  "worked": ROLEPLAY_MARKS["worked"],
                                  "next_time": ROLEPLAY_MARKS["next_time"]})


def board_safety(fac, people, cards) -> None:
    """Take participant 0's anonymous card down and back; participant 2 withdraws theirs."""
    def find(who, anonymous):
        return next(cid for cid, (i, anon, status) in cards.items()
                    if i == who and anon is anonymous and status == "published")

    anonymous = find(0, True)
    fac.emit("card:moderate", {"card_id": anonymous, "action": "take_down"})
    fac.emit("card:moderate", {"card_id": anonymous, "action": "restore"})
    people[2].emit("card:withdraw", {"card_id": find(2, False)})


def keep_risk_record(fac, alert_id: int, done: bool) -> None:
    """Record the alert's risk record (and, if ``done``, its follow-up) with the markers."""
    fac.emit("risk:record", {"alert_id": alert_id, "asked_directly": True,
                             "thoughts": "passive", "plan": False, "means": False,
                             "past_attempt": False, "risk_level": "medium",
                             "protective_factors": RISK_MARKS["record"],
                             "follow_up_due": "2099-01-01T09:00:00Z"})
    if done:
        fac.emit("risk:follow_up", {"alert_id": alert_id, "outcome": RISK_MARKS["follow_up"]})


def test_a_participant_never_receives_what_is_not_theirs(app, world):
    app.config["EVENT_RATE_BURST"] = 10_000  # a scripted session, not a flood
    fac = Recorder(facilitator_socket(app, world))
    people = [Recorder(participant_socket(app, world, i)) for i in range(3)]
    other = make_group(app, 1, name="Thursday group")
    outsider = Recorder(participant_socket(app, other, 0))
    outsider.emit("session:join", {"session_id": other.session_id})
    plan_marks = give_plans(app, world)
    markers, cards = play(app, world, fac, people)
    names = {i: f"Person {i + 1}" for i in range(3)}

    everything = fac.text()
    for kind in markers:
        for marker in markers[kind]:
            assert marker in everything, f"the facilitator should have seen {kind}"
    assert fac.names() >= FACILITATOR_ONLY_EVENTS
    assert all(marker in everything for marker in RISK_MARKS.values())
    assert all(marker in everything for marker in ROLEPLAY_MARKS.values())

    for i, person in enumerate(people):
        seen = person.text()
        for kind, per_person in markers.items():
            for j, marker in enumerate(per_person):
                if kind in ("ANON", "NAMED"):
                    assert marker in seen, f"published {kind} card of {j} missing for {i}"
                elif j != i:
                    assert marker not in seen, f"participant {i} got {kind} of {j}"
        for kind in ("NOTE", "HWP", "REFL", "RALL", "EDIT", "HWG"):
            assert markers[kind][i] in seen, f"participant {i} lost their own {kind}"
        for kind in ROUND_ONLY:
            assert markers[kind][i] not in seen, f"participant {i} got their round's {kind}"
        assert not person.names() & (FACILITATOR_ONLY_EVENTS | CONSOLE_ONLY_EVENTS)
        assert {"agenda:changed", "agenda:updated"} <= person.names()
        check_payloads(person, i, names, cards, markers)
        check_plan(person, i, plan_marks)
    assert '"script"' in everything, "the facilitator really got the scripts"
    for kind, per_person in (markers | plan_marks).items():
        for marker in per_person:
            assert marker not in outsider.text(), f"the outsider got {kind}"
    assert not [m for m in ROLEPLAY_MARKS.values() if m in outsider.text()]


def check_plan(person: Recorder, i: int, plan_marks: dict) -> None:
    """Participant ``i`` sees their own goals and shared line, and no one else's."""
    seen = person.text()
    for kind, per_person in plan_marks.items():
        for j, marker in enumerate(per_person):
            assert (marker in seen) is (j == i), f"participant {i} and the {kind} of {j}"


def check_payloads(person: Recorder, i: int, names: dict, cards: dict, markers: dict) -> None:
    """Look at every object participant ``i`` received, field by field."""
    own_cards = {cid for cid, (author, _, _) in cards.items() if author == i}
    seen = person.text()
    assert not [m for m in RISK_MARKS.values() if m in seen], "a risk record's text leaked"
    assert not [m for m in ROLEPLAY_MARKS.values() if m in seen], "a role-play's private text"
    own_checkins = set()
    for entry in person.log:
        if entry.get("ack") == "checkin:submit":
            own_checkins.add(entry["args"][0]["checkin_id"])
        if entry.get("name") == "card:rejected":
            assert entry["args"][0]["card_id"] in own_cards
        state = entry["args"][0].get("state") if entry.get("ack") else None
        if state and "my_card_ids" in state:
            assert set(state["my_card_ids"]) <= own_cards, state["my_card_ids"]
    for obj in walk(person.log):
        assert not FACILITATOR_ONLY_KEYS & set(obj), sorted(FACILITATOR_ONLY_KEYS & set(obj))
        if "mood" in obj or "phq9" in obj or "note" in obj:
            assert obj.get("checkin_id") in own_checkins, obj
        if "reflection_id" in obj and "participant_id" in obj:
            assert obj["participant_id"] == person_id(person), obj
        if "assignment_id" in obj and obj.get("participant_id") is not None:
            assert obj["participant_id"] == person_id(person), obj
        if "author" in obj:
            check_card(obj, i, names, cards, own_cards)


def check_card(obj: dict, i: int, names: dict, cards: dict, own_cards: set) -> None:
    """A card a participant saw: published or their own, and anonymous means no author."""
    card_id = obj.get("id")
    if card_id not in cards:
        assert obj["author"] is None, obj  # the facilitator's anonymous card
        return
    author, anonymous, status = cards[card_id]
    assert status == "published" or card_id in own_cards, obj
    assert obj["anonymous"] is anonymous
    assert obj["author"] == (None if anonymous else names[author]), obj


def person_id(person: Recorder) -> int:
    """The participant id of a recorded connection, from its first snapshot."""
    for entry in person.log:
        state = entry["args"][0].get("state") if entry.get("ack") else None
        if state:
            return state["me"]["id"]
    raise AssertionError("no snapshot recorded")
