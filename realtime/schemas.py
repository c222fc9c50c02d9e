"""Payload shapes accepted from clients; anything else is answered ``invalid``."""

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from facilitator.services import risk
from facilitator.services.text import check_text

ProblemArea = Literal["grief", "role_dispute", "role_transition", "interpersonal_deficits"]
MAX_ID = 2**53
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# Any printable string of 8 to 64 characters (a UUID in our own clients).
ClientId = Annotated[str, StringConstraints(min_length=8, max_length=64,
                                            pattern=r"^[^\x00-\x1f\x7f]+$")]


# No NUL character: PostgreSQL cannot store one in a text column (it would be a server error).
NO_NUL = r"^[^\x00]*$"


def Text(max_length: int):  # noqa: N802 - used as a type
    """A non-blank text field of at most ``max_length`` characters, trimmed, safe text
    (``services.text``: the same rule as the HTML forms)."""
    return Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                            max_length=max_length), AfterValidator(check_text)]


def OptionalText(max_length: int):  # noqa: N802 - used as a type
    """A text field that may be empty, trimmed, of at most ``max_length`` characters."""
    return Annotated[str, StringConstraints(strip_whitespace=True, max_length=max_length),
                     AfterValidator(check_text)]


class Payload(BaseModel):
    """Strict: no type coercion; unknown fields are ignored."""

    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)


class SessionRef(Payload):
    session_id: Id


class MemberRef(Payload):
    participant_id: Id


class ActivateItem(SessionRef):
    item_id: Id


class Role(Payload):
    participant_id: Id
    role: Text(60)


class PushPrompt(SessionRef):
    text: Text(2000)
    problem_area: ProblemArea | None = None
    roles: Annotated[list[Role], Field(max_length=30)] = []
    # A member's own conversation (services.roleplay); all optional, absent for a starter.
    for_participant_id: Id | None = None
    other_person: Text(60) | None = None
    inventory_person_id: Id | None = None
    wants_to_say: Text(500) | None = None
    member_plays: Literal["self", "other"] | None = None
    partner_id: Id | None = None
    confrontation: bool = False
    safety_checked: bool = False


class StartTimer(SessionRef):
    seconds: Annotated[int, Field(ge=1, le=4 * 60 * 60)]
    label: OptionalText(80) = ""


class SubmitCheckIn(SessionRef):
    client_id: ClientId
    mood: Annotated[int, Field(ge=0, le=10)]
    # Nine entries in question order; null is a question left unanswered. Every answered
    # entry counts (``scoring.answered_phq9``); nine nulls are the same as no PHQ-9.
    phq9: Annotated[list[Annotated[int, Field(ge=0, le=3)] | None],
                    Field(min_length=9, max_length=9)] | None = None
    note: OptionalText(1000) | None = None
    needs_support: bool | None = False


class AssignHomework(SessionRef):
    text: Text(2000)
    participant_id: Id | None = None
    client_id: ClientId | None = None
    goal_id: Id | None = None  # a personal task tied to one of that member's goals


class SubmitReflection(Payload):
    client_id: ClientId
    assignment_id: Id
    text: Text(4000)
    times_practised: Annotated[int, Field(ge=0, le=1000)] | None = None


class SubmitCard(SessionRef):
    client_id: ClientId
    text: Text(500)
    problem_area: ProblemArea
    anonymous: bool = True


class ModerateCard(Payload):
    card_id: Id
    action: Literal["approve", "reject", "edit", "take_down", "restore"]
    text: Text(500) | None = None
    theme_id: Id | None = None


class CardRef(Payload):
    card_id: Id


class SetPresenter(SessionRef):
    on: bool


class CreateTheme(SessionRef):
    title: Text(120)
    problem_area: ProblemArea
    client_id: ClientId | None = None


class AckAlert(Payload):
    alert_id: Id
    note: OptionalText(1000) | None = None


class Hand(SessionRef):
    participant_id: Id | None = None


class RecordRisk(Payload):
    """``risk:record``: the alert's risk record; a missing answer is named by the rule."""

    alert_id: Id
    asked_directly: bool | None = None
    thoughts: Literal[tuple(risk.THOUGHTS)] | None = None
    plan: bool | None = None
    means: bool | None = None
    past_attempt: bool | None = None
    protective_factors: OptionalText(risk.MAX_TEXT) = ""
    risk_level: Literal[tuple(risk.RISK_LEVELS)] | None = None
    actions: Annotated[list[Literal[tuple(risk.ACTIONS)]], Field(max_length=10)] = []
    follow_up_due: Annotated[str, StringConstraints(max_length=40)] | None = None


class RiskFollowUp(Payload):
    """``risk:follow_up``: the follow-up is done, and what came of it."""

    alert_id: Id
    outcome: OptionalText(risk.MAX_TEXT) | None = None


def first_error(exc) -> str:
    """Turn a pydantic validation error into one plain sentence (never echoing input)."""
    error = exc.errors(include_input=False)[0]
    where = ".".join(str(part) for part in error["loc"]) or "payload"
    return f"{where}: {error['msg']}"
