"""What a member's profile shows their group's facilitators, gathered in a few queries.

The meeting in brief, the timeline and inventory, the plan (problem areas, summaries, goals
with their history and progress notes), measures over time, attendance, alerts and risk
records. Also the group at a glance: who works on which problem area, who has not met yet.
Nothing here is ever sent to a participant.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import (
    Alert,
    Attendance,
    CheckIn,
    Facilitator,
    Goal,
    GoalChange,
    GoalProgress,
    Group,
    GroupSession,
    InventoryPerson,
    Participant,
    PreGroupMeeting,
    RolePlayDebrief,
    TimelineEntry,
)
from . import roleplay
from .outcomes import Measure, session_points
from .round import member_entries
from .scoring import item9_grade, item9_of, severity
from .vocabulary import (
    CLOSENESS_WORDS,
    MEETING_MODE_WORDS,
    PROBLEM_AREAS,
    PSYCHOEDUCATION_POINTS,
    REFER_REASONS,
)

HELD = ("live", "ended")  # a session that has started has been held (or is being held)


@dataclass
class GoalView:
    """A goal with its history (oldest first) and its progress notes by session."""

    goal: Goal
    history: list[GoalChange] = field(default_factory=list)
    notes: list[tuple[int, GoalProgress]] = field(default_factory=list)

    @property
    def dropped(self) -> bool:
        """Whether the goal was dropped from the member's plan."""
        return self.goal.retired_at is not None


@dataclass
class MeasureLine:
    """One line of the member's measures over time: the baseline, then each session."""

    label: str
    when: datetime | None
    phq9_total: int | None
    mood: int | None
    item9: int | None = None

    @property
    def severity(self) -> str | None:
        """The PHQ-9 severity band key, or None without a total."""
        return None if self.phq9_total is None else severity(self.phq9_total)


@dataclass
class MeetingBrief:
    """The pre-group meeting as the profile sums it up."""

    state: str  # none, in_progress, done, elsewhere
    meeting: PreGroupMeeting | None
    item9: int | None = None
    fit: list[tuple[str, bool | None, str]] = field(default_factory=list)
    covered: list[str] = field(default_factory=list)

    @property
    def item9_words(self) -> str | None:
        """The baseline's item-9 answer in words, or None when not answered."""
        return item9_grade(self.item9)


@dataclass
class Profile:
    """Everything the profile page shows about one member."""

    member: Participant
    group: Group
    brief: MeetingBrief
    names: dict[int, str]
    timeline: list[TimelineEntry]
    inventory: list[InventoryPerson]
    goals: list[GoalView]
    dropped: list[GoalView]
    measures: list[MeasureLine]
    sessions: list[GroupSession]
    attended: list[int]
    alerts: list[Alert]
    round: list = field(default_factory=list)  # (session number, RoundEntry), services.round
    # Debriefs of the member's own role-plays, oldest first (services.roleplay).
    debriefs: list[RolePlayDebrief] = field(default_factory=list)

    @property
    def held(self) -> list[GroupSession]:
        """The group's sessions that have started, in course order."""
        return [s for s in self.sessions if s.status in HELD]

    @property
    def missed(self) -> list[int]:
        """Numbers of the ended sessions the member did not come to."""
        return [s.number for s in self.sessions
                if s.status == "ended" and s.number not in self.attended]

    def who(self, facilitator_id: int | None) -> str:
        """A facilitator's name, or "a facilitator" when unknown."""
        return self.names.get(facilitator_id or 0, "a facilitator")


def closeness_words(value: int | None) -> str:
    """How close a person in the inventory feels, in words."""
    return CLOSENESS_WORDS.get(value or 0, "—")


def mode_words(key: str | None) -> str:
    """How the meeting took place, in words ("by phone"), or "Not recorded"."""
    return MEETING_MODE_WORDS.get(key or "", "Not recorded")


def meeting_brief(meeting: PreGroupMeeting | None) -> MeetingBrief:
    """Sum up a member's meeting: none yet, in progress, done, or recorded elsewhere."""
    if meeting is None:
        return MeetingBrief("none", None)
    state = ("elsewhere" if meeting.recorded_elsewhere
             else "done" if meeting.completed_at else "in_progress")
    answers = meeting.eligibility or {}
    fit = [(question, (answers.get(key) or {}).get("answer"),
            (answers.get(key) or {}).get("note") or "") for key, question in REFER_REASONS]
    covered = [label for key, label, _ in PSYCHOEDUCATION_POINTS
               if key in (meeting.psychoeducation or [])]
    return MeetingBrief(state, meeting, item9_of(meeting.baseline_phq9), fit, covered)


def gather(member: Participant) -> Profile:
    """Gather a member's profile (about a dozen queries, however long the course)."""
    group = member.group
    meeting = db.session.scalar(select(PreGroupMeeting)
                                .where(PreGroupMeeting.participant_id == member.id))
    goals = goal_views(member.id)
    sessions = list(db.session.scalars(select(GroupSession).where(
        GroupSession.group_id == group.id).order_by(GroupSession.number)))
    debriefs = roleplay.debriefs_of(member.id)
    names = facilitator_names(meeting, goals, debriefs)
    return Profile(
        member=member, group=group, brief=meeting_brief(meeting), names=names,
        timeline=rows(TimelineEntry, member.id), inventory=rows(InventoryPerson, member.id),
        goals=[g for g in goals if not g.dropped], dropped=[g for g in goals if g.dropped],
        measures=measures(member, meeting), sessions=sessions,
        attended=attended_numbers(member.id), alerts=alerts_of(member.id),
        round=member_entries(member.id),
        debriefs=debriefs)


