"""Board safety: a card taken down and put back, a card withdrawn by its author."""

import pytest
from helpers import emit, joined, make_group, participant_socket
from helpers.scenes import card, inbox, ok, refused, rows, scene

from facilitator.models import AuditEvent


def published(stage, index: int = 0, text: str = "Talking helps", **fields) -> int:
    """A card by participant ``index``, approved; returns its id with every inbox drained."""
    card_id = ok(emit(stage.people[index], "card:submit",
                      card(stage.sid, text=text, **fields)))["card_id"]
    ok(emit(stage.fac, "card:moderate", {"card_id": card_id, "action": "approve"}))
    stage.drain()
    return card_id


def moderate(stage, card_id: int, action: str) -> dict:
    """Send ``card:moderate`` as the scene's facilitator; return the ack."""
    return emit(stage.fac, "card:moderate", {"card_id": card_id, "action": action})


def board_ids(sock, session_id: int) -> list[int]:
    """The card ids on the board of a fresh snapshot."""
    return [c["id"] for c in joined(sock, session_id)["board"]["cards"]]


def test_a_card_taken_down_leaves_every_board_and_stays_with_the_facilitators(app, world):
    stage = scene(app, world)
    card_id = published(stage, 0, text="A hard week at home")
    ack = ok(moderate(stage, card_id, "take_down"))
    assert ack["card"]["status"] == "taken_down" and ack["card"]["author"] == "Person 1"
    for sock in stage.people:
        assert dict(inbox(sock)) == {"card:removed": [{"card_id": card_id}]}
    (update,) = inbox(stage.fac)["card:updated"]
    assert (update["id"], update["status"]) == (card_id, "taken_down")
    for sock in stage.people:
        assert board_ids(sock, stage.sid) == []
    state = joined(stage.fac, stage.sid)
    assert state["board"]["cards"] == []
    assert [(c["id"], c["status"]) for c in state["removed_cards"]] == [(card_id, "taken_down")]
    assert rows(app, AuditEvent, action="card.take_down", subject=f"card {card_id}") == 1


@pytest.mark.parametrize("anonymous", [True, False])
def test_a_card_put_back_returns_to_every_board(app, world, anonymous):
    stage = scene(app, world)
    card_id = published(stage, 1, anonymous=anonymous)
    ok(moderate(stage, card_id, "take_down"))
    stage.drain()
    ok(moderate(stage, card_id, "restore"))
    for sock in stage.people:
        (back,) = inbox(sock)["card:updated"]
        assert (back["id"], back["status"]) == (card_id, "published")
        assert back["author"] == (None if anonymous else "Person 2")
        assert "author_id" not in back
        assert board_ids(sock, stage.sid) == [card_id]
    assert inbox(stage.fac)["card:updated"][0]["author"] == "Person 2"
    assert joined(stage.fac, stage.sid)["removed_cards"] == []
    assert rows(app, AuditEvent, action="card.restore") == 1


def test_only_a_card_on_the_board_comes_down_and_only_a_taken_down_one_goes_back(app, world):
    stage = scene(app, world)
    pending = ok(emit(stage.people[0], "card:submit", card(stage.sid)))["card_id"]
    refused(moderate(stage, pending, "take_down"), "conflict")
    refused(moderate(stage, pending, "restore"), "conflict")
    on_board = published(stage, 1)
    refused(moderate(stage, on_board, "restore"), "conflict")
    ok(moderate(stage, on_board, "take_down"))
    refused(moderate(stage, on_board, "take_down"), "conflict")
    refused(moderate(stage, on_board, "approve"), "conflict")
    refused(moderate(stage, on_board, "reject"), "conflict")
    stage.drain()
    edited = emit(stage.fac, "card:moderate", {"card_id": on_board, "action": "edit",
                                              "text": "Quietly edited"})
    assert ok(edited)["card"]["status"] == "taken_down"
    for sock in stage.people:
        assert dict(inbox(sock)) == {}, "an edit of a card off the board reaches nobody else"


def test_only_the_group_s_facilitators_take_cards_down(app, world):
    stage = scene(app, world)
    card_id = published(stage, 0)
    for action in ("take_down", "restore"):
        refused(emit(stage.people[0], "card:moderate", {"card_id": card_id, "action": action}),
                "forbidden")
    other = make_group(app, 1, name="Thursday group", email="other@example.org")
    from helpers import facilitator_socket
    outsider = facilitator_socket(app, other)
    refused(emit(outsider, "card:moderate", {"card_id": card_id, "action": "take_down"}),
            "forbidden")
    refused(moderate(stage, 10**6, "take_down"), "not_found")
    assert board_ids(stage.people[1], stage.sid) == [card_id]


