"""Group commit: submissions that arrive together are written in one transaction.

When a whole group (or a hundred groups) submits a check-in at the same moment, writing
each one in its own transaction costs a flush, a commit and a wait for the disk apiece,
one after the other. Here the first submitter to arrive becomes the *leader*: it yields
once, so that every submission already received can queue behind it, then writes the
queue in one transaction of its own database session and wakes the others with their
results. Nobody is answered before the transaction that holds their row has committed,
so the acknowledge-after-commit guarantee is unchanged. A submitter that arrives while a
leader is writing waits; the first of those leads the next batch.

If the batch fails (a duplicate racing in from another worker, a database error), every
item is written again on its own, so one bad item never costs the others their row.
"""

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import IntegrityError

from ..extensions import db

#: The most submissions one transaction writes; a longer queue is written in turns.
MAX_BATCH = 500


@dataclass
class Waiter:
    """One submission in the queue, and what became of it."""

    item: Any
    done: threading.Event = field(default_factory=threading.Event)
    lead: bool = False
    result: Any = None
    error: BaseException | None = None

    def outcome(self) -> Any:
        """Return the result, or raise what writing this item raised."""
        if self.error is not None:
            raise self.error
        return self.result


class GroupCommit:
    """Write queued items together; ``write(items)`` adds rows and returns one result each.

    ``write`` runs in the leader's ``db.session`` and must not commit; it may raise
    ``IntegrityError`` for the whole batch, or return an exception in place of a result to
    refuse one item alone.
    """

    def __init__(self, write: Callable[[list], list]) -> None:
        self._write = write
        self._lock = threading.Lock()
        self._pending: list[Waiter] = []
        self._leading = False
        self.batches = 0  # how many transactions were written (for tests and benchmarks)

    def submit(self, item: Any) -> Any:
        """Queue ``item``, wait until its transaction committed, return its result.

        The caller's session must hold no changes. Its transaction is ended first, which
        hands its connection back to the pool: hundreds of submitters wait at once, and
        waiting must not hold a connection each (the pool would run dry and stall
        everyone, PostgreSQL would run out of connections). A caller that never opened a
        session (the fast ways of ``realtime.dispatch``) is not given one just to end it.
        """
        if db.session.registry.has():
            db.session.commit()
        waiter = Waiter(item)
        with self._lock:
            self._pending.append(waiter)
            leads = not self._leading
            self._leading = True
        if not leads:
            waiter.done.wait()
        if leads or waiter.lead:
            self._lead()
        return waiter.outcome()

    def _lead(self) -> None:
        """Write one batch (this submitter's among it), then hand the lead on."""
        time.sleep(0)  # let every submission already received join this batch
        with self._lock:
            batch, self._pending = self._pending[:MAX_BATCH], self._pending[MAX_BATCH:]
        try:
            self._write_batch(batch)
        finally:
            with self._lock:
                if self._pending:
                    self._pending[0].lead = True
                    self._pending[0].done.set()
                else:
                    self._leading = False
            for waiter in batch:
                waiter.done.set()

    def _write_batch(self, batch: list[Waiter]) -> None:
        """Write the batch in one transaction; if that fails, write each item alone."""
        try:
            self._settle(batch, self._write([w.item for w in batch]))
            db.session.commit()
            self.batches += 1
            return
        except Exception:  # noqa: BLE001 - each item is retried alone below
            db.session.rollback()
            if len(batch) == 1:
                return self._write_alone(batch[0])
        for waiter in batch:
            self._write_alone(waiter)

    def _write_alone(self, waiter: Waiter, retry: bool = True) -> None:
        """Write one item in its own transaction (once more after a duplicate key)."""
        try:
            self._settle([waiter], self._write([waiter.item]))
            db.session.commit()
            self.batches += 1
        except IntegrityError as exc:
            db.session.rollback()
            if retry:
                return self._write_alone(waiter, retry=False)
            waiter.error = exc
        except Exception as exc:  # noqa: BLE001 - the submitter's handler reports it
            db.session.rollback()
            waiter.error = exc

    @staticmethod
    def _settle(batch: list[Waiter], results: list) -> None:
        """Hand each waiter its result, or the exception that refused its item."""
        for waiter, result in zip(batch, results, strict=True):
            if isinstance(result, BaseException):
                waiter.error, waiter.result = result, None
            else:
                waiter.error, waiter.result = None, result
