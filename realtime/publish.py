"""The one module that sends live events. Nothing else touches the transport.

Events are published after the commit (as Zulip's ``send_event_on_commit`` does): an event
sent while the database session holds writes not yet committed waits in the session's
outbox, goes out when that transaction commits and is dropped if it rolls back. So nobody
hears of a change that was not kept, and an action, its audit row and its events stand or
fall together. An event sent with nothing pending goes out at once.
"""

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from flask import current_app
from sqlalchemy import event as sa_event

from facilitator.extensions import db, socketio
from facilitator.logs import log_unexpected
from facilitator.models import (
    Alert,
    Assignment,
    Card,
    CheckIn,
    GroupSession,
    Prompt,
    Reflection,
    Theme,
)
from facilitator.services import ending

from . import NAMESPACE, payloads, rooms, state

if TYPE_CHECKING:  # the fast ways' records (services import this package's publisher)
    from facilitator.models import PreGroupMeeting, RolePlayDebrief
    from facilitator.services.collab import NewCard
    from facilitator.services.live import ActiveItem


log = logging.getLogger(__name__)
OUTBOX = "outbox"  # session.info key: the events waiting for this transaction's commit
WROTE = "wrote"  # session.info key: this transaction has flushed a write


def send(event: str, payload: dict, room: str) -> None:
    """Emit one event to one room of the live namespace, after the pending commit if any.

    An event whose writes went through Core only (a fast way) has made no ORM session, and
    none is made here just to find it empty.
    """
    if db.session.registry.has() and holds_writes(session := db.session()):
        session.info.setdefault(OUTBOX, []).append((event, payload, room))
        return
    socketio.emit(event, payload, to=room, namespace=NAMESPACE)


def holds_writes(session) -> bool:
    """Tell whether ``session`` has writes that its transaction has not committed yet."""
    return bool(session.info.get(WROTE) or session.new or session.dirty or session.deleted)


def _flushed(session, _context) -> None:
    """Remember that this transaction wrote something (its events must wait for it)."""
    session.info[WROTE] = True


def _committed(session) -> None:
    """Send what waited for this commit, in the order it was published."""
    session.info.pop(WROTE, None)
    for event, payload, room in session.info.pop(OUTBOX, []):
        try:
            socketio.emit(event, payload, to=room, namespace=NAMESPACE)
        except Exception as exc:  # noqa: BLE001 - the commit stands; the next snapshot heals
            log_unexpected(log, f"publishing {event} after commit", exc)


def _rolled_back(session) -> None:
    """Drop what waited for a transaction that was rolled back: it never happened."""
    session.info.pop(WROTE, None)
    session.info.pop(OUTBOX, None)


def init_outbox() -> None:
    """Hold events back until the commit of the writes they announce (once per process)."""
    if not sa_event.contains(db.session, "after_commit", _committed):
        sa_event.listen(db.session, "after_flush", _flushed)
        sa_event.listen(db.session, "after_commit", _committed)
        sa_event.listen(db.session, "after_rollback", _rolled_back)


def session_status(session: GroupSession) -> None:
    """Tell the whole group: those on an earlier session's page learn the next one started."""
    send("session:status", payloads.status(session), rooms.group_all(session.group_id))


def agenda_changed(session_id: int, item: "ActiveItem") -> None:
    """Tell everyone in the session which agenda item is now current.

    Facilitators get the item with its script; participants and consoles in presenter mode
    (``rooms.session_group_view``) get it without.
    """
    send("agenda:changed", payloads.agenda_changed(session_id, item, True),
         rooms.session_facilitators(session_id))
    send("agenda:changed", payloads.agenda_changed(session_id, item, False),
         rooms.session_group_view(session_id))


def agenda_updated(session: GroupSession) -> None:
    """Send the whole agenda after the facilitator edited it (scripts to facilitators only)."""
    send("agenda:updated", payloads.agenda_updated(session, True),
         rooms.session_facilitators(session.id))
    send("agenda:updated", payloads.agenda_updated(session, False),
         rooms.session_group_view(session.id))


def prompt_pushed(session: GroupSession, prompt: Prompt) -> None:
    """Send the prompt to each participant with their own role, and to facilitators."""
    names = state.names(session)
    send("prompt:pushed", payloads.prompt(prompt, names, None),
         rooms.session_facilitators(session.id))
    send("prompt:pushed", payloads.prompt(prompt, names, None),
         rooms.session_presenters(session.id))
    for participant_id in names:
        send("prompt:pushed", payloads.prompt(prompt, names, participant_id),
             rooms.session_participant(session.id, participant_id))


