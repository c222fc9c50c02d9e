"""Idempotent submissions: the same ``client_id`` returns the first answer, stores nothing."""

from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Receipt


def actor_key(user) -> str:
    """Identify the sender of a submission: kind and person id."""
    return f"{user.kind[0]}:{user.id}"


def find_receipt(actor: str, client_id: str) -> Receipt | None:
    """Return the stored answer for this sender and ``client_id``, if any."""
    return db.session.scalar(
        select(Receipt).where(Receipt.actor == actor, Receipt.client_id == client_id)
    )


def submit_once(
    user, client_id: str, event: str, store: Callable[[], tuple[Any, dict]]
) -> tuple[dict, Any]:
    """Run ``store`` once per ``client_id`` and commit; return ``(answer, new_object)``.

    ``store`` adds rows and returns the new object and the answer to send. A resubmission,
    even one racing the first, gets the first answer and ``None`` for the object.
    """
    actor = actor_key(user)
    earlier = find_receipt(actor, client_id)
    if earlier is not None:
        return earlier.answer, None
    try:
        created, answer = store()
        db.session.add(Receipt(actor=actor, client_id=client_id, event=event, answer=answer))
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        earlier = find_receipt(actor, client_id)
        if earlier is None:
            raise
        return earlier.answer, None
    return answer, created
