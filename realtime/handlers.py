"""Socket.IO handlers of the live namespace: authenticate, validate, call a rule, publish."""

from flask import current_app, request
from flask import session as flask_session
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, join_room, leave_room

from facilitator.db.durability import relax_durability
from facilitator.extensions import db, socketio
from facilitator.models import Participant
from facilitator.services import (
    Refused,
    access,
    audit,
    boardsafety,
    checkins,
    collab,
    live,
    presenter,
    risk,
    roleplay,
)
from facilitator.services.scoring import may_signal_risk
from facilitator.views.auth import facilitator_claim, link_claim, session_expired

from . import NAMESPACE, publish
from . import rooms as room_names
from . import schemas as s
from .dispatch import Lane, event, forget
from .state import build_state

# The session rooms each connection of this worker is in (``enter_rooms``): asking
# Flask-SocketIO's ``rooms()`` instead walks every room of the namespace, at each join.
_session_rooms: dict[str, list[str]] = {}


def worker() -> str:
    """This process's worker id, stable across restarts of the same worker."""
    return current_app.config["WORKER_ID"]


@socketio.on("connect", namespace=NAMESPACE)
def on_connect(auth=None):
    """Refuse a connection without a signed-in person; remember the others.

    The fast way (``connect_fast``) vouches for the sign-in inside the write of the
    connection's row; whatever it cannot vouch for goes the ordinary way, which loads the
    person and refuses anyone not signed in.
    """
    if session_expired():
        raise ConnectionRefusedError("unauthorized")
    login_id = flask_session.get("_user_id")
    if current_app.config["FAST_WAYS"] and connect_fast(login_id):
        join_room(room_names.person(login_id))
        return
    if not current_user.is_authenticated:
        raise ConnectionRefusedError("unauthorized")
    join_room(room_names.person(current_user.get_id()))
    live.record_connection(request.sid, worker(), current_user)


def connect_fast(login_id) -> bool:
    """Record this connection of the sign-in ``login_id`` claims, if it holds (a restart's
    whole room connects at once: nobody is loaded); False when anything is amiss."""
    if not isinstance(login_id, str):
        return False
    claim = facilitator_claim(login_id)
    if claim is not None:
        return live.record_connection_as(request.sid, worker(), "facilitator", *claim)
    link = link_claim(login_id)
    return link is not None and live.record_connection_as(request.sid, worker(),
                                                          "participant", link)


@socketio.on("disconnect", namespace=NAMESPACE)
def on_disconnect(*_reason):
    """Forget the connection and update the session's presence."""
    forget(request.sid)
    _session_rooms.pop(request.sid, None)
    relax_durability()
    session_id = live.forget_connection(request.sid)
    if session_id is not None:
        publish.presence_soon(session_id)


def enter_rooms(user, session, presenting: bool) -> None:
    """Leave the rooms of the session this connection was in (its own and the person's stay),
    then join the session's rooms for ``user``."""
    for room in _session_rooms.pop(request.sid, []):
        leave_room(room)
    entered = room_names.for_member(user, session, presenting)
    for room in entered:
        join_room(room)
    _session_rooms[request.sid] = entered


@event("session:join", s.SessionRef)
def session_join(user, data):
    """Enter a session's rooms and answer with the whole ``state`` snapshot.

    A facilitator in presenter mode gets the presenter's rooms and snapshot. A supervisor
    (``access.may_read_group``) joins as a facilitator does, to look: every event that
    changes the room refuses them.
    """
    session = access.load_session(user, data.session_id, read=True)
    presenting = presenter.is_on(user, session.id)
    enter_rooms(user, session, presenting)
    live.enter_session(request.sid, worker(), user, session)
    publish.presence_soon(session.id)
    if access.is_facilitator(user) and not presenting:
        audit.add(user, session.group_id, "checkins.open", f"session {session.number}")
    return {"state": build_state(user, session, presenting)}


@event("meeting:watch", s.MemberRef)
def meeting_watch(user, data):
    """A facilitator's meeting page of one member: join the group's facilitators' room, so
    the member's baseline from their phone (``meeting:baseline``) and alerts arrive live."""
    found = db.session.get(Participant, data.participant_id)
    if found is None:
        raise Refused("not_found", "There is no such member.")
    member = access.load_member(user, found.group_id, found.id)
    room = room_names.group_facilitators(member.group_id)
    join_room(room)
    _session_rooms.setdefault(request.sid, []).append(room)  # a session:join leaves it
    return {}


