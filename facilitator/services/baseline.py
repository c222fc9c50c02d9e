"""The baseline PHQ-9 of each member's pre-group meeting, as the first measure of the outcomes.

A baseline counts only when all nine questions were answered (``baseline_total`` is set and
the stored answers are complete); a partly answered one is no baseline, and the member's
outcomes then start from their first PHQ-9 in the group (``outcomes.course_outcome``).
Queries live here; the rules are in ``outcomes``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ..extensions import db
from ..models import Participant, PreGroupMeeting
from .scoring import complete_total


@dataclass(frozen=True)
class Baseline:
    """A member's complete baseline PHQ-9: its total and when it was taken (if known)."""

    total: int
    taken_at: datetime | None


def baseline_of(answers: list[int | None] | None, total: int | None,
                taken_at: datetime | None = None) -> Baseline | None:
    """The baseline of a meeting's stored answers and total, or None when it is not complete.

    Both must be there: the total (set only once all nine are answered) and nine answers. When
    the two disagree the answers win, as they are what the person gave.
    """
    if total is None:
        return None
    try:
        answered = complete_total(answers)
    except (TypeError, ValueError):  # answers outside 0-3 are no questionnaire
        return None
    return None if answered is None else Baseline(answered, taken_at)


def group_baselines(group_id: int) -> dict[int, Baseline]:
    """Map each participant id of the group to their complete baseline (those with one only)."""
    rows = db.session.execute(
        select(PreGroupMeeting.participant_id, PreGroupMeeting.baseline_phq9,
               PreGroupMeeting.baseline_total, PreGroupMeeting.baseline_at)
        .join(Participant, Participant.id == PreGroupMeeting.participant_id)
        .where(Participant.group_id == group_id)
    )
    found = {}
    for participant_id, answers, total, taken_at in rows:
        baseline = baseline_of(answers, total, taken_at)
        if baseline is not None:
            found[participant_id] = baseline
    return found
