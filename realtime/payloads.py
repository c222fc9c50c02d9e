"""The shapes of everything the server sends: events and the ``state`` snapshot share them."""

from typing import TYPE_CHECKING

from facilitator.course import counters, session_spec
from facilitator.models import (
    AgendaItem,
    Alert,
    Assignment,
    Card,
    CheckIn,
    GroupSession,
    Prompt,
    Reflection,
    RiskRecord,
    Theme,
    iso,
    utcnow,
)
from facilitator.services import ending, meeting, plans, risk, scripts
from facilitator.services.scoring import answered_count, item9_grade, item9_of

if TYPE_CHECKING:  # the fast ways' records (services import this package's publisher)
    from facilitator.services.collab import NewCard
    from facilitator.services.live import ActiveItem


def session_info(session: GroupSession) -> dict:
    """The session as the snapshot describes it."""
    return {"id": session.id, "group_id": session.group_id, "number": session.number,
            "title": session.title, "phase": session.phase, "status": session.status,
            "group_name": session.group.name}


def purpose(session: GroupSession) -> str | None:
    """The session's purpose in its course plan (facilitators only); None when the plan
    does not say (a plan not known here, a session after the course)."""
    spec = session_spec(session.group.template, session.number)
    return spec.purpose if spec else None


def status(session: GroupSession) -> dict:
    """Payload of ``session:status``."""
    return {"session_id": session.id, "status": session.status}


def course(session: GroupSession) -> dict:
    """The snapshot's ``course``: ``number``, ``total`` and how many sessions are ``left``;
    also this session's ``phase`` and the ending's calm countdown line (``ending``, or null
    before the termination phase: ``services.ending.countdown``) and whether it is the
    course's ``final`` session (its check-in asks for the final PHQ-9)."""
    group = session.group
    place = counters(group.template, session.number, lambda: len(group.sessions))
    place["phase"] = session.phase
    place["ending"] = ending.countdown(session.phase, place["number"], place["total"],
                                       place["left"])
    place["final"] = ending.is_final(place["number"], place["total"])
    return place


def agenda_item(item: "AgendaItem | ActiveItem", phase: str,
                for_facilitator: bool = False, plan: str | None = None,
                number: int | None = None) -> dict:
    """One agenda item, with the line participants see while it is on (``now``).

    The texts are those of session ``number`` of the course plan ``plan`` where it specifies
    the item (``scripts.for_item``). A facilitator's item also carries its ``script`` and
    the ``words`` a facilitator may use; a participant's has neither key.
    """
    script = scripts.for_item(plan, number, phase, item.kind)
    payload = {"id": item.id, "title": item.title, "kind": item.kind, "status": item.status,
               "now": script.now}
    if for_facilitator:
        payload["script"] = [dict(step) for step in script.steps]
        payload["words"] = list(script.words)
    return payload


def agenda(session: GroupSession, for_facilitator: bool = False) -> list[dict]:
    """The session's agenda, in order (scripts only when ``for_facilitator``)."""
    return [agenda_item(item, session.phase, for_facilitator, session.group.template,
                        session.number) for item in session.agenda]


def agenda_changed(session_id: int, item: "ActiveItem", for_facilitator: bool) -> dict:
    """Payload of ``agenda:changed``: the item that is now current."""
    return {"session_id": session_id, "current_item_id": item.id,
            "item": agenda_item(item, item.phase, for_facilitator, item.plan, item.number)}


def agenda_updated(session: GroupSession, for_facilitator: bool) -> dict:
    """Payload of ``agenda:updated``: the whole agenda after the facilitator edited it."""
    return {"session_id": session.id, "current_item_id": session.current_item_id,
            "agenda": agenda(session, for_facilitator)}