@event("presenter:set", s.SetPresenter)
def presenter_set(user, data):
    """Turn presenter mode on or off: this console moves rooms and gets a fresh snapshot."""
    session = access.load_session(user, data.session_id, True)
    presenter.set_mode(user, session, data.on)
    enter_rooms(user, session, data.on)
    live.enter_session(request.sid, worker(), user, session)  # as a join would
    publish.presenter_changed(user.get_id(), session.id, data.on)
    return {"on": data.on, "state": build_state(user, session, data.on)}


@event("session:start", s.SessionRef)
def session_start(user, data):
    """Make the session live."""
    session = live.start_session(access.load_session(user, data.session_id, True))
    publish.session_status(session)
    return {"status": session.status}


@event("session:end", s.SessionRef)
def session_end(user, data):
    """End the session."""
    session = live.end_session(access.load_session(user, data.session_id, True))
    publish.session_status(session)
    publish.timer(session)
    return {"status": session.status}


def agenda_activate_fast(login_id: str, data):
    """The usual agenda push in two guarded writes (``live.activate_item_as``), or None."""
    claim = facilitator_claim(login_id)
    item = None if claim is None else live.activate_item_as(*claim, data.session_id,
                                                            data.item_id)
    if item is None:
        return None
    publish.agenda_changed(data.session_id, item)
    return {"current_item_id": item.id}


@event("agenda:activate", s.ActivateItem, room_state=True, fast=agenda_activate_fast)
def agenda_activate(user, data):
    """Make an agenda item current for everyone."""
    session = access.load_session(user, data.session_id, True)
    item = live.activate_item(session, data.item_id)
    publish.agenda_changed(session.id, item)
    return {"current_item_id": item.id}


@event("prompt:push", s.PushPrompt)
def prompt_push(user, data):
    """Show a role-play prompt, each participant with their own role."""
    session = access.load_session(user, data.session_id, True)
    prompt = roleplay.push_prompt(user, session, data)
    publish.prompt_pushed(session, prompt)
    return {"prompt_id": prompt.id}


@event("prompt:clear", s.SessionRef)
def prompt_clear(user, data):
    """Take the prompt down."""
    session = access.load_session(user, data.session_id, True)
    collab.clear_prompt(session)
    publish.prompt_cleared(session)


@event("timer:start", s.StartTimer, room_state=True)
def timer_start(user, data):
    """Start the session's timer."""
    session = access.load_session(user, data.session_id, True)
    live.start_timer(session, data.seconds, data.label)
    publish.timer(session)
    return {"ends_at": publish.payloads.timer(session)["ends_at"]}


@event("timer:stop", s.SessionRef, room_state=True)
def timer_stop(user, data):
    """Stop the session's timer."""
    session = access.load_session(user, data.session_id, True)
    live.stop_timer(session)
    publish.timer(session)


def checkin_submit_fast(login_id: str, data):
    """A participant's check-in without a risk signal, signed in with its batch, or None."""
    link = link_claim(login_id)
    stored = None if link is None else checkins.submit_checkin_as(link, data)
    if stored is None:
        return None
    answer, checkin = stored
    if checkin is not None:
        publish.checkin_received(checkin)
    return answer


# A check-in round: a few check-ins at a time, a risk signal at once (``dispatch.Lane``).
CHECKIN_LANE = Lane("CHECKINS_AT_ONCE", may_signal_risk)


@event("checkin:submit", s.SubmitCheckIn, fast=checkin_submit_fast, lane=CHECKIN_LANE)
def checkin_submit(user, data):
    """Store a participant's check-in; a risk signal alerts the facilitators at once."""
    access.require_participant(user)
    session = access.load_session(user, data.session_id)
    answer, checkin, alerts = checkins.submit_checkin(user, session, data)
    for alert in alerts:
        publish.alert_raised(alert)
    if checkin is not None:
        publish.checkin_received(checkin)
    return answer


@event("alert:ack", s.AckAlert)
def alert_ack(user, data):
    """Acknowledge an alert, with an optional note."""
    alert = access.load_alert(user, data.alert_id)
    checkins.acknowledge_alert(user, alert, data.note)
    audit.add(user, alert.group_id, "alert.acknowledge", f"alert {alert.id}")
    publish.alert_acknowledged(alert)
    publish.risk_updated(alert)  # the alert stays open: its risk record and follow-up follow


