"""Helpers for the report tests: run sessions through the live protocol and read pages' tables."""

import uuid
from html.parser import HTMLParser

from helpers import World, emit, facilitator_socket, joined, participant_socket


def answers_for(total: int, item9: int = 0) -> list[int]:
    """Nine PHQ-9 answers summing to ``total``, with item 9 set to ``item9``."""
    rest = total - item9
    assert 0 <= rest <= 24, (total, item9)
    return [min(3, max(0, rest - 3 * i)) for i in range(8)] + [item9]


def ok(ack: dict) -> dict:
    """Assert an acknowledgement is a success and return it."""
    assert isinstance(ack, dict) and ack.get("ok") is True, ack
    return ack


def checkin(session_id: int, mood: int, total: int | None = None, item9: int = 0,
            **extra) -> dict:
    """A ``checkin:submit`` payload with a PHQ-9 summing to ``total`` (none if None)."""
    payload = {"session_id": session_id, "client_id": str(uuid.uuid4()), "mood": mood, **extra}
    if total is not None:
        payload["phq9"] = answers_for(total, item9)
    return payload


class LiveSession:
    """A session run through Socket.IO: the facilitator and the participants who come."""

    def __init__(self, app, world: World, number: int, present: list[int]):
        self.app, self.world = app, world
        self.session_id = world.session_ids[number - 1]
        self.fac = facilitator_socket(app, world)
        joined(self.fac, self.session_id)
        ok(emit(self.fac, "session:start", {"session_id": self.session_id}))
        self.people = {}
        for index in present:
            sock = participant_socket(app, world, index)
            joined(sock, self.session_id)
            self.people[index] = sock

    def check_in(self, index: int, mood: int, total: int | None = None, **extra) -> dict:
        """Participant ``index`` checks in; return the ack."""
        return ok(emit(self.people[index], "checkin:submit",
                       checkin(self.session_id, mood, total, **extra)))

    def facilitator(self, event: str, **payload) -> dict:
        """The facilitator sends ``event`` with this session's id; return the ack."""
        return ok(emit(self.fac, event, {"session_id": self.session_id, **payload}))

    def participant(self, index: int, event: str, **payload) -> dict:
        """Participant ``index`` sends ``event``; return the ack."""
        return ok(emit(self.people[index], event, payload))

    def end(self) -> None:
        """End the session and close every connection."""
        ok(emit(self.fac, "session:end", {"session_id": self.session_id}))
        for sock in [self.fac, *self.people.values()]:
            sock.disconnect(namespace="/live")


def run_session(app, world: World, number: int, checkins: dict[int, tuple],
                present: list[int] | None = None, end: bool = True) -> LiveSession:
    """Run session ``number``: those present join, check in ``{index: (mood, total)}``, end."""
    live = LiveSession(app, world, number, sorted(checkins) if present is None else present)
    for index, (mood, total) in checkins.items():
        live.check_in(index, mood, total)
    if end:
        live.end()
    return live


class TableReader(HTMLParser):
    """Collects the text of each cell of each table row, keyed by the tables' ids."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.current: str | None = None
        self.row: list[str] | None = None
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        """Open a table, a row or a cell."""
        if tag == "table":
            self.current = dict(attrs).get("id") or f"table{len(self.tables)}"
            self.tables[self.current] = []
        elif tag == "tr" and self.current:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []
        elif tag == "br" and self.cell is not None:
            self.cell.append(" ")

    def handle_endtag(self, tag):
        """Close a cell, a row or a table."""
        if tag in ("td", "th") and self.cell is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.tables[self.current].append(self.row)
            self.row = None
        elif tag == "table":
            self.current = None

    def handle_data(self, data):
        """Keep text inside a cell."""
        if self.cell is not None:
            self.cell.append(data)


def tables(html: str) -> dict[str, list[list[str]]]:
    """Every table of a page as rows of cell texts, keyed by the table's id."""
    reader = TableReader()
    reader.feed(html)
    return reader.tables


def row_of(table: list[list[str]], first_cell: str) -> list[str]:
    """The row of ``table`` whose first cell is ``first_cell``."""
    for row in table:
        if row and row[0] == first_cell:
            return row
    raise AssertionError(f"no row {first_cell!r} in {table}")
