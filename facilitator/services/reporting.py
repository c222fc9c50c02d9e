"""Gathering a group's course for the reports: measures over time, a session's summary and
attendance. Queries live here; the rules they feed are in ``outcomes``."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select

from ..course import plan_for
from ..extensions import db
from ..models import (
    Alert,
    Assignment,
    Attendance,
    Card,
    CheckIn,
    Group,
    GroupSession,
    Participant,
    Reflection,
    RolePlayDebrief,
    Theme,
)
from . import outcomes, roleplay
from . import round as rounds
from .baseline import Baseline, group_baselines
from .outcomes import Measure, Outcome, Point
from .scoring import SEVERITY_BANDS
from .vocabulary import SEVERITY_WORDS

BAND_LABELS = {key: words.capitalize() for key, words in SEVERITY_WORDS.items()}


NO_DATA = "No data"
FIGURES_STATE = {"so_far": "so far", "final": "final"}
FIGURES_NOTE = {
    "so_far": "So far: the course's last session (session {last}) has not ended yet, "
              "so these figures can still change.",
    "final": "Final: the course's last session (session {last}) has ended.",
}


def severity_bands() -> list[dict]:
    """The PHQ-9 severity bands as ``{name, label, low, high}``, lowest first."""
    bands, low = [], 0
    for high, name in SEVERITY_BANDS:
        bands.append({"name": name, "label": BAND_LABELS[name], "low": low, "high": high})
        low = high + 1
    return bands


def last_planned_number(group: Group) -> int:
    """The number of the course's last session, from the group's plan (its course template)."""
    template = plan_for(group.template)
    if template is not None:
        return template.sessions
    return max((s.number for s in group.sessions), default=0)


def course_complete(group: Group) -> bool:
    """Tell whether the course's last planned session has ended; until then figures are "so far"."""
    last = last_planned_number(group)
    return any(s.number == last and s.status == "ended" for s in group.sessions)


def participant_codes(group: Group) -> dict[int, str]:
    """Map each participant id to a code stable within the group: P01, P02, ... by joining order."""
    return {p.id: f"P{index:02d}" for index, p in enumerate(group.participants, start=1)}


@dataclass
class ParticipantCourse:
    """One participant's measures across the course and their outcomes (from their meeting's
    baseline when it is complete)."""

    participant: Participant
    code: str
    points: dict[int, Point]
    outcome: Outcome
    baseline: Baseline | None = None

    def point(self, number: int) -> Point | None:
        """The participant's measure for session ``number``, if any."""
        return self.points.get(number)


@dataclass
class GroupMean:
    """The group's mean PHQ-9 total and mood in one session, and how many took part."""

    session_number: int
    phq9_total: float | None
    mood: float | None
    count: int


@dataclass
class CourseMeasures:
    """A group's measures over its course: per participant and the group's means."""

    group: Group
    sessions: list[GroupSession]
    people: list[ParticipantCourse]
    means: list[GroupMean]

    def mean(self, number: int) -> GroupMean | None:
        """The group's mean for session ``number``."""
        return next((m for m in self.means if m.session_number == number), None)


def group_measures(group_id: int) -> dict[int, list[Measure]]:
    """Every check-in of the group's participants as ``Measure``, by participant id."""
    rows = db.session.execute(
        select(CheckIn.participant_id, GroupSession.number, CheckIn.id, CheckIn.mood,
               CheckIn.phq9_total)
        .join(GroupSession, CheckIn.session_id == GroupSession.id)
        .where(GroupSession.group_id == group_id)
    )
    by_person: dict[int, list[Measure]] = defaultdict(list)
    for participant_id, number, order, mood, total in rows:
        by_person[participant_id].append(Measure(number, order, mood, total))
    return by_person