@event("risk:record", s.RecordRisk)
def risk_record(user, data):
    """Save the alert's risk record (a second call changes it); nothing saved if one is wrong."""
    alert = access.load_alert(user, data.alert_id)
    fields = risk.RiskFields(
        asked_directly=data.asked_directly, thoughts=data.thoughts, plan=data.plan,
        means=data.means, past_attempt=data.past_attempt,
        protective_factors=data.protective_factors, risk_level=data.risk_level,
        actions=tuple(data.actions), follow_up_due=risk.parse_due(data.follow_up_due))
    record = risk.save_record(user, alert, fields)
    publish.risk_updated(alert)
    return {"risk_record": publish.payloads.risk_record(record)}


@event("risk:follow_up", s.RiskFollowUp)
def risk_follow_up(user, data):
    """Record the alert's follow-up as done: the alert is closed."""
    alert = access.load_alert(user, data.alert_id)
    record = risk.record_follow_up(user, alert, data.outcome)
    publish.risk_updated(alert)
    return {"risk_record": publish.payloads.risk_record(record)}


@event("homework:assign", s.AssignHomework)
def homework_assign(user, data):
    """Give homework to the group or to one participant."""
    session = access.load_session(user, data.session_id, True)
    answer, assignment = collab.assign_homework(user, session, data)
    if assignment is not None:
        publish.homework_assigned(assignment)
    return answer


@event("reflection:submit", s.SubmitReflection)
def reflection_submit(user, data):
    """Store a participant's reflection on their homework, at any time."""
    access.require_participant(user)
    answer, reflection = collab.submit_reflection(user, data)
    if reflection is not None:
        publish.reflection_received(reflection, user.group_id)
    return answer


def card_submit_fast(login_id: str, data):
    """A participant's new card in three Core statements (``collab.submit_card_as``), or None."""
    link = link_claim(login_id)
    stored = None if link is None else collab.submit_card_as(link, data)
    if stored is None:
        return None
    answer, card = stored
    publish.card_pending(card)
    return answer


@event("card:submit", s.SubmitCard, fast=card_submit_fast)
def card_submit(user, data):
    """Put a card in the moderation queue."""
    session = access.load_session(user, data.session_id)
    answer, card = collab.submit_card(user, session, data)
    if card is not None:
        publish.card_pending(card)
    return answer


@event("card:moderate", s.ModerateCard)
def card_moderate(user, data):
    """Approve, edit or reject a card; take a published one down, or put it back."""
    card = access.load_card(user, data.card_id)
    if data.action in ("take_down", "restore"):
        return card_take_down_or_restore(user, card, data.action)
    was_published = card.status == "published"
    card = collab.moderate_card(card, data.action, data.text, data.theme_id)
    audit.add(user, card.group_id, f"card.{data.action}", f"card {card.id}")
    publish.card_moderated(card, first_publication=not was_published)
    return {"card": publish.payloads.card(card, True)}


def card_take_down_or_restore(user, card, action: str) -> dict:
    """Take a published card off every board, or put a taken-down card back."""
    if action == "take_down":
        boardsafety.take_down(card)
        publish.card_taken_down(card)
    else:
        boardsafety.restore(card)
        publish.card_restored(card)
    audit.add(user, card.group_id, f"card.{action}", f"card {card.id}")
    return {"card": publish.payloads.card(card, True)}


@event("card:withdraw", s.CardRef)
def card_withdraw(user, data):
    """A participant withdraws their own card, pending or on the board."""
    card = access.load_own_card(user, data.card_id)
    before = boardsafety.withdraw(card)
    if before != "withdrawn":
        publish.card_withdrawn(card, was_on_board=before == "published")
    return {"card_id": card.id, "status": card.status}


@event("theme:create", s.CreateTheme)
def theme_create(user, data):
    """Add a theme to the group's board."""
    session = access.load_session(user, data.session_id, True)
    answer, theme = collab.create_theme(user, session, data, publish.payloads.theme)
    if theme is not None:
        publish.theme_updated(theme)
    return answer


@event("hand:raise", s.Hand, room_state=True)
def hand_raise(user, data):
    """Raise the participant's hand."""
    access.require_participant(user)
    session = access.load_session(user, data.session_id)
    live.raise_hand(session, user.id)
    publish.presence(session)


@event("hand:lower", s.Hand, room_state=True)
def hand_lower(user, data):
    """Lower one's own hand, or (a facilitator) anyone's."""
    session = access.load_session(user, data.session_id)
    if access.is_facilitator(user):
        if data.participant_id is None:
            raise Refused("invalid", "participant_id: say whose hand to lower")
        live.lower_hand(session, access.member_of(session, data.participant_id).id)
    elif data.participant_id not in (None, user.id):
        raise Refused("forbidden", "Only a facilitator can lower someone else's hand.")
    else:
        live.lower_hand(session, user.id)
    publish.presence(session)

