"""The pre-group meeting: one facilitator and one member, step by step (docs/ipt.md).

Each step is saved on its own and can be resumed (``PreGroupMeeting.steps_done``). Rules
here add and flush; they never commit: the view commits once, with its audit row. The
member's status, problem areas, shared summary and goals go through ``services.plans``.
An item-9 answer above 0 on the baseline PHQ-9 raises an alert, and every later step is
refused until that alert has a risk record.
"""

from sqlalchemy import select

from ..extensions import db
from ..models import Alert, Participant, PreGroupMeeting, utcnow
from . import Refused, plans
from .scoring import answered_phq9, complete_total, item9_of, severity
from .text import clean_text
from .vocabulary import (
    MEETING_MODE_WORDS,
    MEETING_OUTCOMES,
    MEETING_STEPS,
    PSYCHOEDUCATION_POINTS,
    REFER_REASONS,
)

STEPS = tuple(key for key, _ in MEETING_STEPS)
OUTCOMES = tuple(key for key, _ in MEETING_OUTCOMES)
# Steps that may be saved while the baseline's alert waits for its risk record.
BEFORE_RISK = ("start", "baseline")
NOTE_LENGTH = 500
REFERRED_TO_LENGTH = 300
PRIVATE_SUMMARY_LENGTH = 2000
# A member's status while the pre-group page (not the group sessions) is theirs.
PRE_GROUP = ("invited", "meeting_done")


def meeting_of(participant: Participant) -> PreGroupMeeting:
    """The member's meeting row, made (and flushed) the first time it is needed."""
    meeting = participant.meeting
    if meeting is None:
        meeting = PreGroupMeeting(participant_id=participant.id, group_id=participant.group_id,
                                  eligibility={}, psychoeducation=[], steps_done=[])
        db.session.add(meeting)
        db.session.flush()
        participant.meeting = meeting
    return meeting


def mark_done(meeting: PreGroupMeeting, step: str) -> None:
    """Note that ``step`` was saved (a new list, so the JSON column sees the change)."""
    if step not in (meeting.steps_done or []):
        meeting.steps_done = [*(meeting.steps_done or []), step]
    meeting.updated_at = utcnow()


def waiting_alert(meeting: PreGroupMeeting | None) -> Alert | None:
    """The baseline's alert while it has no risk record yet (the meeting waits for it)."""
    alert = None if meeting is None else meeting.baseline_alert
    if alert is None or alert.risk_record is not None:
        return None
    return alert


def check_may_go_on(meeting: PreGroupMeeting, step: str) -> None:
    """Refuse a step after the baseline while its alert has no risk record."""
    if step not in BEFORE_RISK and waiting_alert(meeting) is not None:
        raise Refused("conflict", "Record the risk assessment first: the baseline answer "
                                  "about self-harm needs it before the meeting goes on.")


def save_start(meeting: PreGroupMeeting, user, mode: str | None, consent: bool) -> None:
    """How the meeting takes place, and that consent and confidentiality were explained."""
    if mode not in MEETING_MODE_WORDS:
        raise Refused("invalid", "How the meeting takes place: choose face to face, by phone "
                                 "or by video.")
    if not consent:
        raise Refused("invalid", "Consent and confidentiality: tick the box once you have "
                                 "explained them and the person agrees.")
    meeting.mode = mode
    if meeting.consent_at is None:
        meeting.consent_at = utcnow()
        meeting.consent_by_id = user.id
    mark_done(meeting, "start")