def course_measures(group: Group) -> CourseMeasures:
    """Gather the group's measures per session, each participant's outcomes and the means.

    A participant's outcomes start from their complete baseline PHQ-9 when they have one,
    else from their first PHQ-9 in the group, and end with the course's last planned session
    (its check-in is the final measure; monthly maintenance sessions after it do not count).
    """
    measures = group_measures(group.id)
    baselines = group_baselines(group.id)
    codes = participant_codes(group)
    last = last_planned_number(group)  # the final measure: maintenance sessions come after
    people = []
    for participant in group.participants:
        points = outcomes.session_points(measures.get(participant.id, []))
        baseline = baselines.get(participant.id)
        outcome = outcomes.course_outcome((p.phq9_total for number, p in points.items()
                                           if number <= last),
                                          baseline.total if baseline else None)
        people.append(ParticipantCourse(participant, codes[participant.id], points, outcome,
                                        baseline))
    means = []
    for session in group.sessions:
        taken = [p.point(session.number) for p in people if p.point(session.number)]
        means.append(GroupMean(session.number, outcomes.mean(p.phq9_total for p in taken),
                               outcomes.mean(p.mood for p in taken), len(taken)))
    return CourseMeasures(group, list(group.sessions), people, means)


def chart_data(course: CourseMeasures) -> dict:
    """The course's series for the charts, one value (or null) per session of the course."""
    numbers = [s.number for s in course.sessions]

    def series(person: ParticipantCourse, field: str) -> list:
        """One participant's values of ``field``, per session of the course."""
        return [getattr(person.point(n), field, None) for n in numbers]

    return {
        "sessions": numbers,
        "bands": severity_bands(),
        "group": {"phq9": [m.phq9_total for m in course.means],
                  "mood": [m.mood for m in course.means],
                  "count": [m.count for m in course.means]},
        "participants": [
            {"id": p.participant.id, "name": p.participant.display_name,
             "phq9": series(p, "phq9_total"), "mood": series(p, "mood"),
             "outcome": p.outcome.as_dict()}
            for p in course.people
        ],
    }


@dataclass
class CheckInLine:
    """A check-in of a session and its change since the participant's previous check-in."""

    checkin: CheckIn
    phq9_change: int | None
    mood_change: int | None
    first: bool


@dataclass
class HomeworkLine:
    """Homework set in a session, whom it is for, and the reflections received on it."""

    assignment: Assignment
    for_whom: str
    reflections: list[Reflection]


@dataclass
class SessionSummary:
    """What happened in one session, for the facilitators' record."""

    session: GroupSession
    present: list[tuple[Participant, Attendance]]
    absent: list[Participant]
    checkins: list[CheckInLine]
    alerts: list[Alert]
    cards: list[Card]
    themes: list[Theme]
    homework: list[HomeworkLine]
    round: list[rounds.RoundLine] = field(default_factory=list)
    fidelity: rounds.Counts | None = None
    # Members' own role-plays debriefed in the session (services.roleplay).
    debriefs: list[RolePlayDebrief] = field(default_factory=list)


def rows_of(model, *where, order=None) -> list:
    """Load the rows of ``model`` matching ``where``, ordered by ``order`` (default: id)."""
    return list(db.session.scalars(select(model).where(*where)
                                   .order_by(order if order is not None else model.id)))


def checkin_lines(session: GroupSession) -> list[CheckInLine]:
    """The session's check-ins, oldest first, each with its change since the one before.

    Mood is compared with the participant's previous check-in; the PHQ-9 total with their
    previous check-in that had one (in this or an earlier session of the group).
    """
    mine = rows_of(CheckIn, CheckIn.session_id == session.id)
    if not mine:
        return []
    earlier = rows_of(CheckIn, CheckIn.participant_id.in_({c.participant_id for c in mine}),
                      CheckIn.id <= mine[-1].id)
    last_mood: dict[int, int] = {}
    last_total: dict[int, int] = {}
    lines = {}
    for checkin in earlier:
        person = checkin.participant_id
        if checkin.session_id == session.id:
            lines[checkin.id] = CheckInLine(
                checkin, outcomes.change(last_total.get(person), checkin.phq9_total),
                outcomes.change(last_mood.get(person), checkin.mood), person not in last_mood)
        last_mood[person] = checkin.mood
        if checkin.phq9_total is not None:
            last_total[person] = checkin.phq9_total
    return [lines[c.id] for c in mine]


