"""Board safety: a facilitator takes a published card down and puts it back; an author
withdraws their own card. Neither deletes anything: the card keeps its text and author
for the facilitators, and only ``published`` cards are ever on anyone else's board.
"""

from ..extensions import db
from ..models import Card, utcnow
from . import Refused

TAKEN_DOWN = "taken_down"
WITHDRAWN = "withdrawn"
OFF_THE_BOARD = (TAKEN_DOWN, WITHDRAWN)


def refuse_moderation_off_the_board(card: Card, action: str) -> None:
    """Refuse an ordinary moderation that would bring a card back behind someone's back.

    A withdrawn card is its author's decision: nothing brings it back. A taken-down card
    may be edited (it stays down); ``restore`` is the one way back to the board.
    """
    if card.status == WITHDRAWN:
        raise Refused("conflict", "Its author withdrew this card.")
    if card.status == TAKEN_DOWN and action != "edit":
        raise Refused("conflict", "This card is taken down: put it back first.")


def take_down(card: Card) -> Card:
    """Take a published card off the board (kept for the facilitators)."""
    if card.status != "published":
        raise Refused("conflict", "Only a card on the board can be taken down.")
    card.status = TAKEN_DOWN
    card.moderated_at = utcnow()
    db.session.flush()  # the handler commits, with the audit row
    return card


def restore(card: Card) -> Card:
    """Put a taken-down card back on the board."""
    if card.status != TAKEN_DOWN:
        raise Refused("conflict", "Only a card that was taken down can be put back.")
    card.status = "published"
    card.moderated_at = utcnow()
    db.session.flush()  # the handler commits, with the audit row
    return card


def withdraw(card: Card) -> str:
    """Withdraw an author's own card, pending or on the board; return its status before.

    Withdrawing twice answers as the first time did (a retry after a lost answer).
    """
    if card.status == "rejected":
        raise Refused("conflict", "This card was not added to the board.")
    before = card.status
    if before != WITHDRAWN:
        card.status = WITHDRAWN
        db.session.flush()  # the handler commits, with the audit row
    return before