def save_baseline(meeting: PreGroupMeeting, answers: list[int | None],
                  source: str) -> Alert | None:
    """Store the baseline PHQ-9 (partial answers too); return a new item-9 alert, if any.

    The total is kept only when all nine are answered. An item-9 answer above 0 raises one
    alert (reason ``phq9_item9``, no session) unless the meeting already has one.
    """
    if len(answers) != 9 or any(a is not None and a not in (0, 1, 2, 3) for a in answers):
        raise Refused("invalid", "Each PHQ-9 answer is one of the four choices.")
    stored = answered_phq9(answers)
    if stored is None:
        raise Refused("invalid", "PHQ-9: answer at least one question.")
    meeting.baseline_phq9 = stored
    meeting.baseline_total = complete_total(stored)
    meeting.baseline_at = utcnow()
    meeting.baseline_source = source
    mark_done(meeting, "baseline")
    if item9_of(stored) in (None, 0) or meeting.baseline_alert_id is not None:
        return None
    alert = Alert(group_id=meeting.group_id, session_id=None,
                  participant_id=meeting.participant_id, reason="phq9_item9")
    db.session.add(alert)
    db.session.flush()
    meeting.baseline_alert_id = alert.id
    meeting.baseline_alert = alert
    return alert


def alert_answers(alert: Alert) -> list[int | None] | None:
    """The PHQ-9 answers behind an alert: its check-in's, or the baseline that raised it."""
    if alert.checkin is not None:
        return alert.checkin.phq9
    meeting = db.session.scalar(select(PreGroupMeeting)
                                .where(PreGroupMeeting.baseline_alert_id == alert.id))
    return None if meeting is None else meeting.baseline_phq9


def baseline_view(meeting: PreGroupMeeting) -> dict:
    """The baseline as the facilitators' meeting page shows it (``meeting:baseline``)."""
    answers = list(meeting.baseline_phq9 or [None] * 9)
    total = meeting.baseline_total
    return {"participant_id": meeting.participant_id, "group_id": meeting.group_id,
            "answers": answers, "answered": sum(a is not None for a in answers),
            "total": total, "severity": None if total is None else severity(total),
            "item9": item9_of(answers), "source": meeting.baseline_source,
            "alert_id": meeting.baseline_alert_id,
            "at": None if meeting.baseline_at is None
            else meeting.baseline_at.isoformat(timespec="seconds") + "Z"}


def save_fit(meeting: PreGroupMeeting, answers: dict, referred_to: str | None) -> None:
    """The reasons to refer instead: each yes or no with a note; any yes needs where to.

    ``answers`` maps each key of ``REFER_REASONS`` to ``(yes: bool | None, note: str)``.
    """
    stored = {}
    for key, question in REFER_REASONS:
        yes, note = answers.get(key, (None, ""))
        if yes is None:
            raise Refused("invalid", f"Answer yes or no: {question}")
        stored[key] = {"answer": bool(yes), "note": clean_text(note, NOTE_LENGTH, "A note")}
    where = clean_text(referred_to or "", REFERRED_TO_LENGTH, "Where to refer")
    if any(item["answer"] for item in stored.values()) and not where:
        raise Refused("invalid", "Where to refer: a yes above means the group does not fit "
                                 "now; say where you refer the person.")
    meeting.eligibility = stored
    meeting.referred_to = where or None
    mark_done(meeting, "fit")


def refer_instead(meeting: PreGroupMeeting | None) -> bool:
    """Whether a reason to refer instead was answered yes."""
    return meeting is not None and any(
        item.get("answer") for item in (meeting.eligibility or {}).values())


def save_explained(meeting: PreGroupMeeting, covered: list[str]) -> None:
    """Which points of "depression explained" were covered (at least one)."""
    keys = [key for key, _, _ in PSYCHOEDUCATION_POINTS]
    if any(point not in keys for point in covered):
        raise Refused("invalid", "Depression explained: choose from the points listed.")
    if not covered:
        raise Refused("invalid", "Depression explained: tick the points you covered.")
    meeting.psychoeducation = [key for key in keys if key in covered]
    mark_done(meeting, "explained")


def save_plan(meeting: PreGroupMeeting, participant: Participant, primary: str | None,
              second: str | None, private_summary: str | None, shared: str | None) -> None:
    """The problem area (one primary, an optional second) and the two summaries."""
    if not primary:
        raise Refused("invalid", "Problem area: choose the main one.")
    private = clean_text(private_summary or "", PRIVATE_SUMMARY_LENGTH, "Private summary")
    plans.set_problem_areas(participant, primary, second)
    plans.set_shared_summary(participant, shared)
    meeting.private_summary = private or None
    mark_done(meeting, "plan")


