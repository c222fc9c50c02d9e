"""Idempotent submissions: the same ``client_id`` returns the first answer, stores nothing."""

from collections.abc import Callable
from typing import Any

from sqlalchemy import bindparam, insert, select, tuple_
from sqlalchemy.exc import IntegrityError

from ..db import driver
from ..extensions import db
from ..models import Receipt
from . import Refused


def actor_key(user) -> str:
    """Identify the sender of a submission: kind and person id."""
    return key_of(user.kind, user.id)


def key_of(kind: str, person_id: int) -> str:
    """The receipt's ``actor`` for a ``participant`` or ``facilitator`` and their id."""
    return f"{kind[0]}:{person_id}"


# Every submission writes a receipt, and looks for an earlier one when that fails: plain
# Core statements, built once (the ORM's unit of work cost more than the rows it wrote;
# docs/performance.md).
RECEIPT = select(Receipt.event, Receipt.answer).where(
    Receipt.actor == bindparam("actor"), Receipt.client_id == bindparam("client_id"))
ADD_RECEIPT = insert(Receipt.__table__)
# The same write for the fast ways, run on the driver's cursor (``db.driver``).
ADD_RECEIPT_PREPARED = driver.Prepared(ADD_RECEIPT.values(
    {name: bindparam(name) for name in ("actor", "client_id", "event", "answer", "created_at")}))


def find_receipt(actor: str, client_id: str):
    """Return the stored ``event`` and ``answer`` for this sender and ``client_id``, if any."""
    found = db.session.connection().execute(RECEIPT, {"actor": actor, "client_id": client_id})
    return found.first()


RECEIPTS = select(Receipt.actor, Receipt.client_id, Receipt.event, Receipt.answer).where(
    tuple_(Receipt.actor, Receipt.client_id).in_(bindparam("keys", expanding=True)))


def find_receipts(keys: list[tuple[str, str]]) -> dict[tuple[str, str], Any]:
    """Return the stored receipts (``event``, ``answer``) among ``(actor, client_id)`` pairs.

    One query for a whole batch, built once: the pairs go in as one expanding parameter.
    """
    if not keys:
        return {}
    found = db.session.connection().execute(RECEIPTS, {"keys": sorted(set(keys))})
    return {(row.actor, row.client_id): row for row in found}


def submit_once(
    user, client_id: str, event: str, store: Callable[[], tuple[Any, dict]]
) -> tuple[dict, Any]:
    """Run ``store`` once per ``client_id`` and commit; return ``(answer, new_object)``.

    ``store`` adds rows and returns the new object and the answer to send. A resubmission,
    even one racing the first, gets the first answer and ``None`` for the object. A
    ``client_id`` already used for another event is refused rather than answered with the
    other event's answer (which would silently drop this submission).

    Most submissions are new, so the receipt is looked for only when writing fails: the
    receipt's unique key refuses a second one, or ``store`` refuses (a resubmission is
    answered even where a new submission is not, say after the session ended).
    """
    actor = actor_key(user)
    try:
        created, answer = store()
        db.session.connection().execute(ADD_RECEIPT, {"actor": actor, "client_id": client_id,
                                                      "event": event, "answer": answer})
        db.session.commit()
    except (IntegrityError, Refused):
        db.session.rollback()
        earlier = find_receipt(actor, client_id)
        if earlier is None:
            raise
        return first_answer(earlier, event), None
    return answer, created


def store_once(
    user, client_id: str | None, event: str, store: Callable[[], tuple[Any, dict]]
) -> tuple[dict, Any]:
    """Like ``submit_once`` when the sender gave a ``client_id``; else store and commit anew.

    For requests where the ``client_id`` is optional (a facilitator's homework or theme).
    """
    if client_id is not None:
        return submit_once(user, client_id, event, store)
    created, answer = store()
    db.session.commit()
    return answer, created


def answer_or_refusal(receipt, event: str) -> tuple[dict, None, list] | Refused:
    """A resubmission's result for a group commit: the first answer, or the refusal."""
    try:
        return first_answer(receipt, event), None, []
    except Refused as exc:
        return exc


def first_answer(receipt, event: str) -> dict:
    """The stored answer, provided it was for the same event."""
    if receipt.event != event:
        raise Refused("conflict", "This client_id was already used for something else.")
    return receipt.answer
