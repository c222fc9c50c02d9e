"""PHQ-9 scoring and the risk rule."""

SEVERITY_BANDS = (
    (4, "minimal"),
    (9, "mild"),
    (14, "moderate"),
    (19, "moderately_severe"),
    (27, "severe"),
)

# PHQ-9 item 9 (thoughts of being better off dead or of self-harm), each answer in words.
ITEM9_GRADES = {
    0: "not at all",
    1: "several days",
    2: "more than half the days",
    3: "nearly every day",
}


def item9_of(answers: list[int | None] | None) -> int | None:
    """The answer to PHQ-9 item 9 (0-3), or None when it was not answered."""
    if not answers or len(answers) != 9:
        return None
    return answers[8]


def item9_grade(answer: int | None) -> str | None:
    """Item 9's answer in words ("nearly every day"), or None when not answered."""
    return None if answer is None else ITEM9_GRADES[answer]


def answered_phq9(answers: list[int | None] | None) -> list[int | None] | None:
    """The PHQ-9 as stored: the nine entries if any question was answered, else None.

    A questionnaire left entirely blank is the same as no questionnaire.
    """
    if not answers or all(a is None for a in answers):
        return None
    return list(answers)


def answered_count(answers: list[int | None] | None) -> int:
    """How many of the nine PHQ-9 questions were answered (0 without a PHQ-9)."""
    return sum(a is not None for a in answers or [])


def complete_total(answers: list[int | None] | None) -> int | None:
    """The PHQ-9 total when all nine questions were answered, else None (no total)."""
    if not answers or answered_count(answers) != 9:
        return None
    return phq9_total(answers)


def phq9_total(answers: list[int]) -> int:
    """Sum the nine PHQ-9 answers (each 0-3) into a total of 0-27."""
    if len(answers) != 9 or any(not 0 <= a <= 3 for a in answers):
        raise ValueError("PHQ-9 needs nine answers, each 0 to 3")
    return sum(answers)


def severity(total: int) -> str:
    """Name the PHQ-9 severity band of ``total``."""
    if total < 0:
        raise ValueError("PHQ-9 total must be 0 to 27")
    for upper, name in SEVERITY_BANDS:
        if total <= upper:
            return name
    raise ValueError("PHQ-9 total must be 0 to 27")


def risk_reasons(answers: list[int | None] | None, needs_support: bool) -> list[str]:
    """Return why a check-in needs a facilitator's attention now (empty if it does not).

    Item 9 above 0 counts whatever else was answered: a lone item-9 answer is a signal.
    """
    reasons = []
    if item9_of(answers) not in (None, 0):
        reasons.append("phq9_item9")
    if needs_support:
        reasons.append("needs_support")
    return reasons


def may_signal_risk(raw) -> bool:
    """Whether a check-in payload, not yet validated, may carry a risk signal.

    It errs towards yes; such a check-in goes ahead of a round's queue (``realtime.dispatch
    .Lane``), and validation and ``risk_reasons`` decide the rest as for any other.
    """
    if not isinstance(raw, dict):
        return False
    phq9 = raw.get("phq9")
    # A partly answered list counts as a whole one: only its ninth entry matters here.
    item9 = phq9[8] if isinstance(phq9, list) and len(phq9) == 9 else None
    return bool(raw.get("needs_support")) or item9 not in (None, 0)