def prompt(prompt: Prompt, names: dict[int, str], viewer_id: int | None) -> dict:
    """Payload of ``prompt:pushed`` for one viewer (a participant id, or None)."""
    my_role = next((r["role"] for r in prompt.roles if r["participant_id"] == viewer_id), None)
    cast = [{"participant_id": r["participant_id"],
             "display_name": names.get(r["participant_id"], ""), "role": r["role"]}
            for r in prompt.roles]
    return {"session_id": prompt.session_id, "prompt_id": prompt.id, "text": prompt.text,
            "problem_area": prompt.problem_area, "my_role": my_role, "cast": cast,
            "scene": scene(prompt, names)}


def scene(prompt: Prompt, names: dict[int, str]) -> dict | None:
    """A member's own conversation as the group sees it (null for a starter scene): whose
    it is, the other person as the facilitator named them, what the member wants to say.
    Never the inventory card or the safety answer."""
    if prompt.participant_id is None:
        return None
    return {"participant_id": prompt.participant_id,
            "display_name": names.get(prompt.participant_id, ""),
            "other_person": prompt.other_person, "wants_to_say": prompt.wants_to_say,
            "member_plays": prompt.member_plays}


def timer(session: GroupSession) -> dict:
    """Payload of ``timer``: running or not, and when it ends (server clock included)."""
    return timer_of(session.id, session.timer_ends_at, session.timer_seconds,
                    session.timer_label)


def timer_of(session_id: int, ends_at, seconds: int | None, label: str | None) -> dict:
    """Payload of ``timer`` from a session's timer fields, as of now."""
    running = ends_at is not None and ends_at > utcnow()
    return {"session_id": session_id, "running": running,
            "ends_at": iso(ends_at) if running else None,
            "seconds": seconds if running else None,
            "label": label if running else None, "server_now": iso(utcnow())}


def checkin(c: CheckIn) -> dict:
    """A check-in, for facilitators only: ``answered`` is how many of the nine PHQ-9
    questions were answered, ``item9`` the item-9 answer and ``item9_grade`` it in words."""
    item9 = item9_of(c.phq9)
    return {"id": c.id, "checkin_id": c.id, "session_id": c.session_id,
            "participant_id": c.participant_id, "display_name": c.participant.display_name,
            "mood": c.mood, "phq9": c.phq9, "phq9_total": c.phq9_total, "severity": c.severity,
            "answered": answered_count(c.phq9), "item9": item9, "item9_grade": item9_grade(item9),
            "note": c.note, "needs_support": c.needs_support, "flagged": c.flagged,
            "created_at": iso(c.created_at)}


def my_checkin(c: CheckIn, support: str, support_reply: str | None = None) -> dict:
    """A participant's own check-in, with the urgent-help text when it raised an alert and
    the group's reply to a support request when it asked for support."""
    return {"checkin_id": c.id, "mood": c.mood, "phq9": c.phq9, "phq9_total": c.phq9_total,
            "severity": c.severity, "note": c.note, "needs_support": c.needs_support,
            "created_at": iso(c.created_at), "support": support if c.flagged else None,
            "support_reply": (support_reply or None) if c.flagged and c.needs_support
            else None}


def alert(a: Alert) -> dict:
    """An alert, for facilitators only."""
    by = a.acknowledged_by
    if a.checkin is not None:
        item9 = item9_of(a.checkin.phq9)
    else:  # a signal outside a session: the pre-group meeting's baseline
        item9 = item9_of(meeting.alert_answers(a)) if a.session_id is None else None
    return {"alert_id": a.id, "id": a.id, "session_id": a.session_id,
            "participant_id": a.participant_id, "display_name": a.participant.display_name,
            "reason": a.reason, "item9": item9, "item9_grade": item9_grade(item9),
            "checkin_id": a.checkin_id, "created_at": iso(a.created_at),
            "acknowledged_at": iso(a.acknowledged_at),
            "acknowledged_by": by.display_name if by else None, "note": a.ack_note}


