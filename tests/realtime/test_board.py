"""The group's board: cards, their moderation, and themes."""

import pytest
from helpers import emit, facilitator_socket, joined, make_group, participant_socket
from helpers.scenes import (
    PROBLEM_AREAS,
    card,
    checkin,
    client_id,
    inbox,
    ok,
    refused,
    rows,
    scene,
    statements_during,
)

from facilitator.extensions import db
from facilitator.models import Card, Participant
from facilitator.services import groups as rules

CARD_KEYS = {"id", "session_id", "session_number", "text", "problem_area", "theme_id",
             "status", "anonymous", "author"}


def submit(stage, index: int = 0, **fields) -> dict:
    """Submit a card as participant ``index``; return the ack."""
    return ok(emit(stage.people[index], "card:submit", card(stage.sid, **fields)))


def moderate(stage, card_id, action: str, **fields) -> dict:
    """Moderate a card as the scene's facilitator; return the ack."""
    return emit(stage.fac, "card:moderate", {"card_id": card_id, "action": action, **fields})


@pytest.mark.parametrize("area", PROBLEM_AREAS)
def test_a_card_waits_for_the_facilitators(app, world, area):
    stage = scene(app, world)
    ack = submit(stage, 1, text="Moving cities was lonely", area=area, anonymous=False)
    assert ack["status"] == "pending" and ack["card_id"]
    (pending,) = inbox(stage.fac)["card:pending"]
    assert set(pending) >= CARD_KEYS
    assert pending["id"] == ack["card_id"] and pending["status"] == "pending"
    assert pending["author"] == "Person 2"
    assert pending["author_id"] == world.participant_ids[1]
    assert (pending["text"], pending["problem_area"]) == ("Moving cities was lonely", area)
    for sock in stage.people:
        assert dict(inbox(sock)) == {}
    assert [c["id"] for c in joined(stage.fac, stage.sid)["pending_cards"]] == [ack["card_id"]]
    for sock in stage.people:
        assert joined(sock, stage.sid)["board"]["cards"] == []


def test_an_anonymous_card_still_shows_its_author_to_facilitators(app, world):
    stage = scene(app, world, people=1)
    submit(stage, 0)
    (pending,) = inbox(stage.fac)["card:pending"]
    assert pending["anonymous"] is True, "anonymous is the default"
    assert pending["author"] == "Person 1"
    assert pending["author_id"] == world.participant_ids[0]


@pytest.mark.parametrize("when", ["scheduled", "ended"])
def test_card_is_a_conflict_unless_live(app, world, when):
    stage = scene(app, world, live=False)
    if when == "ended":
        stage.start()
        stage.end()
    refused(emit(stage.people[0], "card:submit", card(stage.sid)), "conflict")
    refused(emit(stage.fac, "card:submit", card(stage.sid)), "conflict")
    assert "card:pending" not in inbox(stage.fac)
    assert joined(stage.fac, stage.sid)["pending_cards"] == []


def test_same_card_twice_is_stored_once(app, world):
    stage = scene(app, world, people=1)
    payload = card(stage.sid, text="Once only")
    first = ok(emit(stage.people[0], "card:submit", payload))
    again = ok(emit(stage.people[0], "card:submit", payload))
    assert first == again
    assert len(inbox(stage.fac)["card:pending"]) == 1
    assert len(joined(stage.fac, stage.sid)["pending_cards"]) == 1
    assert rows(app, Card, group_id=world.group_id) == 1


def test_a_card_sent_again_after_the_end_gets_its_first_answer(app, world):
    stage = scene(app, world, people=1)
    payload = card(stage.sid, text="Sent just before the end")
    first = ok(emit(stage.people[0], "card:submit", payload))
    stage.end()
    assert ok(emit(stage.people[0], "card:submit", payload)) == first, \
        "its first ack was lost: the resend is answered, not refused as too late"
    refused(emit(stage.people[0], "card:submit", card(stage.sid)), "conflict")
    assert rows(app, Card, group_id=world.group_id) == 1


def test_a_client_id_of_another_submission_is_refused_and_stores_nothing(app, world):
    stage = scene(app, world, people=1)
    used = checkin(stage.sid)
    ok(emit(stage.people[0], "checkin:submit", used))
    refused(emit(stage.people[0], "card:submit", card(stage.sid, cid=used["client_id"])),
            "conflict")
    assert rows(app, Card, group_id=world.group_id) == 0
    assert "card:pending" not in inbox(stage.fac)


