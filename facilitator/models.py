"""The data model: facilitators, groups, participants, sessions and what happens in them."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime
from typing import Any

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db
from .services.passwords import hash_matches, hash_password

# OWASP: scrypt with N=2**17, r=8, p=1.
DEFAULT_PASSWORD_HASH = "scrypt:131072:8:1"


def utcnow() -> datetime:
    """Return the current time in UTC, without tzinfo (stored naive, always UTC)."""
    return datetime.now(UTC).replace(tzinfo=None)


def iso(moment: datetime | None) -> str | None:
    """Format a stored UTC time as ISO 8601 with a Z suffix."""
    return None if moment is None else moment.isoformat(timespec="milliseconds") + "Z"


# A team row with this role reads the group but never runs it (services.supervision).
SUPERVISOR = "supervisor"
# "Runs the group": a team row of any other role (lead or co-facilitator).
RUNS_GROUP = f"GroupFacilitator.role != '{SUPERVISOR}'"


class GroupFacilitator(db.Model):
    """Links a facilitator to a group's team: lead, co-facilitator or supervisor."""

    __tablename__ = "group_facilitators"
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"), primary_key=True)
    facilitator_id: Mapped[int] = mapped_column(ForeignKey("facilitators.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(16), default="lead")


class Facilitator(UserMixin, db.Model):
    """A person who runs groups; signs in with e-mail and password."""

    __tablename__ = "facilitators"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(256))
    # Bumped at sign-out: every cookie issued before then stops working.
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")
    # A programme administrator sees every group's reports and the programme view.
    is_admin: Mapped[bool] = mapped_column(default=False, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_sign_in_at: Mapped[datetime | None] = mapped_column()
    # The groups this facilitator runs (lead or co); a supervisor row is not one of them.
    groups: Mapped[list[Group]] = relationship(
        secondary="group_facilitators", back_populates="facilitators", order_by="Group.id",
        primaryjoin=f"and_(Facilitator.id == GroupFacilitator.facilitator_id, {RUNS_GROUP})",
        secondaryjoin="Group.id == GroupFacilitator.group_id",
    )
    # The groups this facilitator supervises (read only; services.supervision).
    supervised_groups: Mapped[list[Group]] = relationship(
        secondary="group_facilitators", order_by="Group.id", viewonly=True,
        primaryjoin=("and_(Facilitator.id == GroupFacilitator.facilitator_id, "
                     f"GroupFacilitator.role == '{SUPERVISOR}')"),
        secondaryjoin="Group.id == GroupFacilitator.group_id",
    )

    kind = "facilitator"
    # The groups this facilitator ran when their request began, set by the sign-in loader
    # (``auth.facilitator_login``) so that an access check needs no query.
    known_group_ids = frozenset()

    def get_id(self) -> str:
        """Return the Flask-Login identity: kind, id and session version."""
        return f"f:{self.id}:{self.session_version}"

    @property
    def display_name(self) -> str:
        """Name shown to the group."""
        return self.name

    def set_password(self, password: str) -> None:
        """Store a scrypt hash of ``password`` (OWASP's parameters by default)."""
        method = current_app.config.get("PASSWORD_HASH_METHOD", DEFAULT_PASSWORD_HASH)
        self.password_hash = hash_password(password, method)

    def check_password(self, password: str) -> bool:
        """Tell whether ``password`` matches the stored hash (checked off the event loop)."""
        return hash_matches(self.password_hash, password)

    def runs(self, group_id: int) -> bool:
        """Tell whether this facilitator runs the group.

        A group not among ``known_group_ids`` is looked up in ``groups``: one joined during
        this request counts at once.
        """
        return group_id in self.known_group_ids or any(
            group.id == group_id for group in self.groups)


class Group(db.Model):
    """An IPT group: its members, its course of sessions and its shared board."""

    __tablename__ = "groups"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    # The "urgent help" text: crisis lines and the emergency number, shown on every
    # participant page and with every risk signal.
    crisis_resources: Mapped[str] = mapped_column(Text)
    # What the facilitators will do after a support request, in the programme's own words.
    support_reply: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Whether a participant sees their own PHQ-9 total and severity word after a check-in.
    show_own_score: Mapped[bool] = mapped_column(default=False, server_default="0")
    template: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The group's facilitators (lead or co): never its supervisors.
    facilitators: Mapped[list[Facilitator]] = relationship(
        secondary="group_facilitators", back_populates="groups", order_by="Facilitator.id",
        primaryjoin=f"and_(Group.id == GroupFacilitator.group_id, {RUNS_GROUP})",
        secondaryjoin="Facilitator.id == GroupFacilitator.facilitator_id",
    )
    participants: Mapped[list[Participant]] = relationship(
        back_populates="group", order_by="Participant.id"
    )
    sessions: Mapped[list[GroupSession]] = relationship(
        back_populates="group", order_by="GroupSession.number"
    )


class Participant(db.Model):
    """A group member, known to the group by a display name only."""

    __tablename__ = "participants"
    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"), index=True)
    display_name: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When the participant accepted the "who sees what" notice (null: not yet).
    notice_accepted_at: Mapped[datetime | None]
    # invited -> meeting_done -> enrolled, or referred / declined (services.plans).
    # Only an enrolled member's join link opens group sessions.
    status: Mapped[str] = mapped_column(String(16), default="invited", server_default="enrolled")
    status_changed_at: Mapped[datetime | None]
    # The member's IPT plan, chosen with them at the pre-group meeting.
    problem_area: Mapped[str | None] = mapped_column(String(32))
    second_problem_area: Mapped[str | None] = mapped_column(String(32))
    # One line the member agreed to share with the group (their own phone shows it too).
    shared_summary: Mapped[str | None] = mapped_column(Text)
    group: Mapped[Group] = relationship(back_populates="participants")
    links: Mapped[list[JoinLink]] = relationship(
        back_populates="participant", order_by="JoinLink.id"
    )

    goals: Mapped[list[Goal]] = relationship(
        back_populates="participant", order_by="Goal.position",
        primaryjoin="and_(Goal.participant_id == Participant.id, Goal.retired_at.is_(None))",
        viewonly=True,
    )
    meeting: Mapped[PreGroupMeeting | None] = relationship(back_populates="participant")

    @property
    def active_link(self) -> JoinLink | None:
        """The participant's newest join link that is not revoked."""
        live = [link for link in self.links if link.revoked_at is None]
        return live[-1] if live else None


class JoinLink(db.Model):
    """A personal, reusable, revocable sign-in link for one participant."""

    __tablename__ = "join_links"
    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    token: Mapped[str] = mapped_column(
        String(64), unique=True, default=lambda: secrets.token_urlsafe(24)
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    participant: Mapped[Participant] = relationship(back_populates="links")

    @property
    def join_path(self) -> str:
        """The path a participant opens to join."""
        return f"/join/{self.token}"


class ParticipantLogin(UserMixin):
    """The signed-in identity of a participant, bound to the join link they used."""

    kind = "participant"

    def __init__(self, participant: Participant, link_id: int):
        self.participant = participant
        self.link_id = link_id
        self.id = participant.id
        self.display_name = participant.display_name
        self.group_id = participant.group_id

    def get_id(self) -> str:
        """Return the Flask-Login identity: kind and join link id."""
        return f"p:{self.link_id}"


class GroupSession(db.Model):
    """One numbered weekly session of a group's course."""

    __tablename__ = "group_sessions"
    __table_args__ = (UniqueConstraint("group_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"), index=True)
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(120))
    phase: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="scheduled")
    started_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    current_item_id: Mapped[int | None]
    timer_ends_at: Mapped[datetime | None]
    timer_seconds: Mapped[int | None]
    timer_label: Mapped[str | None] = mapped_column(String(80))
    group: Mapped[Group] = relationship(back_populates="sessions")
    agenda: Mapped[list[AgendaItem]] = relationship(
        back_populates="session", order_by="AgendaItem.position"
    )


class AgendaItem(db.Model):
    """A step of a session's agenda."""

    __tablename__ = "agenda_items"
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("group_sessions.id"), index=True)
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    session: Mapped[GroupSession] = relationship(back_populates="agenda")