def rows(model, participant_id: int) -> list:
    """A member's timeline entries or inventory cards, in the order they were written."""
    return list(db.session.scalars(select(model).where(model.participant_id == participant_id)
                                   .order_by(model.id)))


def goal_views(participant_id: int) -> list[GoalView]:
    """Every goal the member has had, with its history and progress notes (three queries)."""
    goals = list(db.session.scalars(select(Goal).where(Goal.participant_id == participant_id)
                                    .order_by(Goal.position, Goal.id)))
    views = {goal.id: GoalView(goal) for goal in goals}
    if not views:
        return []
    for change in db.session.scalars(select(GoalChange).where(
            GoalChange.goal_id.in_(views)).order_by(GoalChange.id)):
        views[change.goal_id].history.append(change)
    for number, note in db.session.execute(
            select(GroupSession.number, GoalProgress)
            .join(GroupSession, GoalProgress.session_id == GroupSession.id)
            .where(GoalProgress.goal_id.in_(views)).order_by(GroupSession.number)):
        views[note.goal_id].notes.append((number, note))
    return list(views.values())


def facilitator_names(meeting: PreGroupMeeting | None, goals: list[GoalView],
                      debriefs: list[RolePlayDebrief] = ()) -> dict[int, str]:
    """The names of the facilitators who appear on the profile (one query)."""
    ids = {change.changed_by_id for view in goals for change in view.history}
    ids |= {d.facilitator_id for d in debriefs}
    ids |= {note.facilitator_id for view in goals for _, note in view.notes}
    if meeting is not None:
        ids |= {meeting.consent_by_id, meeting.completed_by_id}
    ids.discard(None)
    if not ids:
        return {}
    return dict(db.session.execute(select(Facilitator.id, Facilitator.name)
                                   .where(Facilitator.id.in_(ids))).all())


def measures(member: Participant, meeting: PreGroupMeeting | None) -> list[MeasureLine]:
    """The baseline PHQ-9 first, then each session's latest check-in (mood and PHQ-9)."""
    lines = []
    if meeting is not None and meeting.baseline_phq9:
        lines.append(MeasureLine("Baseline (pre-group meeting)", meeting.baseline_at,
                                 meeting.baseline_total, None, item9_of(meeting.baseline_phq9)))
    found = db.session.execute(
        select(GroupSession.number, CheckIn.id, CheckIn.mood, CheckIn.phq9_total,
               CheckIn.phq9, CheckIn.created_at)
        .join(GroupSession, CheckIn.session_id == GroupSession.id)
        .where(CheckIn.participant_id == member.id).order_by(CheckIn.id)).all()
    when, item9 = {}, defaultdict(lambda: None)
    for number, _id, _mood, _total, phq9, created in found:
        when[number] = created
        answer = item9_of(phq9)
        if answer is not None:  # the session's highest item-9 answer is never hidden
            item9[number] = max(answer, item9[number] or 0)
    points = session_points(Measure(n, order, mood, total)
                            for n, order, mood, total, _phq9, _at in found)
    lines += [MeasureLine(f"Session {n}", when[n], p.phq9_total, p.mood, item9[n])
              for n, p in points.items()]
    return lines


def attended_numbers(participant_id: int) -> list[int]:
    """The numbers of the sessions the member came to."""
    return list(db.session.scalars(
        select(GroupSession.number).join(Attendance, Attendance.session_id == GroupSession.id)
        .where(Attendance.participant_id == participant_id).order_by(GroupSession.number)))


def alerts_of(participant_id: int) -> list[Alert]:
    """The member's alerts, newest first, with their risk records and who acknowledged."""
    return list(db.session.scalars(
        select(Alert).where(Alert.participant_id == participant_id)
        .options(selectinload(Alert.risk_record), selectinload(Alert.acknowledged_by))
        .order_by(Alert.id.desc())))


def held_sessions(group_id: int) -> list[GroupSession]:
    """The group's sessions that have started: those a progress note can be about."""
    return list(db.session.scalars(select(GroupSession).where(
        GroupSession.group_id == group_id, GroupSession.status.in_(HELD))
        .order_by(GroupSession.number)))


def goal_of(member: Participant, goal_id: int) -> Goal | None:
    """One of the member's goals (current or dropped), or None."""
    goal = db.session.get(Goal, goal_id)
    return goal if goal is not None and goal.participant_id == member.id else None


@dataclass
class AreaLine:
    """One problem area on the group page: who has it as main area, who as second."""

    key: str
    primary: list[Participant]
    second: list[Participant]


@dataclass
class Glance:
    """The group at a glance, for planning the sessions."""

    areas: list[AreaLine]
    no_area: list[Participant]
    not_met: list[Participant]
    left: list[Participant]  # referred elsewhere or declined: not counted above


def glance(group: Group) -> Glance:
    """Count members per problem area and list who has not had their pre-group meeting."""
    counted = [p for p in group.participants if p.status not in ("referred", "declined")]
    lines = [AreaLine(key, [p for p in counted if p.problem_area == key],
                      [p for p in counted if p.second_problem_area == key])
             for key in PROBLEM_AREAS]
    return Glance(lines, [p for p in counted if p.problem_area not in PROBLEM_AREAS],
                  [p for p in group.participants if p.status == "invited"],
                  [p for p in group.participants if p.status in ("referred", "declined")])