def test_a_participant_s_card_is_three_statements_and_checks_the_link(app, world):
    stage = scene(app, world, people=2)
    acks: list = []
    statements = statements_during(app, lambda: acks.append(ok(emit(
        stage.people[0], "card:submit", card(stage.sid, anonymous=False)))))
    assert statements == ["SELECT", "INSERT", "INSERT"], "no separate sign-in or lookups"
    ack = acks[0]
    (pending,) = inbox(stage.fac)["card:pending"]
    assert pending["id"] == ack["card_id"] and pending["author"] == "Person 1"
    assert pending["session_number"] == 1 and pending["author_id"] == world.participant_ids[0]
    with app.app_context():  # the link is revoked; this connection's disconnect is on its way
        rules.revoke_link(db.session.get(Participant, world.participant_ids[1]))
    refused(emit(stage.people[1], "card:submit", card(stage.sid)), "unauthorized")
    other = make_group(app, 1, "Thursday group")
    refused(emit(stage.people[0], "card:submit", card(other.session_id)), "forbidden")
    assert rows(app, Card) == 1 and "card:pending" not in inbox(stage.fac)


def test_facilitator_may_post_a_card(app, world):
    stage = scene(app, world, people=1)
    ack = ok(emit(stage.fac, "card:submit", card(stage.sid, text="Grief has no timetable",
                                                 anonymous=False)))
    (pending,) = inbox(stage.fac)["card:pending"]
    assert pending["id"] == ack["card_id"] and pending["author"] == "Sam Lead"
    assert "card:pending" not in inbox(stage.people[0])


@pytest.mark.parametrize("anonymous", [True, False])
def test_approval_publishes_to_everyone(app, world, anonymous):
    stage = scene(app, world)
    card_id = submit(stage, 0, text="Asking for help is hard", anonymous=anonymous)["card_id"]
    stage.drain()
    ack = ok(moderate(stage, card_id, "approve"))
    assert ack["card"]["status"] == "published" and ack["card"]["author"] == "Person 1"
    (for_fac,) = inbox(stage.fac)["card:published"]
    assert for_fac["author"] == "Person 1"
    assert for_fac["author_id"] == world.participant_ids[0]
    for sock in stage.people:
        (shown,) = inbox(sock)["card:published"]
        assert set(shown) >= CARD_KEYS
        assert (shown["id"], shown["status"], shown["session_number"]) == (card_id,
                                                                        "published", 1)
        assert shown["text"] == "Asking for help is hard"
        assert shown["anonymous"] is anonymous
        assert shown["author"] == (None if anonymous else "Person 1")
        assert "author_id" not in shown
    for sock in stage.people:
        (on_board,) = joined(sock, stage.sid)["board"]["cards"]
        assert on_board["author"] == (None if anonymous else "Person 1")
    assert joined(stage.fac, stage.sid)["board"]["cards"][0]["author"] == "Person 1"


def test_rejection_goes_to_facilitators_and_the_author_only(app, world):
    stage = scene(app, world)
    card_id = submit(stage, 2, text="Not for the board")["card_id"]
    stage.drain()
    ack = ok(moderate(stage, card_id, "reject"))
    assert ack["card"]["status"] == "rejected"
    assert inbox(stage.fac)["card:rejected"] == [{"card_id": card_id}]
    assert inbox(stage.people[2])["card:rejected"] == [{"card_id": card_id}]
    for sock in stage.people[:2]:
        assert dict(inbox(sock)) == {}
    assert joined(stage.fac, stage.sid)["pending_cards"] == []
    assert joined(stage.people[2], stage.sid)["board"]["cards"] == []


def test_a_published_card_cannot_be_rejected_nor_a_rejected_one_approved(app, world):
    stage = scene(app, world, people=1)
    published = submit(stage, 0)["card_id"]
    rejected = submit(stage, 0)["card_id"]
    ok(moderate(stage, published, "approve"))
    ok(moderate(stage, rejected, "reject"))
    stage.drain()
    refused(moderate(stage, published, "reject"), "conflict")
    refused(moderate(stage, rejected, "approve"), "conflict")
    assert dict(inbox(stage.people[0])) == {}
    assert [c["id"] for c in joined(stage.people[0], stage.sid)["board"]["cards"]] == [published]