def prompt_cleared(session: GroupSession) -> None:
    """Tell everyone the prompt was taken down."""
    send("prompt:cleared", {"session_id": session.id}, rooms.session_all(session.id))


def timer(session: GroupSession) -> None:
    """Tell everyone the timer started or stopped."""
    send("timer", payloads.timer(session), rooms.session_all(session.id))


def presence(session: GroupSession) -> None:
    """Tell everyone who is here and whose hand is up."""
    send("presence", state.presence(session), rooms.session_all(session.id))


# Sessions whose coalesced ``presence`` is due (``presence_soon``), in this process.
_presence_due: set[int] = set()


def presence_soon(session_id: int) -> None:
    """Tell everyone who is here, once for a burst of joins and leaves (after a restart, the
    whole room reconnects within seconds: one ``presence`` each would be n² messages).

    Call it after the commit that changed who is here. The first call of a burst schedules
    one ``presence`` ``PRESENCE_COALESCE_SECONDS`` later; calls until then add nothing. That
    one reads the database when it goes out, after every change of the burst was committed,
    so the last ``presence`` of a burst is always the true one. 0 sends at once.
    """
    delay = current_app.config["PRESENCE_COALESCE_SECONDS"]
    if delay <= 0:
        session = db.session.get(GroupSession, session_id)
        if session is not None:
            presence(session)
        return
    if session_id in _presence_due:
        return
    _presence_due.add(session_id)
    socketio.start_background_task(_send_presence_later, current_app._get_current_object(),
                                   session_id, delay)


def _send_presence_later(app, session_id: int, delay: float) -> None:
    """After ``delay``, send the session's ``presence`` as the database says it is now."""
    socketio.sleep(delay)
    with app.app_context():
        _presence_due.discard(session_id)  # a change committed from now on sends again
        try:
            session = db.session.get(GroupSession, session_id)
            if session is not None:
                presence(session)
        except Exception as exc:  # noqa: BLE001 - the next join's snapshot is right anyway
            log_unexpected(log, "publishing a coalesced presence", exc)
        finally:
            db.session.remove()


def checkin_received(checkin: CheckIn) -> None:
    """Show a new check-in to the session's facilitators."""
    send("checkin:received", payloads.checkin(checkin),
         rooms.session_facilitators(checkin.session_id))


def alert_raised(alert: Alert) -> None:
    """Alert the group's facilitators, wherever they are in the group."""
    send("alert:raised", payloads.alert(alert), rooms.group_facilitators(alert.group_id))
    send("alert:waiting", {"group_id": alert.group_id}, rooms.group_presenters(alert.group_id))


def meeting_baseline(meeting: "PreGroupMeeting") -> None:
    """Show a member's new baseline PHQ-9 on their group's facilitators' meeting pages."""
    from facilitator.services.meeting import baseline_view

    send("meeting:baseline", baseline_view(meeting), rooms.group_facilitators(meeting.group_id))


def alert_acknowledged(alert: Alert) -> None:
    """Tell the group's facilitators that an alert was seen to."""
    send("alert:acknowledged", payloads.alert(alert), rooms.group_facilitators(alert.group_id))


def risk_updated(alert: Alert) -> None:
    """Tell the group's facilitators that an alert's risk record or follow-up changed."""
    send("risk:updated", payloads.follow_up(alert), rooms.group_facilitators(alert.group_id))


def homework_assigned(assignment: Assignment) -> None:
    """Give homework to the participants it is for, and show it to facilitators."""
    payload = payloads.assignment(assignment)
    group_id = assignment.group_id
    if assignment.participant_id is None:
        to = rooms.group_participants(group_id)
    else:
        to = rooms.group_participant(group_id, assignment.participant_id)
    send("homework:assigned", payload, to)
    send("homework:assigned", payload, rooms.group_facilitators(group_id))


def reflection_received(reflection: Reflection, group_id: int) -> None:
    """Show a new reflection to the group's facilitators."""
    send("reflection:received", payloads.reflection(reflection),
         rooms.group_facilitators(group_id))


def card_pending(card: "Card | NewCard") -> None:
    """Put a new card in the facilitators' moderation queue."""
    send("card:pending", payloads.card(card, True), rooms.group_facilitators(card.group_id))


