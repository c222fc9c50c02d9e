"""The mid-course review: which members to take to supervision, and why.

At the mid-course review (the session of the group's course plan with the "Mid-course review
of goals" item, ``CoursePlan.review_number``) and from then on, a member whose PHQ-9 has not
fallen by at least 20% from their baseline (the pre-group meeting's, ``services.baseline``)
is flagged "review in supervision"; so is a member with no PHQ-9 since the baseline whose
mood has not risen. A member without a baseline is said to have none, never flagged
silently: their mood alone decides the flag. docs/ipt.md ("The mid-course review").
"""

from dataclasses import dataclass

from sqlalchemy import select

from ..course import plan_for
from ..extensions import db
from ..models import CheckIn, Group, GroupSession, Participant
from .baseline import group_baselines
from .vocabulary import REVIEW_WORDS

DROP_PERCENT = 20  # the smallest fall from the baseline that counts as improving
REACHED = ("live", "ended")


@dataclass(frozen=True)
class Verdict:
    """One member's review: a ``key``, whether to take them to ``supervision``, and why."""

    key: str  # responding, not_responding, mood_risen, mood_not_risen, no_baseline, no_measure
    supervision: bool
    words: str


def fell_enough(baseline: int, latest: int) -> bool:
    """Tell whether ``latest`` is at least ``DROP_PERCENT``% below ``baseline`` (exactly
    20% is enough)."""
    return (baseline - latest) * 100 >= DROP_PERCENT * baseline


def mood_risen(first: int | None, latest: int | None) -> bool | None:
    """Whether mood rose from the first check-in to the latest; None without two moods."""
    if first is None or latest is None:
        return None
    return latest > first


def verdict(baseline: int | None, latest_phq9: int | None, first_mood: int | None = None,
            latest_mood: int | None = None) -> Verdict:
    """The review of one member from their numbers (the rule, on plain numbers).

    ``latest_phq9`` is their latest complete PHQ-9 in the group; the moods are those of
    their first and latest check-in (None unless there are two check-ins).
    """
    risen = mood_risen(first_mood, latest_mood)
    moods = {"first": first_mood, "latest": latest_mood}
    if baseline is None:
        if risen is False:
            return Verdict("no_baseline", True, REVIEW_WORDS["no_baseline_mood"].format(**moods))
        return Verdict("no_baseline", False, REVIEW_WORDS["no_baseline"])
    if latest_phq9 is not None:
        numbers = {"baseline": baseline, "latest": latest_phq9}
        if fell_enough(baseline, latest_phq9):
            percent = round(100 * (baseline - latest_phq9) / baseline) if baseline else 0
            return Verdict("responding", False,
                           REVIEW_WORDS["responding"].format(percent=percent, **numbers))
        return Verdict("not_responding", True, REVIEW_WORDS["not_responding"].format(**numbers))
    if risen is None:
        return Verdict("no_measure", False, REVIEW_WORDS["no_measure"])
    if risen:
        return Verdict("mood_risen", False, REVIEW_WORDS["mood_risen"].format(**moods))
    return Verdict("mood_not_risen", True, REVIEW_WORDS["mood_not_risen"].format(**moods))


@dataclass(frozen=True)
class MemberReview:
    """One member and their verdict."""

    participant: Participant
    verdict: Verdict


@dataclass(frozen=True)
class GroupReview:
    """The group's review: at which session, whether it is reached, and each member's."""

    number: int
    reached: bool
    members: list[MemberReview]

    @property
    def flagged(self) -> list[MemberReview]:
        """The members to take to supervision."""
        return [m for m in self.members if m.verdict.supervision]

    @property
    def no_baseline(self) -> list[MemberReview]:
        """The members without a baseline who are not flagged (said, not hidden)."""
        return [m for m in self.members
                if m.verdict.key == "no_baseline" and not m.verdict.supervision]

    def of(self, participant_id: int) -> MemberReview | None:
        """One member's review, if they are reviewed."""
        return next((m for m in self.members if m.participant.id == participant_id), None)


def _measures(group_id: int) -> dict[int, list[tuple[int, int | None]]]:
    """Each member's check-ins in course order: ``[(mood, phq9_total or None)]``."""
    rows = db.session.execute(
        select(CheckIn.participant_id, CheckIn.mood, CheckIn.phq9_total)
        .join(GroupSession, GroupSession.id == CheckIn.session_id)
        .where(GroupSession.group_id == group_id)
        .order_by(GroupSession.number, CheckIn.created_at, CheckIn.id))
    found: dict[int, list[tuple[int, int | None]]] = {}
    for participant_id, mood, total in rows:
        found.setdefault(participant_id, []).append((mood, total))
    return found


def member_verdict(baseline: int | None, checkins: list[tuple[int, int | None]]) -> Verdict:
    """A member's verdict from their baseline and check-ins in course order."""
    totals = [total for _, total in checkins if total is not None]
    first, latest = (checkins[0][0], checkins[-1][0]) if len(checkins) >= 2 else (None, None)
    return verdict(baseline, totals[-1] if totals else None, first, latest)


def review_number(template: str | None) -> int | None:
    """The number of the mid-course review's session in a course plan; None for a plan this
    server does not know."""
    plan = plan_for(template) if template else None
    return plan.review_number() if plan else None


def group_review(group: Group) -> GroupReview | None:
    """The group's mid-course review; None for a plan this server does not know.

    Before the review session has started, ``reached`` is false and nobody is reviewed.
    Only enrolled members are reviewed (not those invited, referred elsewhere or declined).
    """
    number = review_number(group.template)
    if number is None:
        return None
    reached = any(s.number >= number and s.status in REACHED for s in group.sessions)
    if not reached:
        return GroupReview(number, False, [])
    baselines, measures = group_baselines(group.id), _measures(group.id)
    members = []
    for person in group.participants:
        if person.status != "enrolled":
            continue
        baseline = baselines.get(person.id)
        members.append(MemberReview(person, member_verdict(
            baseline.total if baseline else None, measures.get(person.id, []))))
    return GroupReview(number, True, members)
