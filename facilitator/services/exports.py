"""Exports of a group's course (sessions, attendance, measures, outcomes) as CSV rows or JSON.

Each member's plan from the pre-group meeting comes too: in the identified export its
structured fields (status, problem areas, baseline, consent, mode, fit answers, referral,
what was explained, goals, shared summary, how many people the inventory holds; never the
inventory's labels or the private summary); in the de-identified one only the problem areas,
the baseline total and the status.

A de-identified export names participants by their group code (P01, ...) only and carries no
free text (no notes, reflections, card or homework texts, theme titles, goals or summaries),
no dates and no ids that lead back to a person.
"""

from __future__ import annotations

import csv
import io

from sqlalchemy import func, select

from ..extensions import db
from ..models import (
    Card,
    CheckIn,
    Goal,
    Group,
    GroupSession,
    InventoryPerson,
    Participant,
    PreGroupMeeting,
    Theme,
    TimelineEntry,
    iso,
)
from . import reporting
from .collab import group_homework, group_reflections
from .scoring import answered_count, item9_grade, item9_of, severity
from .vocabulary import REFER_REASONS

CSV_BASE = ["group_id", "session_number", "session_phase", "session_status"]
OUTCOME_FLAGS = ["response", "remission", "reliable_improvement", "recovery"]
CSV_OUTCOME = ["first_phq9", "first_measure", "latest_phq9", "phq9_change", *OUTCOME_FLAGS]
CSV_MEASURE = ["attendance", "mood", "phq9_total", "severity"]
# How much of the session's latest questionnaire was answered, and the highest item-9 answer
# of the session (0-3); its grade in words only in the identified export.
CSV_ITEM9 = ["phq9_answered", "item9"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The member's plan: all a de-identified export carries of it, then the identified fields.
PLAN_DEIDENTIFIED = ["status", "problem_area", "second_problem_area", "baseline_phq9"]
MEETING_KEYS = ["baseline_item9", "baseline_date", "consent_date", "meeting_mode",
                *[f"fit_{key}" for key, _ in REFER_REASONS], "referred_to",
                "psychoeducation_covered", "recorded_elsewhere"]
PLAN_IDENTIFIED = [*PLAN_DEIDENTIFIED, *MEETING_KEYS, "inventory_people", "timeline_entries",
                   "goals", "shared_summary"]


def csv_columns(deidentified: bool) -> list[str]:
    """The CSV header: one row per participant and session; the member's plan comes last."""
    if deidentified:
        return [*CSV_BASE, "participant_code", *CSV_MEASURE, *CSV_ITEM9, *CSV_OUTCOME,
                *PLAN_DEIDENTIFIED]
    return [*CSV_BASE, "session_date", "participant_code", "display_name", *CSV_MEASURE,
            *CSV_ITEM9, "item9_grade", *CSV_OUTCOME, "notes", *PLAN_IDENTIFIED]


def safe_cell(value) -> str:
    """Render one CSV cell; text a spreadsheet would run as a formula gets a leading quote.

    Booleans become yes/no and None an empty cell.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return str(value)  # a number such as -3 is data, never a formula
    if isinstance(value, list | tuple):
        value = " | ".join(str(each) for each in value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def notes_by_person_session(group_id: int) -> dict[tuple[int, int], list[str]]:
    """Check-in notes by ``(participant_id, session_number)``, oldest first."""
    rows = db.session.execute(
        select(CheckIn.participant_id, GroupSession.number, CheckIn.note)
        .join(GroupSession, CheckIn.session_id == GroupSession.id)
        .where(GroupSession.group_id == group_id, CheckIn.note.is_not(None))
        .order_by(CheckIn.id)
    )
    notes: dict[tuple[int, int], list[str]] = {}
    for person, number, note in rows:
        notes.setdefault((person, number), []).append(note)
    return notes


def phq9_by_person_session(group_id: int) -> dict[tuple[int, int], list[list]]:
    """Every PHQ-9 answer list of the group, by ``(participant_id, session_number)``, oldest
    first; partly answered lists included, check-ins without a PHQ-9 left out."""
    rows = db.session.execute(
        select(CheckIn.participant_id, GroupSession.number, CheckIn.phq9)
        .join(GroupSession, CheckIn.session_id == GroupSession.id)
        .where(GroupSession.group_id == group_id)
        .order_by(CheckIn.id)
    )
    found: dict[tuple[int, int], list[list]] = {}
    for person, number, phq9 in rows:
        if phq9:
            found.setdefault((person, number), []).append(phq9)
    return found


def item9_cells(lists: list[list] | None, deidentified: bool) -> dict:
    """A session's questionnaires as cells: answered items of the latest, the highest item 9.

    The highest item-9 answer of the session is kept, so a later calmer check-in never hides
    a risk signal; de-identified exports carry its number, not its words.
    """
    answers = [a for a in (item9_of(phq9) for phq9 in lists or []) if a is not None]
    item9 = max(answers) if answers else None
    cells = {"phq9_answered": answered_count(lists[-1]) if lists else None, "item9": item9}
    if not deidentified:
        cells["item9_grade"] = item9_grade(item9)
    return cells


def measure_cells(point) -> dict:
    """The mood, PHQ-9 total and severity of one session's measure (empty if none)."""
    total = point.phq9_total if point else None
    return {"mood": point.mood if point else None, "phq9_total": total,
            "severity": None if total is None else severity(total)}


def outcome_cells(person) -> dict:
    """A participant's course outcomes as CSV cells."""
    outcome = person.outcome.as_dict()
    return {"first_phq9": outcome["first_phq9"], "first_measure": outcome["first_measure"],
            "latest_phq9": outcome["latest_phq9"],
            "phq9_change": outcome["change"],
            **{k: outcome[k] for k in OUTCOME_FLAGS}}


def plan_fields(group: Group, deidentified: bool) -> dict[int, dict]:
    """Each member's plan from the pre-group meeting, by participant id (four queries)."""
    meetings = {m.participant_id: m for m in reporting.rows_of(
        PreGroupMeeting, PreGroupMeeting.group_id == group.id)}
    members = list(group.participants)
    if deidentified:
        return {p.id: deidentified_plan(p, meetings.get(p.id)) for p in members}
    goals, inventory, timeline = plan_lists(group.id)
    return {p.id: {**deidentified_plan(p, meetings.get(p.id)),
                   **meeting_fields(meetings.get(p.id)),
                   "inventory_people": inventory.get(p.id, 0),
                   "timeline_entries": timeline.get(p.id, 0),
                   "goals": goals.get(p.id, []), "shared_summary": p.shared_summary}
            for p in members}


def deidentified_plan(member: Participant, meeting: PreGroupMeeting | None) -> dict:
    """What every export carries of a plan: status, problem areas, the baseline total."""
    return {"status": member.status, "problem_area": member.problem_area,
            "second_problem_area": member.second_problem_area,
            "baseline_phq9": meeting.baseline_total if meeting else None}


def meeting_fields(meeting: PreGroupMeeting | None) -> dict:
    """The meeting's structured fields for an identified export (no private summary)."""
    if meeting is None:
        return dict.fromkeys(MEETING_KEYS)
    answers = meeting.eligibility or {}
    return {"baseline_item9": item9_of(meeting.baseline_phq9),
            "baseline_date": day(meeting.baseline_at), "consent_date": day(meeting.consent_at),
            "meeting_mode": meeting.mode,
            **{f"fit_{key}": (answers.get(key) or {}).get("answer") for key, _ in REFER_REASONS},
            "referred_to": meeting.referred_to,
            "psychoeducation_covered": list(meeting.psychoeducation or []),
            "recorded_elsewhere": meeting.recorded_elsewhere}


def plan_lists(group_id: int) -> tuple[dict[int, list[str]], dict[int, int], dict[int, int]]:
    """Current goals' texts, and how many inventory people and timeline entries, per member."""
    in_group = select(Participant.id).where(Participant.group_id == group_id)
    goals: dict[int, list[str]] = {}
    for member, text in db.session.execute(
            select(Goal.participant_id, Goal.text).where(
                Goal.participant_id.in_(in_group), Goal.retired_at.is_(None))
            .order_by(Goal.participant_id, Goal.position)):
        goals.setdefault(member, []).append(text)
    return goals, counts(InventoryPerson, in_group), counts(TimelineEntry, in_group)


def counts(model, in_group) -> dict[int, int]:
    """How many rows of ``model`` each member of the group has."""
    return dict(db.session.execute(
        select(model.participant_id, func.count(model.id))
        .where(model.participant_id.in_(in_group)).group_by(model.participant_id)).all())


def day(moment) -> str | None:
    """A stored time as its day, YYYY-MM-DD, or None."""
    return moment.date().isoformat() if moment else None


def csv_rows(group: Group, deidentified: bool) -> list[dict]:
    """One row per participant and session: attendance, measure and course outcomes."""
    course = reporting.course_measures(group)
    attendance = {row.participant.id: row.cells for row in reporting.attendance_rows(group)}
    notes = {} if deidentified else notes_by_person_session(group.id)
    questionnaires = phq9_by_person_session(group.id)
    plans = plan_fields(group, deidentified)
    rows = []
    for person in course.people:
        pid = person.participant.id
        for session, cell in zip(course.sessions, attendance[pid], strict=True):
            row = {"group_id": group.id, "session_number": session.number,
                   "session_phase": session.phase, "session_status": session.status,
                   "participant_code": person.code, "attendance": cell, **plans[pid],
                   **measure_cells(person.point(session.number)), **outcome_cells(person),
                   **item9_cells(questionnaires.get((pid, session.number)), deidentified)}
            if not deidentified:
                row.update(session_date=session_date(session),
                           display_name=person.participant.display_name,
                           notes=" | ".join(notes.get((pid, session.number), [])))
            rows.append(row)
    return rows


def session_date(session: GroupSession) -> str | None:
    """The day a session started, as YYYY-MM-DD, if it started."""
    return session.started_at.date().isoformat() if session.started_at else None


def to_csv(group: Group, deidentified: bool) -> str:
    """The whole CSV export as text."""
    out = io.StringIO()
    columns = csv_columns(deidentified)
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for row in csv_rows(group, deidentified):
        writer.writerow({key: safe_cell(row.get(key)) for key in columns})
    return out.getvalue()


def session_record(session: GroupSession, deidentified: bool) -> dict:
    """A session as exported."""
    record = {"number": session.number, "phase": session.phase, "status": session.status}
    if not deidentified:
        record.update(id=session.id, title=session.title, started_at=iso(session.started_at),
                      ended_at=iso(session.ended_at))
    return record


def participant_record(person, row, deidentified: bool, sessions,
                       questionnaires: dict | None = None, plan: dict | None = None) -> dict:
    """A participant's attendance, per-session measures and outcomes, as exported."""
    pid = person.participant.id
    measures = [{"session": n, **measure_cells(p),
                 **item9_cells((questionnaires or {}).get((pid, n)), deidentified)}
                for n, p in person.points.items()]
    record = {"code": person.code,
              "attendance": [{"session": s.number, "status": cell}
                             for s, cell in zip(sessions, row.cells, strict=True)],
              "sessions_attended": row.attended, "sessions_expected": row.expected,
              "missed_in_a_row": row.runs, "measures": measures,
              "outcome": person.outcome.as_dict(), "plan": plan}
    if not deidentified:
        record.update(participant_id=person.participant.id,
                      display_name=person.participant.display_name)
    return record


def free_text(group: Group) -> dict:
    """The group's free text for an identified export: notes, homework, reflections, board."""
    notes = [{"participant_id": c.participant_id, "session_id": c.session_id,
              "created_at": iso(c.created_at), "note": c.note}
             for c in reporting.rows_of(CheckIn, CheckIn.participant_id.in_(
                 [p.id for p in group.participants]), CheckIn.note.is_not(None))]
    return {
        "checkin_notes": notes,
        "homework": [{"id": a.id, "session_id": a.session_id, "participant_id": a.participant_id,
                      "text": a.text} for a in group_homework(group.id)],
        "reflections": [{"assignment_id": r.assignment_id, "participant_id": r.participant_id,
                         "text": r.text, "times_practised": r.times_practised,
                         "created_at": iso(r.created_at)} for r in group_reflections(group.id)],
        "themes": [{"id": t.id, "session_id": t.session_id, "title": t.title,
                    "problem_area": t.problem_area}
                   for t in reporting.rows_of(Theme, Theme.group_id == group.id)],
        "cards": [{"id": c.id, "session_id": c.session_id, "text": c.text, "status": c.status,
                   "problem_area": c.problem_area, "theme_id": c.theme_id,
                   "author": c.author_name}
                  for c in reporting.rows_of(Card, Card.group_id == group.id)],
    }


def to_document(group: Group, deidentified: bool) -> dict:
    """The whole JSON export."""
    course = reporting.course_measures(group)
    rows = {row.participant.id: row for row in reporting.attendance_rows(group)}
    questionnaires = phq9_by_person_session(group.id)
    plans = plan_fields(group, deidentified)
    document = {
        "group": {"id": group.id, "template": group.template},
        "deidentified": deidentified,
        "sessions": [session_record(s, deidentified) for s in course.sessions],
        "participants": [participant_record(p, rows[p.participant.id], deidentified,
                                            course.sessions, questionnaires,
                                            plans[p.participant.id])
                         for p in course.people],
        "group_means": [{"session": m.session_number, "phq9_total": m.phq9_total,
                         "mood": m.mood, "count": m.count} for m in course.means],
    }
    if not deidentified:
        document["group"]["name"] = group.name
        document.update(free_text(group))
    return document
