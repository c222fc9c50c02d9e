"""Malformed payloads: every event answers ``invalid``, and the connection stays usable.

Several hundred cases share one app, built once for this module (a fresh app per case would
take minutes); each case still gets its own connection, so no case sees another's rate bucket.
"""

from dataclasses import dataclass

import pytest
from helpers import NAMESPACE, emit, joined, live, login_as, make_group
from helpers.scenes import client_id, inbox, ok, refused, shared_app

from facilitator.extensions import db
from facilitator.models import Participant
from facilitator.services import plans

MISSING = object()
NO_ARGUMENT = object()


def id_values(nullable: bool) -> list:
    """Values that are not an id: strings, floats, booleans, out of range, nested."""
    bad = ["7", 7.0, 7.5, True, False, 0, -3, 2**53 + 1, [7], {"id": 7}, "9" * 5000]
    return bad if nullable else [*bad, None]


def text_values(limit: int, blank_ok: bool, nullable: bool) -> list:
    """Values that are not a text of at most ``limit`` characters."""
    bad = [12, 1.5, True, ["words"], {"text": "words"}, [[[["deep"]]]], "y" * (limit + 1),
           "z" * 20_000, "a NUL \x00 inside", "\x00"]
    if not blank_ok:
        bad += ["", "   \n\t "]
    return bad if nullable else [*bad, None]


AREA = ["anxiety", "GRIEF", "", 1, True, ["grief"], {"grief": 1}]
BOOL = ["yes", "true", 1, 0, 1.0, [], {}]
FIELDS = {
    "id": id_values(False),
    "id?": id_values(True),
    "client_id": ["a" * 7, "b" * 65, "", "nul\x00in-the-id", "line\nbreak-id", 12345678,
                  12345678.0, True, None, ["abcdefgh-1"], {"id": "abcdefgh-1"}],
    "mood": [11, -1, 100, "5", 5.0, 5.5, True, False, None, [5], {"mood": 5}],
    "phq9": [[0] * 8, [0] * 10, [], [0] * 8 + [4], [0] * 8 + [-1], [4] * 9, ["0"] * 9,
             [0.0] * 9, [True] * 9, [None] * 8, [None] * 10, [None] * 8 + [4],
             [None] * 8 + ["2"], [None] * 8 + [True], [[0]] * 9, "000000000", {"0": 0}, 9],
    "bool": [*BOOL, None],
    "bool?": BOOL,
    "area": [*AREA, None],
    "area?": AREA,
    "action": ["delete", "APPROVE", "publish", "", 1, True, None, ["approve"]],
    "seconds": [0, -5, 4 * 3600 + 1, 10**12, "60", 60.0, 60.5, True, None, [60]],
    "times?": [-1, 1001, "2", 2.0, 2.5, True, [2]],
    "step": [-1, 99, 101, "0", 0.0, 1.5, True, None, [0]],
    "technique": ["hypnosis", "MOOD_EVENT", "", "t" * 41, 1, True, None, ["options"]],
    "plays?": ["both", "SELF", "", 1, True, ["self"]],
    "roles": ["Boss", {"participant_id": 1, "role": "Boss"}, [["P", "Boss"]], ["Boss"],
              [{"participant_id": "1", "role": "Boss"}], [{"role": "Boss"}],
              [{"participant_id": 1}], [{"participant_id": 1, "role": ""}],
              [{"participant_id": 1, "role": "r" * 61}], [{"participant_id": 1, "role": 5}],
              [{"participant_id": 1, "role": "Boss"}] * 31],
}
for limit in (60, 80, 120, 500, 1000, 2000, 4000):
    FIELDS[f"text{limit}"] = text_values(limit, blank_ok=False, nullable=False)
    FIELDS[f"text{limit}?"] = text_values(limit, blank_ok=False, nullable=True)
    FIELDS[f"blank{limit}"] = text_values(limit, blank_ok=True, nullable=False)
    FIELDS[f"blank{limit}?"] = text_values(limit, blank_ok=True, nullable=True)

