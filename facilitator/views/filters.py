"""Words a person reads, handed to templates (filters) and to the JavaScript with every page.

They are defined once in Python (``services.vocabulary`` and ``services.scoring``) and
rendered into a ``<script type="application/json" id="words">`` data block (``_words.html``,
included by ``base.html`` on every page); ``ui.js`` reads it (``pageWords``), so the pages never
keep a second copy of them.
"""

from ..services.scoring import ITEM9_GRADES
from ..services.vocabulary import (
    MEMBER_STATUS_WORDS,
    OUTCOMES,
    PHQ9_ANSWERS,
    PHQ9_INTRO,
    PHQ9_QUESTIONS,
    ROUND_TECHNIQUE_WORDS,
    SEVERITY_WORDS,
    area_words,
    page_vocabulary,
)


def page_words() -> dict:
    """The words the page scripts show: ``item9_grades`` maps "0".."3" to words, and more."""
    words = {"item9_grades": {str(answer): words for answer, words in ITEM9_GRADES.items()}}
    words.update(page_vocabulary())
    return words


def severity_words(key: str | None) -> str:
    """A PHQ-9 severity band in words, e.g. "moderately severe"; an em dash when none."""
    return SEVERITY_WORDS.get(key or "", "—")


def status_words(key: str | None) -> str:
    """A member's status in words, e.g. "meeting done"."""
    return MEMBER_STATUS_WORDS.get(key or "", key or "")


def technique_words(keys: list[str] | None) -> str:
    """The weekly round's techniques in words, joined; an em dash when none."""
    return ", ".join(ROUND_TECHNIQUE_WORDS.get(k, k) for k in keys or []) or "—"


# The PHQ-9 as every form shows it (the live check-in, the pre-group questionnaire).
PHQ9_WORDS = {"intro": PHQ9_INTRO, "questions": PHQ9_QUESTIONS, "answers": PHQ9_ANSWERS}


def init_app(app) -> None:
    """Make ``page_words()`` and the word filters available to every template."""
    app.context_processor(lambda: {"page_words": page_words, "outcome_names": OUTCOMES,
                                   "phq9": PHQ9_WORDS})
    app.add_template_filter(area_words, "area")
    app.add_template_filter(severity_words, "severity_words")
    app.add_template_filter(status_words, "status_words")
    app.add_template_filter(technique_words, "technique_words")