class Attendance(db.Model):
    """A participant's presence in one session: when first seen, and a raised hand."""

    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("session_id", "participant_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("group_sessions.id"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"))
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    hand_raised_at: Mapped[datetime | None]


class Connection(db.Model):
    """A live Socket.IO connection, so every worker can tell who is online."""

    __tablename__ = "connections"
    sid: Mapped[str] = mapped_column(String(64), primary_key=True)
    worker: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    person_id: Mapped[int]
    session_id: Mapped[int | None] = mapped_column(index=True)
    connected_at: Mapped[datetime] = mapped_column(default=utcnow)


class Receipt(db.Model):
    """The first answer to a submission, keyed by who sent it and its ``client_id``.

    The unique key makes a resubmission, even a concurrent one, store nothing new.
    """

    __tablename__ = "receipts"
    __table_args__ = (UniqueConstraint("actor", "client_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    actor: Mapped[str] = mapped_column(String(32))
    client_id: Mapped[str] = mapped_column(String(64))
    event: Mapped[str] = mapped_column(String(32))
    answer: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CheckIn(db.Model):
    """A participant's check-in: mood, optional PHQ-9, note and a request for support."""

    __tablename__ = "checkins"
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("group_sessions.id"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    mood: Mapped[int]
    phq9: Mapped[list[int | None] | None] = mapped_column(JSON)
    phq9_total: Mapped[int | None]
    severity: Mapped[str | None] = mapped_column(String(24))
    note: Mapped[str | None] = mapped_column(Text)
    needs_support: Mapped[bool] = mapped_column(default=False)
    flagged: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    participant: Mapped[Participant] = relationship()


class Alert(db.Model):
    """A risk signal for the group's facilitators, open until acknowledged."""

    __tablename__ = "alerts"
    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"), index=True)
    # Null for a signal raised outside a session (the pre-group meeting's baseline PHQ-9).
    session_id: Mapped[int | None] = mapped_column(ForeignKey("group_sessions.id"))
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"))
    checkin_id: Mapped[int | None] = mapped_column(ForeignKey("checkins.id"))
    reason: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("facilitators.id"))
    ack_note: Mapped[str | None] = mapped_column(Text)
    participant: Mapped[Participant] = relationship()
    checkin: Mapped[CheckIn | None] = relationship()
    acknowledged_by: Mapped[Facilitator | None] = relationship()
    risk_record: Mapped[RiskRecord | None] = relationship(back_populates="alert")


class RiskRecord(db.Model):
    """The structured record a facilitator keeps of how they followed up one alert.

    The alert stays open until ``follow_up_done_at`` is set.
    """

    __tablename__ = "risk_records"
    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id"), unique=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("facilitators.id"))
    asked_directly: Mapped[bool]
    thoughts: Mapped[str] = mapped_column(String(16))  # none, passive, active
    plan: Mapped[bool]
    means: Mapped[bool]
    past_attempt: Mapped[bool]
    protective_factors: Mapped[str] = mapped_column(Text, default="")
    risk_level: Mapped[str] = mapped_column(String(16))  # low, medium, high
    actions: Mapped[list[str]] = mapped_column(JSON, default=list)
    follow_up_due: Mapped[datetime]
    follow_up_done_at: Mapped[datetime | None]
    follow_up_outcome: Mapped[str | None] = mapped_column(Text)
    follow_up_by_id: Mapped[int | None] = mapped_column(ForeignKey("facilitators.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    alert: Mapped[Alert] = relationship(back_populates="risk_record")
    participant: Mapped[Participant] = relationship()
    recorded_by: Mapped[Facilitator] = relationship(foreign_keys=[recorded_by_id])


class Prompt(db.Model):
    """A role-play scenario pushed to the group, with optional roles for participants."""

    __tablename__ = "prompts"
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("group_sessions.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    problem_area: Mapped[str | None] = mapped_column(String(32))
    roles: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    cleared_at: Mapped[datetime | None]
    # A member's own conversation (services.roleplay); all null for a starter scene.
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id"), index=True)
    other_person: Mapped[str | None] = mapped_column(String(60))  # what the group sees
    # The inventory card it came from (the card's private label never leaves the console).
    inventory_person_id: Mapped[int | None] = mapped_column(ForeignKey("inventory_people.id"))
    wants_to_say: Mapped[str | None] = mapped_column(Text)
    member_plays: Mapped[str | None] = mapped_column(String(8))  # "self" or "other"
    # The safety question for disputes: True once checked; None when it was not asked.
    safety_checked: Mapped[bool | None]


class Assignment(db.Model):
    """Homework for the whole group (``participant_id`` empty) or for one participant."""

    __tablename__ = "assignments"
    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"), index=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("group_sessions.id"))
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A personal task tied to one of that member's goals (the weekly round), or None.
    goal_id: Mapped[int | None] = mapped_column(ForeignKey("goals.id"))
    goal: Mapped[Goal | None] = relationship()


class Reflection(db.Model):
    """A participant's reflection on a homework assignment."""

    __tablename__ = "reflections"
    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    times_practised: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    participant: Mapped[Participant] = relationship()


class Theme(db.Model):
    """A theme on the group's board, under one problem area."""

    __tablename__ = "themes"
    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"), index=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("group_sessions.id"))
    title: Mapped[str] = mapped_column(String(120))
    problem_area: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Card(db.Model):
    """A short post for the group's board, shown only once a facilitator approves it."""

    __tablename__ = "cards"
    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"), index=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("group_sessions.id"))
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id"))
    facilitator_id: Mapped[int | None] = mapped_column(ForeignKey("facilitators.id"))
    text: Mapped[str] = mapped_column(Text)
    problem_area: Mapped[str] = mapped_column(String(32))
    anonymous: Mapped[bool] = mapped_column(default=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("themes.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    moderated_at: Mapped[datetime | None]
    session: Mapped[GroupSession] = relationship()
    participant: Mapped[Participant | None] = relationship()
    facilitator: Mapped[Facilitator | None] = relationship()

    @property
    def session_number(self) -> int:
        """The number of the session the card was written in."""
        return self.session.number

    @property
    def author_name(self) -> str:
        """The display name of whoever wrote the card."""
        author = self.participant or self.facilitator
        return author.display_name if author else ""


class LoginAttempt(db.Model):
    """A failed sign-in, counted for throttling per account and per address."""

    __tablename__ = "login_attempts"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # The trusted browser (device cookie) the attempt came from; None for any other.
    device: Mapped[str | None] = mapped_column(String(64), index=True)


class ApiToken(db.Model):
    """A programme administrator's token for the read-only API; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    facilitator_id: Mapped[int] = mapped_column(ForeignKey("facilitators.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    facilitator: Mapped[Facilitator] = relationship()


class AuditEvent(db.Model):
    """An append-only record of a facilitator action touching participant data."""

    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id"), index=True)
    facilitator_id: Mapped[int | None] = mapped_column(ForeignKey("facilitators.id"))
    action: Mapped[str] = mapped_column(String(48))
    subject: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    facilitator: Mapped[Facilitator | None] = relationship()


class PresenterMode(db.Model):
    """A facilitator sharing a session's console: their consoles get what the group sees.

    Kept per facilitator and session (not per connection) so that a reconnect or a reload
    of a shared screen stays in presenter mode until the facilitator turns it off.
    """

    __tablename__ = "presenter_modes"
    facilitator_id: Mapped[int] = mapped_column(ForeignKey("facilitators.id"),
                                                primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("group_sessions.id"), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)


class PreGroupMeeting(db.Model):
    """The one-to-one meeting before the group: consent, baseline, fit, plan (services.meeting).

    Saved step by step, so a meeting can be resumed. Everything here is for the group's
    facilitators only; a member's own phone shows their goals and shared summary, no more.
    """

    __tablename__ = "pregroup_meetings"
    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), unique=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"), index=True)
    mode: Mapped[str | None] = mapped_column(String(16))  # vocabulary.MEETING_MODE_WORDS
    consent_at: Mapped[datetime | None]
    consent_by_id: Mapped[int | None] = mapped_column(ForeignKey("facilitators.id"))
    # The baseline PHQ-9: nine answers, each 0-3 or None; the total only when all nine are in.
    baseline_phq9: Mapped[list[int | None] | None] = mapped_column(JSON)
    baseline_total: Mapped[int | None]
    baseline_at: Mapped[datetime | None]
    baseline_source: Mapped[str | None] = mapped_column(String(16))  # facilitator, phone
    # The alert an item-9 answer raised; the meeting cannot go on until it has a risk record.
    baseline_alert_id: Mapped[int | None] = mapped_column(ForeignKey("alerts.id"))
    # {reason key: {"answer": bool, "note": str}} for vocabulary.REFER_REASONS.
    eligibility: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    referred_to: Mapped[str | None] = mapped_column(Text)
    # Keys of vocabulary.PSYCHOEDUCATION_POINTS that were covered.
    psychoeducation: Mapped[list[str]] = mapped_column(JSON, default=list)
    private_summary: Mapped[str | None] = mapped_column(Text)
    # The steps saved so far (services.meeting.STEPS), so the page can resume.
    steps_done: Mapped[list[str]] = mapped_column(JSON, default=list)
    # True when the programme held the meeting on paper and enrolled the member here.
    recorded_elsewhere: Mapped[bool] = mapped_column(default=False, server_default="0")
    completed_at: Mapped[datetime | None]
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("facilitators.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    participant: Mapped[Participant] = relationship(back_populates="meeting")
    baseline_alert: Mapped[Alert | None] = relationship()


class TimelineEntry(db.Model):
    """One dated line of a member's timeline of mood and life events (pre-group meeting)."""

    __tablename__ = "timeline_entries"
    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    period: Mapped[str] = mapped_column(String(40))  # "March 2025", "last summer"
    event: Mapped[str] = mapped_column(Text)
    mood: Mapped[int | None]  # 1 (very low) to 10 (very good)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class InventoryPerson(db.Model):
    """An important person in a member's life: one card of the interpersonal inventory."""

    __tablename__ = "inventory_people"
    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    label: Mapped[str] = mapped_column(String(60))  # a private label, e.g. "my sister"
    relationship_to: Mapped[str] = mapped_column(String(60))
    closeness: Mapped[int]  # vocabulary.CLOSENESS_WORDS, 1-5
    good: Mapped[str] = mapped_column(Text, default="")
    hard: Mapped[str] = mapped_column(Text, default="")
    changed: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Goal(db.Model):
    """One of a member's one to three goals, in their own words (services.plans)."""

    __tablename__ = "goals"
    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    position: Mapped[int]
    text: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when the goal is dropped; its history and progress notes stay.
    retired_at: Mapped[datetime | None]
    participant: Mapped[Participant] = relationship(back_populates="goals")


class GoalChange(db.Model):
    """Every change of a goal's text, with its date: the goal's history."""

    __tablename__ = "goal_changes"
    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goals.id"), index=True)
    old_text: Mapped[str | None] = mapped_column(String(300))  # None: the goal was set
    new_text: Mapped[str | None] = mapped_column(String(300))  # None: the goal was dropped
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("facilitators.id"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class GoalProgress(db.Model):
    """A facilitator's progress note on one goal in one session."""

    __tablename__ = "goal_progress"
    __table_args__ = (UniqueConstraint("goal_id", "session_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goals.id"), index=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("group_sessions.id"), index=True)
    note: Mapped[str] = mapped_column(Text)
    facilitator_id: Mapped[int | None] = mapped_column(ForeignKey("facilitators.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ScriptTick(db.Model):
    """A script step a facilitator ticked as done: (agenda item, step index) in a session.

    One row per ticked step; unticking deletes it, so the rows count the steps done.
    """

    __tablename__ = "script_ticks"
    __table_args__ = (UniqueConstraint("item_id", "step"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("group_sessions.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id"))
    step: Mapped[int]
    facilitator_id: Mapped[int | None] = mapped_column(ForeignKey("facilitators.id"))
    ticked_at: Mapped[datetime] = mapped_column(default=utcnow)


class RoundEntry(db.Model):
    """One member's turn in a session's weekly round (services.round): facilitators only.

    ``reached_at`` is set when the round reached the member; ``techniques`` lists the keys
    of the IPT techniques used with them (vocabulary.ROUND_TECHNIQUES); ``note`` is private;
    ``flagged_at`` is set when the facilitator flagged the member for supervision.
    """

    __tablename__ = "round_entries"
    __table_args__ = (UniqueConstraint("session_id", "participant_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("group_sessions.id"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    reached_at: Mapped[datetime | None]
    techniques: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    flagged_at: Mapped[datetime | None]


class RolePlayDebrief(db.Model):
    """After a member's own conversation was rehearsed: what worked, what to try next.

    For the group's facilitators only (the profile, the summary); never sent to a participant.
    """

    __tablename__ = "roleplay_debriefs"
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("group_sessions.id"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    prompt_id: Mapped[int] = mapped_column(ForeignKey("prompts.id"), unique=True)
    worked: Mapped[str] = mapped_column(Text, default="")
    next_time: Mapped[str] = mapped_column(Text, default="")
    facilitator_id: Mapped[int | None] = mapped_column(ForeignKey("facilitators.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    prompt: Mapped[Prompt] = relationship()
    session: Mapped[GroupSession] = relationship()
    participant: Mapped[Participant] = relationship()


class StayingWellPlan(db.Model):
    """A member's own staying-well plan, written on their phone near the end of the course
    (services.ending). For the member and their group's facilitators only."""

    __tablename__ = "staying_well_plans"
    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), unique=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"), index=True)
    warning_signs: Mapped[str] = mapped_column(Text, default="")
    what_helps: Mapped[str] = mapped_column(Text, default="")
    who_to_contact: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    participant: Mapped[Participant] = relationship()


class Referral(db.Model):
    """A referral a facilitator recorded for a member: to whom, why, and how it went."""

    __tablename__ = "referrals"
    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    to_whom: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(String(16))  # vocabulary.REFERRAL_OUTCOMES
    referred_on: Mapped[datetime]
    outcome_on: Mapped[datetime | None]
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("facilitators.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    participant: Mapped[Participant] = relationship()
class SupervisionNote(db.Model):
    """A supervisor's note on a group, or on one of its sessions (services.supervision)."""

    __tablename__ = "supervision_notes"
    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"), index=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("group_sessions.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("facilitators.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    author: Mapped[Facilitator] = relationship()
    session: Mapped[GroupSession | None] = relationship()
    actions: Mapped[list[SupervisionAction]] = relationship(
        back_populates="note", order_by="SupervisionAction.id")


class SupervisionAction(db.Model):
    """What a supervision note asks of one member of the team, by when; closed once done."""

    __tablename__ = "supervision_actions"
    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("supervision_notes.id"), index=True)
    what: Mapped[str] = mapped_column(String(300))
    owner_id: Mapped[int] = mapped_column(ForeignKey("facilitators.id"))
    due_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("facilitators.id"))
    note: Mapped[SupervisionNote] = relationship(back_populates="actions")
    owner: Mapped[Facilitator] = relationship(foreign_keys=[owner_id])
    closed_by: Mapped[Facilitator | None] = relationship(foreign_keys=[closed_by_id])


class FidelityRating(db.Model):
    """A fidelity record of one session (services.fidelity): the facilitators' own record
    (``kind`` "self") or a supervisor's review ("review"); one of each per session.

    ``scores`` maps fidelity keys to 0, 1, 2 or None (not applicable); ``competence`` maps
    common-factor keys to 1-4 (review only); ``mode`` says how the supervisor saw it.
    """

    __tablename__ = "fidelity_ratings"
    __table_args__ = (UniqueConstraint("session_id", "kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("group_sessions.id"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    author_id: Mapped[int] = mapped_column(ForeignKey("facilitators.id"))
    scores: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    competence: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    mode: Mapped[str | None] = mapped_column(String(16))
    comments: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    author: Mapped[Facilitator] = relationship()
