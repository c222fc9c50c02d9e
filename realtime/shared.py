"""The half of a participant's snapshot that every member of a session shares, built once.

After a restart the whole room joins within seconds, and each member's ``state`` would read
the same session, agenda, prompt, board and member list again. ``SharedPart`` holds that half,
ready to send, per session; a member's own half (check-in, homework, cards, plan, goals) and
``presence`` are still read for each join.

**Why it is never staler than a connected client.** Every change a connected client hears of
reaches it through the client manager's ``emit`` on this worker (with a message queue, when
the message comes back from the queue). ``WatchedManager`` counts those emits per session and
per group, and an entry is used only while the counts are those it was built under. A join
enters its rooms before it reads the snapshot, so a change published after that is delivered
to it, and one published before it has dropped the entry. A build that raced a change stores
nothing (its counts moved). Changes nobody is told of live (an edit on a web page) are picked
up when this worker's own commit of a page request drops everything, and at the latest after
``SHARED_SNAPSHOT_SECONDS`` (for a page request served by another worker).
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from dataclasses import dataclass

import socketio as socketio_lib
from flask import current_app, has_app_context, has_request_context, request
from sqlalchemy import event
from sqlalchemy.orm import Session

EXTENSION = "facilitator.shared_snapshots"
ROOM = re.compile(r"([sg])(\d+)")
QUIET_EVENTS = frozenset({"presence"})  # read for each join anyway
WROTE = "shared.wrote"


@dataclass(frozen=True)
class SharedPart:
    """A session's snapshot as every member sees it, ready to send (never mutated)."""

    group_id: int
    session: dict
    course: dict
    agenda: list
    current_item_id: int | None
    prompt: dict | None
    roles: tuple
    timer: tuple
    board: dict
    facilitators: tuple
    members: tuple

    def prompt_for(self, participant_id: int) -> dict | None:
        """The prompt with the viewer's own role in it (``my_role``)."""
        if self.prompt is None:
            return None
        mine = next((r["role"] for r in self.roles if r["participant_id"] == participant_id),
                    None)
        return {**self.prompt, "my_role": mine}


@dataclass
class Entry:
    """A cached part, the change counts it was built under, and when it expires."""

    stamp: tuple
    part: SharedPart
    expires: float


class Snapshots:
    """This worker's shared parts by session id, with counts of what was published since."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.entries: dict[int, Entry] = {}
        self.sessions: dict[int, int] = defaultdict(int)
        self.groups: dict[int, int] = defaultdict(int)
        self.everything = 0

    def stamp(self, session_id: int, group_id: int) -> tuple:
        """The change counts a part of this session must have been built under."""
        return self.everything, self.sessions[session_id], self.groups[group_id]

    def get(self, session_id: int, group_id: int) -> SharedPart | None:
        """The session's part, if nothing was published since it was built and it is fresh."""
        entry = self.entries.get(session_id)
        if entry is None or entry.stamp != self.stamp(session_id, group_id):
            return None
        return entry.part if time.monotonic() < entry.expires else None

    def put(self, stamp: tuple, session_id: int, part: SharedPart) -> None:
        """Keep a part built under ``stamp``, unless something was published meanwhile."""
        if self.seconds > 0 and stamp == self.stamp(session_id, part.group_id):
            self.entries[session_id] = Entry(stamp, part, time.monotonic() + self.seconds)

    def published(self, room) -> None:
        """Something went to ``room`` (a name, a list of them, or None: everyone): drop the
        parts of its session or group."""
        for name in room if isinstance(room, list | tuple) else [room]:
            if name is None:  # a broadcast to the whole namespace
                self.forget_all()
                continue
            found = ROOM.match(name)
            if found is None:
                continue
            counts = self.sessions if found.group(1) == "s" else self.groups
            counts[int(found.group(2))] += 1

    def forget_all(self) -> None:
        """Drop every part (a page request of this worker changed the database)."""
        self.everything += 1
        self.entries.clear()


class WatchedManager(socketio_lib.Manager):
    """The in-process client manager, telling ``Snapshots`` of every emit it delivers."""

    snapshots: Snapshots | None = None

    def emit(self, event, data, namespace, room=None, skip_sid=None, callback=None, to=None,
             **kwargs):
        """Deliver as ``socketio.Manager`` does, after dropping the room's shared parts."""
        if self.snapshots is not None and event not in QUIET_EVENTS:
            self.snapshots.published(to or room)
        return super().emit(event, data, namespace, room=room, skip_sid=skip_sid,
                            callback=callback, to=to, **kwargs)


class WatchedRedisManager(socketio_lib.RedisManager, WatchedManager):
    """The Redis client manager; messages back from the queue are delivered (and watched) by
    ``WatchedManager.emit``, which comes after ``PubSubManager`` in this class's MRO."""


def client_manager(url: str | None, channel: str, snapshots: Snapshots):
    """The client manager for ``socketio.init_app``: in-process, or over Redis at ``url``."""
    manager = WatchedRedisManager(url, channel=channel) if url else WatchedManager()
    manager.snapshots = snapshots
    return manager


def init_app(app) -> Snapshots:
    """Give the app its shared parts (``SHARED_SNAPSHOT_SECONDS``; 0 turns them off)."""
    snapshots = Snapshots(float(app.config["SHARED_SNAPSHOT_SECONDS"])
                          if app.config["FAST_WAYS"] else 0.0)
    app.extensions[EXTENSION] = snapshots
    return snapshots


def snapshots() -> Snapshots:
    """This app's shared parts."""
    return current_app.extensions[EXTENSION]


def in_page_request() -> bool:
    """Tell whether this is a page request, not a Socket.IO event (Flask-SocketIO sets
    ``request.sid`` in its handlers' request context)."""
    return has_request_context() and not hasattr(request, "sid")


@event.listens_for(Session, "after_flush")
def _note_writes(session, _context) -> None:
    """Remember that a page request wrote (live events publish what they change)."""
    if in_page_request():
        session.info[WROTE] = True


@event.listens_for(Session, "after_commit")
def _forget_after_page_write(session) -> None:
    """A page request's commit may change what a snapshot holds: drop every shared part."""
    if session.info.pop(WROTE, False) and has_app_context() \
            and EXTENSION in current_app.extensions:
        snapshots().forget_all()


@event.listens_for(Session, "after_soft_rollback")
def _forget_rolled_back(session, _previous) -> None:
    """Nothing was written after all."""
    session.info.pop(WROTE, None)