def homework_lines(session: GroupSession) -> list[HomeworkLine]:
    """The homework set in the session, each with the reflections received on it."""
    names = {p.id: p.display_name for p in session.group.participants}
    lines = []
    for assignment in rows_of(Assignment, Assignment.session_id == session.id):
        whom = "everyone" if assignment.participant_id is None else names.get(
            assignment.participant_id, "")
        lines.append(HomeworkLine(assignment, whom, rows_of(
            Reflection, Reflection.assignment_id == assignment.id)))
    return lines


def session_summary(session: GroupSession) -> SessionSummary:
    """Gather attendance, check-ins, alerts, board and homework of one session."""
    seen = {a.participant_id: a for a in rows_of(Attendance, Attendance.session_id == session.id)}
    people = session.group.participants
    return SessionSummary(
        session=session,
        present=[(p, seen[p.id]) for p in people if p.id in seen],
        absent=[p for p in people if p.id not in seen],
        checkins=checkin_lines(session),
        alerts=rows_of(Alert, Alert.session_id == session.id),
        cards=rows_of(Card, Card.session_id == session.id),
        themes=rows_of(Theme, Theme.session_id == session.id),
        homework=homework_lines(session),
        round=rounds.summary_lines(session),
        fidelity=rounds.counts(session.id),
        debriefs=roleplay.session_debriefs(session.id),
    )


CELL_TEXT = {"present": "Came", "missed": "Missed", "not_member": "Not yet in the group",
             "not_yet": "Not seen yet", "upcoming": "To come"}


@dataclass
class AttendanceRow:
    """One participant's attendance across the course."""

    participant: Participant
    code: str
    cells: list[str]
    attended: int
    expected: int
    runs: list[list[int]]
    missing_now: bool


def attended_pairs(group_id: int) -> set[tuple[int, int]]:
    """``(session_id, participant_id)`` of every attendance in the group."""
    rows = db.session.execute(
        select(Attendance.session_id, Attendance.participant_id)
        .join(GroupSession, Attendance.session_id == GroupSession.id)
        .where(GroupSession.group_id == group_id)
    )
    return {(s, p) for s, p in rows}


def attended_counts(group_id: int) -> dict[int, int]:
    """Map each session id of the group to how many participants came."""
    counts: dict[int, int] = defaultdict(int)
    for session_id, _ in attended_pairs(group_id):
        counts[session_id] += 1
    return dict(counts)


def attendance_cell(session: GroupSession, participant: Participant, came: bool) -> str:
    """Name one cell of the grid: present, missed, not_member, not_yet or upcoming."""
    if came:
        return "present"
    if session.status == "ended":
        expected = outcomes.was_expected(session.ended_at, participant.created_at)
        return "missed" if expected else "not_member"
    return "not_yet" if session.status == "live" else "upcoming"


def attendance_rows(group: Group) -> list[AttendanceRow]:
    """Each participant's attendance in every session, with runs of sessions missed."""
    pairs = attended_pairs(group.id)
    codes = participant_codes(group)
    rows = []
    for person in group.participants:
        cells = [attendance_cell(s, person, (s.id, person.id) in pairs) for s in group.sessions]
        counted = [(s.number, cell == "present") for s, cell in zip(group.sessions, cells,
                                                                     strict=True)
                   if cell in ("present", "missed")]
        rows.append(AttendanceRow(
            person, codes[person.id], cells, sum(came for _, came in counted), len(counted),
            outcomes.missed_runs(counted), outcomes.missing_now(counted)))
    return rows


def attendance_flags(group: Group) -> list[AttendanceRow]:
    """The participants who missed two or more ended sessions in a row."""
    return [row for row in attendance_rows(group) if row.runs]