SESSION = {"session_id": ("id", True)}
# Each event: who sends it, and its fields: kind (a key of FIELDS) and whether required.
EVENTS = {
    "session:join": ("participant", SESSION),
    "session:start": ("facilitator", SESSION),
    "session:end": ("facilitator", SESSION),
    "agenda:activate": ("facilitator", {**SESSION, "item_id": ("id", True)}),
    "prompt:push": ("facilitator", {**SESSION, "text": ("text2000", True),
                                    "problem_area": ("area?", False),
                                    "roles": ("roles", False),
                                    "for_participant_id": ("id?", False),
                                    "partner_id": ("id?", False),
                                    "inventory_person_id": ("id?", False),
                                    "other_person": ("text60?", False),
                                    "wants_to_say": ("text500?", False),
                                    "member_plays": ("plays?", False),
                                    "confrontation": ("bool", False),
                                    "safety_checked": ("bool", False)}),
    "roleplay:debrief": ("facilitator", {**SESSION, "prompt_id": ("id", True),
                                         "worked": ("blank1000", False),
                                         "next_time": ("blank1000", False)}),
    "prompt:clear": ("facilitator", SESSION),
    "timer:start": ("facilitator", {**SESSION, "seconds": ("seconds", True),
                                    "label": ("blank80", False)}),
    "timer:stop": ("facilitator", SESSION),
    "checkin:submit": ("participant", {**SESSION, "client_id": ("client_id", True),
                                       "mood": ("mood", True), "phq9": ("phq9", False),
                                       "note": ("blank1000?", False),
                                       "needs_support": ("bool?", False)}),
    "homework:assign": ("facilitator", {**SESSION, "text": ("text2000", True),
                                        "participant_id": ("id?", False),
                                        "goal_id": ("id?", False)}),
    "reflection:submit": ("participant", {"client_id": ("client_id", True),
                                          "assignment_id": ("id", True),
                                          "text": ("text4000", True),
                                          "times_practised": ("times?", False)}),
    "card:submit": ("participant", {**SESSION, "client_id": ("client_id", True),
                                    "text": ("text500", True), "problem_area": ("area", True),
                                    "anonymous": ("bool", False)}),
    "card:moderate": ("facilitator", {"card_id": ("id", True), "action": ("action", True),
                                      "text": ("text500?", False),
                                      "theme_id": ("id?", False)}),
    "card:withdraw": ("participant", {"card_id": ("id", True)}),
    "presenter:set": ("facilitator", {**SESSION, "on": ("bool", True)}),
    "theme:create": ("facilitator", {**SESSION, "title": ("text120", True),
                                     "problem_area": ("area", True)}),
    "alert:ack": ("facilitator", {"alert_id": ("id", True), "note": ("blank1000?", False)}),
    "hand:raise": ("participant", SESSION),
    "hand:lower": ("facilitator", {**SESSION, "participant_id": ("id?", False)}),
    # The script's ticks and the weekly round (realtime/round.py).
    "script:tick": ("facilitator", {**SESSION, "item_id": ("id", True), "step": ("step", True),
                                    "done": ("bool", True)}),
    "round:reach": ("facilitator", {**SESSION, "participant_id": ("id", True),
                                    "reached": ("bool?", False)}),
    "round:technique": ("facilitator", {**SESSION, "participant_id": ("id", True),
                                        "technique": ("technique", True),
                                        "on": ("bool", True)}),
    "round:flag": ("facilitator", {**SESSION, "participant_id": ("id", True),
                                   "on": ("bool", True)}),
    "round:note": ("facilitator", {**SESSION, "participant_id": ("id", True),
                                   "note": ("blank500", True)}),
    "round:progress": ("facilitator", {**SESSION, "participant_id": ("id", True),
                                       "goal_id": ("id", True), "note": ("text2000", True)}),
}
NOT_OBJECTS = [("string", "session"), ("number", 42), ("float", 4.2), ("true", True),
               ("empty-list", []), ("list-of-object", [{"session_id": 1}]), ("null", None),
               ("no-argument", NO_ARGUMENT), ("empty-object", {})]