def risk_record(r: RiskRecord) -> dict:
    """An alert's risk record, for the group's facilitators only."""
    return {"id": r.id, "alert_id": r.alert_id, "participant_id": r.participant_id,
            "asked_directly": r.asked_directly, "thoughts": r.thoughts, "plan": r.plan,
            "means": r.means, "past_attempt": r.past_attempt,
            "protective_factors": r.protective_factors, "risk_level": r.risk_level,
            "actions": list(r.actions or []), "follow_up_due": iso(r.follow_up_due),
            "follow_up_done_at": iso(r.follow_up_done_at),
            "follow_up_outcome": r.follow_up_outcome,
            "recorded_by": r.recorded_by.display_name if r.recorded_by else None,
            "created_at": iso(r.created_at), "updated_at": iso(r.updated_at)}


def follow_up(a: Alert, now=None) -> dict:
    """An acknowledged alert and where its risk protocol stands (``follow_ups``, ``risk:updated``).

    ``open`` stays true until the follow-up is recorded done; ``due`` is when the next step
    (the record, or the follow-up) is due, ``overdue`` whether that time has passed.
    """
    now = now or utcnow()
    record = a.risk_record
    return {**alert(a), "risk_record": None if record is None else risk_record(record),
            "open": risk.is_open(a), "due": iso(risk.due_of(a)),
            "overdue": risk.is_overdue(a, now)}


def risk_history(h: "risk.History") -> dict:
    """A member who had an alert in the course so far (``risk_history``), facilitators only."""
    return {"participant_id": h.participant_id, "alerts": h.alerts,
            "last_alert_at": iso(h.last_alert_at), "last_item9": h.last_item9,
            "last_item9_grade": item9_grade(h.last_item9)}


def assignment(a: Assignment) -> dict:
    """A homework assignment; ``participant_id`` is null for the whole group.

    A personal task tied to one of the member's goals carries ``goal_id`` and the goal's
    words (``goal``): it goes only to that member and the facilitators."""
    return {"assignment_id": a.id, "id": a.id, "session_id": a.session_id, "text": a.text,
            "participant_id": a.participant_id, "created_at": iso(a.created_at),
            "goal_id": a.goal_id, "goal": a.goal.text if a.goal_id is not None else None}


def reflection(r: Reflection) -> dict:
    """A reflection on homework."""
    return {"reflection_id": r.id, "id": r.id, "assignment_id": r.assignment_id,
            "participant_id": r.participant_id, "display_name": r.participant.display_name,
            "text": r.text, "times_practised": r.times_practised,
            "created_at": iso(r.created_at)}


def card(c: "Card | NewCard", for_facilitator: bool) -> dict:
    """A card; the author is hidden from participants when the card is anonymous."""
    shown = for_facilitator or not c.anonymous
    payload = {"id": c.id, "card_id": c.id, "session_id": c.session_id,
               "session_number": c.session_number, "text": c.text,
               "problem_area": c.problem_area, "theme_id": c.theme_id, "status": c.status,
               "anonymous": c.anonymous, "author": c.author_name if shown else None}
    if for_facilitator:
        payload["author_id"] = c.participant_id or c.facilitator_id
        payload["author_kind"] = "participant" if c.participant_id else "facilitator"
    return payload


def card_removed(c: Card) -> dict:
    """Payload of ``card:removed``: only which card left the board, never why or whose."""
    return {"card_id": c.id}


def theme(t: Theme) -> dict:
    """A theme of the board."""
    return {"id": t.id, "theme_id": t.id, "group_id": t.group_id, "session_id": t.session_id,
            "title": t.title, "problem_area": t.problem_area}


def own_plan(participant) -> dict:
    """A member's own plan, as their ``me`` carries it: ``goals`` and ``shared_summary``."""
    return {"goals": plans.own_goals(participant),
            "shared_summary": participant.shared_summary or None}


def debrief(debrief) -> dict:
    """Payload of ``roleplay:debriefed`` (facilitators only): a member's role-play debrief."""
    return {"session_id": debrief.session_id, "prompt_id": debrief.prompt_id,
            "debrief_id": debrief.id, "participant_id": debrief.participant_id,
            "worked": debrief.worked, "next_time": debrief.next_time}