def save_goals(meeting: PreGroupMeeting, participant: Participant, texts: list[str],
               by) -> None:
    """One to three goals in the member's own words; changes keep their history."""
    texts = [text.strip() for text in texts if text and text.strip()]
    if not texts:
        raise Refused("invalid", "Goals: write at least one goal in the member's own words.")
    if len(texts) > plans.MAX_GOALS:
        raise Refused("invalid", f"Goals: at most {plans.MAX_GOALS}.")
    for text in texts:  # every goal is checked before any is changed
        clean_text(text, plans.GOAL_LENGTH, "A goal")
    current = list(participant.goals)
    for goal, text in zip(current, texts, strict=False):
        plans.edit_goal(goal, text, by)
    for goal in current[len(texts):]:
        plans.retire_goal(goal, by)
    for text in texts[len(current):]:
        plans.add_goal(participant, text, by)
    mark_done(meeting, "goals")


def missing_for_group(meeting: PreGroupMeeting, participant: Participant) -> list[str]:
    """The steps a member needs before the group: consent, fit, problem area and a goal."""
    done = set(meeting.steps_done or [])
    missing = [title for key, title in MEETING_STEPS
               if key in ("start", "fit") and key not in done]
    if participant.problem_area is None:
        missing.append("a problem area")
    if not participant.goals:
        missing.append("at least one goal")
    return missing


def finish(meeting: PreGroupMeeting, participant: Participant, outcome: str | None, user,
           referred_to: str | None = None) -> None:
    """End the meeting: enrol now, meeting done (enrol later), referred, or declined."""
    if outcome not in OUTCOMES:
        raise Refused("invalid", "How the meeting ends: choose one of the four.")
    if outcome in ("enrol", "done"):
        if refer_instead(meeting):
            raise Refused("invalid", "How the meeting ends: a reason to refer was answered "
                                     "yes, so the person is referred (or declines).")
        missing = missing_for_group(meeting, participant)
        if missing:
            raise Refused("invalid", "Before the group, the meeting still needs: "
                                     + ", ".join(missing) + ".")
    if outcome == "done" and participant.status == "enrolled":
        raise Refused("conflict", "How the meeting ends: this member is already enrolled, "
                                  "so the meeting cannot go back to \"enrol later\".")
    where = clean_text(referred_to or meeting.referred_to or "", REFERRED_TO_LENGTH,
                       "Where to refer")
    if outcome == "referred":
        if not where:
            raise Refused("invalid", "Where to refer: say where you refer the person.")
        meeting.referred_to = where
    move_to(participant, {"enrol": "enrolled", "done": "meeting_done",
                          "referred": "referred", "declined": "declined"}[outcome])
    meeting.completed_at = meeting.completed_at or utcnow()
    meeting.completed_by_id = meeting.completed_by_id or user.id
    mark_done(meeting, "end")


def move_to(participant: Participant, status: str) -> None:
    """Move the member's status along the meeting's way: someone who was referred or
    declined and comes back is invited again first; enrolling passes "meeting done"."""
    if status in ("meeting_done", "enrolled") and participant.status in ("referred", "declined"):
        plans.set_status(participant, "invited")
    if status == "enrolled" and participant.status == "invited":
        plans.set_status(participant, "meeting_done")
    plans.set_status(participant, status)


def enrol_recorded_elsewhere(participant: Participant, user) -> PreGroupMeeting:
    """Enrol a member whose meeting the programme held and recorded outside this product."""
    if participant.status not in PRE_GROUP:
        raise Refused("conflict", "Only an invited member, or one whose meeting is done, "
                                  "can be enrolled this way.")
    meeting = meeting_of(participant)
    meeting.recorded_elsewhere = True
    meeting.completed_at = meeting.completed_at or utcnow()
    meeting.completed_by_id = meeting.completed_by_id or user.id
    move_to(participant, "enrolled")
    return meeting