def cases() -> list:
    """Every (event, field, bad value) case, with a readable id."""
    found = []
    for event, (_, fields) in EVENTS.items():
        for name, (kind, required) in fields.items():
            if required:
                found.append(pytest.param(event, name, MISSING, id=f"{event}-{name}-missing"))
            for n, value in enumerate(FIELDS[kind]):
                found.append(pytest.param(event, name, value, id=f"{event}-{name}-{n}"))
    return found


@dataclass
class Shared:
    """One live session with something of everything, and signed-in HTTP clients."""

    app: object
    ids: dict
    facilitator_http: object
    participant_http: object
    watcher: object

    def base(self, event: str) -> dict:
        """A valid payload for ``event``."""
        i = self.ids
        return {
            "session:join": {"session_id": i["session"]},
            "agenda:activate": {"session_id": i["session"], "item_id": i["item"]},
            "prompt:push": {"session_id": i["session"], "text": "Ask for help",
                            "problem_area": "role_dispute",
                            "roles": [{"participant_id": i["participant"], "role": "Boss"}]},
            "roleplay:debrief": {"session_id": i["session"], "prompt_id": i["prompt"],
                                 "worked": "Calm", "next_time": "Sooner"},
            "timer:start": {"session_id": i["session"], "seconds": 60, "label": "Pairs"},
            "checkin:submit": {"session_id": i["session"], "client_id": client_id(),
                               "mood": 5, "phq9": [0] * 9, "note": "fine",
                               "needs_support": False},
            "homework:assign": {"session_id": i["session"], "text": "Walk",
                                "participant_id": i["participant"]},
            "reflection:submit": {"client_id": client_id(), "assignment_id": i["assignment"],
                                  "text": "Did it", "times_practised": 2},
            "card:submit": {"session_id": i["session"], "client_id": client_id(),
                            "text": "Hello", "problem_area": "grief", "anonymous": True},
            "card:moderate": {"card_id": i["card"], "action": "edit", "text": "Hi",
                              "theme_id": i["theme"]},
            "card:withdraw": {"card_id": i["own_card"]},
            "presenter:set": {"session_id": i["session"], "on": False},
            "theme:create": {"session_id": i["session"], "title": "Loss",
                             "problem_area": "grief"},
            "alert:ack": {"alert_id": i["alert"], "note": "Seen"},
            "hand:lower": {"session_id": i["session"], "participant_id": i["participant"]},
            "script:tick": {"session_id": i["session"], "item_id": i["item"], "step": 0,
                            "done": True},
            "round:reach": {"session_id": i["session"], "participant_id": i["participant"],
                            "reached": True},
            "round:technique": {"session_id": i["session"], "participant_id": i["participant"],
                                "technique": "options", "on": True},
            "round:flag": {"session_id": i["session"], "participant_id": i["participant"],
                           "on": True},
            "round:note": {"session_id": i["session"], "participant_id": i["participant"],
                           "note": "Quiet today"},
            "round:progress": {"session_id": i["session"], "participant_id": i["participant"],
                               "goal_id": i["goal"], "note": "A first step"},
        }.get(event, {"session_id": i["session"]})

    def connect(self, event: str):
        """A new connection of whoever may send ``event``."""
        sender = EVENTS[event][0]
        sock = live(self.app, getattr(self, f"{sender}_http"))
        assert sock.is_connected(NAMESPACE)
        return sock


def a_goal(app, participant_id: int) -> int:
    """Give a member one goal (for the round's progress notes); return its id."""
    with app.app_context():
        goal = plans.add_goal(db.session.get(Participant, participant_id), "See a friend")
        db.session.commit()
        return goal.id