def test_an_author_withdraws_their_pending_card(app, world):
    stage = scene(app, world)
    card_id = ok(emit(stage.people[0], "card:submit", card(stage.sid)))["card_id"]
    stage.drain()
    ack = ok(emit(stage.people[0], "card:withdraw", {"card_id": card_id}))
    assert ack == {"ok": True, "card_id": card_id, "status": "withdrawn"}
    assert dict(inbox(stage.people[0])) == {"card:removed": [{"card_id": card_id}]}
    for sock in stage.people[1:]:
        assert dict(inbox(sock)) == {}, "nobody else ever knew of the pending card"
    (update,) = inbox(stage.fac)["card:updated"]
    assert update["status"] == "withdrawn"
    state = joined(stage.fac, stage.sid)
    assert state["pending_cards"] == []
    assert [c["status"] for c in state["removed_cards"]] == ["withdrawn"]
    assert joined(stage.people[0], stage.sid)["my_pending_cards"] == []
    refused(moderate(stage, card_id, "approve"), "conflict")
    refused(moderate(stage, card_id, "edit"), "conflict")


def test_an_author_withdraws_their_card_from_the_board(app, world):
    stage = scene(app, world)
    card_id = published(stage, 2, text="Missing my mother")
    assert joined(stage.people[2], stage.sid)["my_card_ids"] == [card_id]
    assert joined(stage.people[0], stage.sid)["my_card_ids"] == []
    stage.drain()
    ok(emit(stage.people[2], "card:withdraw", {"card_id": card_id}))
    for sock in stage.people:
        assert dict(inbox(sock)) == {"card:removed": [{"card_id": card_id}]}
    assert inbox(stage.fac)["card:updated"][0]["status"] == "withdrawn"
    for sock in stage.people:
        assert board_ids(sock, stage.sid) == []
    assert joined(stage.people[2], stage.sid)["my_card_ids"] == []
    stage.drain()
    again = ok(emit(stage.people[2], "card:withdraw", {"card_id": card_id}))
    assert again["status"] == "withdrawn", "a retry gets the same answer"
    assert all(dict(inbox(sock)) == {} for sock in stage.everyone()), "and sends nothing"
    refused(moderate(stage, card_id, "restore"), "conflict")


def test_a_taken_down_card_can_still_be_withdrawn_by_its_author(app, world):
    stage = scene(app, world)
    card_id = published(stage, 0)
    ok(moderate(stage, card_id, "take_down"))
    stage.drain()
    ok(emit(stage.people[0], "card:withdraw", {"card_id": card_id}))
    assert dict(inbox(stage.people[0])) == {"card:removed": [{"card_id": card_id}]}
    assert dict(inbox(stage.people[1])) == {}
    refused(moderate(stage, card_id, "restore"), "conflict")


def test_nobody_withdraws_someone_else_s_card(app, world):
    stage = scene(app, world)
    card_id = published(stage, 0)
    pending = ok(emit(stage.people[0], "card:submit", card(stage.sid)))["card_id"]
    for target in (card_id, pending):
        refused(emit(stage.people[1], "card:withdraw", {"card_id": target}), "forbidden")
        refused(emit(stage.fac, "card:withdraw", {"card_id": target}), "forbidden")
    other = make_group(app, 1, name="Thursday group", email="other@example.org")
    stranger = participant_socket(app, other, 0)
    refused(emit(stranger, "card:withdraw", {"card_id": card_id}), "forbidden")
    refused(emit(stage.people[0], "card:withdraw", {"card_id": 10**6}), "not_found")
    for bad in ({}, {"card_id": "1"}, {"card_id": 0}, None, [1]):
        refused(emit(stage.people[0], "card:withdraw", bad), "invalid")
    assert board_ids(stage.people[2], stage.sid) == [card_id]


def test_a_rejected_card_cannot_be_withdrawn(app, world):
    stage = scene(app, world)
    card_id = ok(emit(stage.people[0], "card:submit", card(stage.sid)))["card_id"]
    ok(moderate(stage, card_id, "reject"))
    refused(emit(stage.people[0], "card:withdraw", {"card_id": card_id}), "conflict")


def test_a_card_can_be_withdrawn_after_the_session_ended(app, world):
    stage = scene(app, world)
    card_id = published(stage, 0)
    stage.end()
    ok(emit(stage.people[0], "card:withdraw", {"card_id": card_id}))
    assert board_ids(stage.people[1], stage.sid) == []