def test_edit_before_approval_stays_with_facilitators(app, world):
    stage = scene(app, world)
    card_id = submit(stage, 0, text="My boss shouts, my name is Person 1")["card_id"]
    stage.drain()
    ack = ok(moderate(stage, card_id, "edit", text="A boss who shouts"))
    assert ack["card"]["text"] == "A boss who shouts" and ack["card"]["status"] == "pending"
    for sock in stage.people:
        assert dict(inbox(sock)) == {}
    ok(moderate(stage, card_id, "approve"))
    for sock in stage.people:
        (shown,) = inbox(sock)["card:published"]
        assert shown["text"] == "A boss who shouts"


def test_editing_a_published_card_updates_everyone(app, world):
    stage = scene(app, world)
    card_id = submit(stage, 1, text="First words")["card_id"]
    ok(moderate(stage, card_id, "approve"))
    stage.drain()
    ok(moderate(stage, card_id, "edit", text="Better words"))
    for sock in stage.everyone():
        got = inbox(sock)
        assert "card:published" not in got
        (updated,) = got["card:updated"]
        assert (updated["id"], updated["text"]) == (card_id, "Better words")
    shown = joined(stage.people[0], stage.sid)["board"]["cards"][0]
    assert shown["text"] == "Better words" and shown["author"] is None


def test_themes_reach_everyone_and_sort_cards(app, world):
    stage = scene(app, world)
    ack = ok(emit(stage.fac, "theme:create", {"session_id": stage.sid,
                                              "title": "Saying no", "problem_area":
                                              "role_dispute"}))
    theme = ack["theme"]
    assert (theme["title"], theme["problem_area"]) == ("Saying no", "role_dispute")
    for sock in stage.everyone():
        (updated,) = inbox(sock)["theme:updated"]
        assert updated["id"] == theme["id"] and updated["title"] == "Saying no"
    card_id = submit(stage, 0, area="role_dispute")["card_id"]
    ack = ok(moderate(stage, card_id, "approve", theme_id=theme["id"]))
    assert ack["card"]["theme_id"] == theme["id"]
    for sock in stage.people:
        assert inbox(sock)["card:published"][0]["theme_id"] == theme["id"]
    board = joined(stage.people[1], stage.sid)["board"]
    assert [t["id"] for t in board["themes"]] == [theme["id"]]
    assert board["cards"][0]["theme_id"] == theme["id"]


def test_a_theme_of_another_group_is_not_found(app, world):
    stage = scene(app, world, people=1)
    other = make_group(app, 1, name="Thursday group")
    theirs = facilitator_socket(app, other)
    theme = ok(emit(theirs, "theme:create", {"session_id": other.session_id, "title": "X",
                                             "problem_area": "grief"}))["theme"]
    card_id = submit(stage, 0)["card_id"]
    stage.drain()
    refused(moderate(stage, card_id, "approve", theme_id=theme["id"]), "not_found")
    refused(moderate(stage, 987654, "approve"), "not_found")
    assert dict(inbox(stage.people[0])) == {}
    assert len(joined(stage.fac, stage.sid)["pending_cards"]) == 1


def test_the_board_carries_across_the_course(app, world):
    stage = scene(app, world, people=1)
    ok(emit(stage.fac, "theme:create", {"session_id": stage.sid, "title": "Loss",
                                        "problem_area": "grief"}))
    card_id = submit(stage, 0, text="I still miss her")["card_id"]
    ok(moderate(stage, card_id, "approve"))
    stage.end()
    week_two = world.session_ids[1]
    ok(emit(stage.fac, "session:start", {"session_id": week_two}))
    newcomer = participant_socket(app, world, 2)
    board = joined(newcomer, week_two)["board"]
    assert [t["title"] for t in board["themes"]] == ["Loss"]
    (shown,) = board["cards"]
    assert (shown["text"], shown["session_number"], shown["author"]) == (
        "I still miss her", 1, None)


def test_my_pending_card_survives_a_reconnect(app, world):
    """Nothing typed is lost: the author sees their own pending card after rejoining."""
    stage = scene(app, world, people=2)
    cid = client_id()
    ok(emit(stage.people[0], "card:submit", card(stage.sid, text="Still waiting", cid=cid)))
    again = participant_socket(app, world, 0)
    state = joined(again, stage.sid)
    assert [c["text"] for c in state.get("my_pending_cards", [])] == ["Still waiting"]
    assert state.get("my_pending_cards", [{}])[0].get("author") is None
    assert joined(stage.people[1], stage.sid).get("my_pending_cards", []) == []