def build(app) -> Shared:
    """Make the live session, check that every base payload is accepted, drain."""
    world = make_group(app, 2)
    fac_http, par_http = app.test_client(), app.test_client()
    login_as(fac_http, world.email)
    par_http.get(world.join_paths[0])
    fac, par = live(app, fac_http), live(app, par_http)
    sid = world.session_id
    item = joined(fac, sid)["agenda"][0]["id"]
    joined(par, sid)
    ok(emit(fac, "session:start", {"session_id": sid}))
    ok(emit(par, "checkin:submit", {"session_id": sid, "client_id": client_id(), "mood": 1,
                                    "needs_support": True}))
    ids = {"session": sid, "item": item, "participant": world.participant_ids[1],
           "alert": joined(fac, sid)["alerts"][0]["alert_id"],
           "prompt": ok(emit(fac, "prompt:push", {
               "session_id": sid, "text": "Ask for a day off",
               "for_participant_id": world.participant_ids[0],
               "partner_id": world.participant_ids[1], "other_person": "a manager",
               "wants_to_say": "I need Friday off"}))["prompt_id"],
           "assignment": ok(emit(fac, "homework:assign", {"session_id": sid, "text": "Walk"}))
           ["assignment_id"],
           "card": ok(emit(par, "card:submit", {"session_id": sid, "client_id": client_id(),
                                                "text": "Hi", "problem_area": "grief"}))
           ["card_id"],
           "own_card": ok(emit(par, "card:submit", {
               "session_id": sid, "client_id": client_id(), "text": "Mine",
               "problem_area": "grief"}))["card_id"],
           "theme": ok(emit(fac, "theme:create", {"session_id": sid, "title": "T",
                                                  "problem_area": "grief"}))["theme"]["id"],
           "goal": a_goal(app, world.participant_ids[1])}
    shared = Shared(app, ids, fac_http, par_http, None)
    for event in EVENTS:
        if event != "session:end":
            ok(emit(shared.connect(event), event, shared.base(event)))
    http = app.test_client()
    http.get(world.join_paths[1])
    watcher = live(app, http)
    joined(watcher, sid)
    shared.watcher = watcher
    return shared


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """One app for the whole module."""
    yield from shared_app(tmp_path_factory)


@pytest.fixture(scope="module")
def shared(app):
    """The live session every case of this module sends to."""
    return build(app)


def send(sock, event: str, payload):
    """Send ``payload`` as is (``NO_ARGUMENT``: send the event with no argument at all)."""
    if payload is NO_ARGUMENT:
        return emit(sock, event)
    return sock.emit(event, payload, namespace=NAMESPACE, callback=True)


def assert_invalid_and_still_usable(shared: Shared, sock, event: str, payload) -> None:
    """The ack says ``invalid`` without echoing input, nobody heard anything, the socket works."""
    inbox(shared.watcher)
    error = refused(send(sock, event, payload), "invalid")
    if isinstance(payload, dict):
        for value in payload.values():
            if isinstance(value, str) and len(value) >= 5:
                assert value not in error["message"], "the error must not echo input"
    assert dict(inbox(shared.watcher)) == {}, "an invalid event must change nothing"
    assert sock.is_connected(NAMESPACE)
    assert joined(sock, shared.ids["session"])["session"]["status"] == "live"
    sock.disconnect(NAMESPACE)


@pytest.mark.parametrize(("event", "field", "value"), cases())
def test_a_bad_field_is_invalid(shared, event, field, value):
    payload = shared.base(event)
    if value is MISSING:
        payload.pop(field)
    else:
        payload[field] = value
    assert_invalid_and_still_usable(shared, shared.connect(event), event, payload)


@pytest.mark.parametrize("event", sorted(EVENTS))
@pytest.mark.parametrize(("kind", "payload"), NOT_OBJECTS, ids=[k for k, _ in NOT_OBJECTS])
def test_anything_but_one_object_is_invalid(shared, event, kind, payload):
    assert_invalid_and_still_usable(shared, shared.connect(event), event, payload)


@pytest.mark.parametrize("event", sorted(EVENTS))
def test_a_burst_of_junk_leaves_the_connection_working(shared, event):
    """Ten bad payloads in a row on one connection, then a good one."""
    sock = shared.connect(event)
    for payload in (None, "x", 1, [], {}, {"session_id": "1"}, {"session_id": [1]},
                    {"session_id": {"$gt": 0}}, {"card_id": -1}, {"alert_id": 0.5}):
        refused(send(sock, event, payload), "invalid")
    assert sock.is_connected(NAMESPACE)
    if event != "session:end":
        ok(emit(sock, event, shared.base(event)))
    sock.disconnect(NAMESPACE)