def card_moderated(card: Card, first_publication: bool) -> None:
    """Publish or update an approved card, or report a rejection to the author."""
    group_id = card.group_id
    if card.status == "rejected":
        send("card:rejected", {"card_id": card.id}, rooms.group_facilitators(group_id))
        if card.participant_id:
            send("card:rejected", {"card_id": card.id},
                 rooms.group_participant(group_id, card.participant_id))
        return
    if card.status in ("pending", "taken_down", "withdrawn"):  # an edit off the board
        send("card:updated", payloads.card(card, True), rooms.group_facilitators(group_id))
        return
    event = "card:published" if first_publication else "card:updated"
    send(event, payloads.card(card, True), rooms.group_facilitators(group_id))
    send(event, payloads.card(card, False), rooms.group_participants(group_id))


def card_taken_down(card: Card) -> None:
    """Take a card off everyone's board; facilitators keep it, marked taken down."""
    send("card:updated", payloads.card(card, True), rooms.group_facilitators(card.group_id))
    send("card:removed", payloads.card_removed(card), rooms.group_participants(card.group_id))


def card_restored(card: Card) -> None:
    """Put a taken-down card back on everyone's board."""
    send("card:updated", payloads.card(card, True), rooms.group_facilitators(card.group_id))
    send("card:updated", payloads.card(card, False), rooms.group_participants(card.group_id))


def card_withdrawn(card: Card, was_on_board: bool) -> None:
    """An author withdrew their card: off the board, or off their own pending list."""
    group_id = card.group_id
    send("card:updated", payloads.card(card, True), rooms.group_facilitators(group_id))
    to = (rooms.group_participants(group_id) if was_on_board
          else rooms.group_participant(group_id, card.participant_id))
    send("card:removed", payloads.card_removed(card), to)


def presenter_changed(login_id: str, session_id: int, on: bool) -> None:
    """Tell every console of one sign-in that presenter mode changed (they join again)."""
    send("presenter:changed", {"session_id": session_id, "on": on}, rooms.person(login_id))


def theme_updated(theme: Theme) -> None:
    """Show a new or changed theme on everyone's board."""
    send("theme:updated", payloads.theme(theme), rooms.group_all(theme.group_id))


def disconnect_sids(sids: list[str], login_ids: Iterable[str] = ()) -> None:
    """Close live connections (logout, a revoked link), on whichever worker holds them.

    ``sids`` come from the ``connections`` table (every worker); every connection in the
    person room of one of ``login_ids`` on this worker is closed too, so a row the table lost
    leaves no socket open here.
    """
    for sid in dict.fromkeys([*sids, *in_person_rooms(login_ids)]):
        socketio.server.disconnect(sid, namespace=NAMESPACE)


def end_connection_soon(sid: str) -> None:
    """Close one connection of this worker a moment from now, after its pending ack."""

    def end() -> None:
        socketio.sleep(0.2)
        socketio.server.disconnect(sid, namespace=NAMESPACE)

    socketio.start_background_task(end)


def in_person_rooms(login_ids: Iterable[str]) -> list[str]:
    """The sids, on this worker, of the connections signed in as one of ``login_ids``."""
    manager = socketio.server.manager
    return [sid for login_id in login_ids
            for sid, _ in manager.get_participants(NAMESPACE, rooms.person(login_id))]


def plan_updated(participant) -> None:
    """Give a member their own plan again after it changed (their goals, their shared line).

    Sent to that member's own room only; nothing of it reaches anyone else.
    """
    send("plan:updated", payloads.own_plan(participant),
         rooms.group_participant(participant.group_id, participant.id))


def script_ticked(session_id: int, payload: dict) -> None:
    """Show a ticked (or unticked) script step on every facilitator's console of the session."""
    send("script:ticked", payload, rooms.session_facilitators(session_id))


def round_member(session_id: int, payload: dict) -> None:
    """Show a member's turn in the weekly round to the session's facilitators only."""
    send("round:member", payload, rooms.session_facilitators(session_id))


def roleplay_debriefed(debrief: "RolePlayDebrief") -> None:
    """Tell the session's facilitators a member's role-play was debriefed (never participants)."""
    send("roleplay:debriefed", payloads.debrief(debrief),
         rooms.session_facilitators(debrief.session_id))


def wellplan_updated(plan) -> None:
    """A member saved their staying-well plan: their own connections get it back
    (``wellplan:mine``), their group's facilitators read it (``wellplan:updated``).

    No other participant's room gets it.
    """
    view = ending.plan_view(plan)
    send("wellplan:mine", view, rooms.group_participant(plan.group_id, plan.participant_id))
    send("wellplan:updated", view, rooms.group_facilitators(plan.group_id))
